// The layering of src, checked by dependency-cruiser: `npm run depcruise`.
// docs/architecture.md ("The layering is checked") explains each rule.
//
// Paths are relative to the directory depcruise runs in (the repository root). Every import
// counts, `import type` included: the swc parser keeps type-only imports as plain imports.
// A package resolves to node_modules/<name>/..., a node builtin has the dependency type 'core'.

/** Packages the app layer may use: the DI container and its metadata polyfill. */
const APP_PACKAGES = '^node_modules/(inversify|reflect-metadata)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain is the pure core: it imports only src/domain. No other layer, no npm package, no node: builtin.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'client-is-standalone',
      comment:
        'src/client is the hubbub/client library for browsers and Node: it imports only src/client (no server code, no npm package, no node: builtin).',
      severity: 'error',
      from: { path: '^src/client/' },
      to: { pathNot: '^src/client/' },
    },
    {
      name: 'page-only-client',
      comment:
        'src/page is the chat page, bundled for browsers: it imports only src/page and the hubbub/client library in src/client (no server code, no npm package, no node: builtin).',
      severity: 'error',
      from: { path: '^src/page/' },
      to: { pathNot: '^src/(page|client)/' },
    },
    {
      name: 'lib-is-pure',
      comment:
        'src/lib holds small generic pure data structures: it imports only src/lib. No other layer, no npm package, no node: builtin.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { pathNot: '^src/lib/' },
    },
    {
      name: 'app-only-domain-and-lib',
      comment:
        'src/app (use cases, ports, tokens, config) imports only src/domain, src/lib, src/app and the packages inversify and reflect-metadata. (node: builtins have their own rule, app-no-node-builtins.)',
      severity: 'error',
      from: { path: '^src/app/' },
      to: {
        pathNot: ['^src/(domain|lib|app)/', APP_PACKAGES],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'app-no-node-builtins',
      comment:
        'src/app imports no node builtin at all (node:net, node:http, node:stream, ...): sockets, servers and streams belong to the adapters.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'kit-imports-no-adapter',
      comment:
        'src/adapters/kit is the transport plumbing shared by ws, SSE and TCP: it may import app, domain, lib, itself, packages and node: builtins, but no adapter.',
      severity: 'error',
      from: { path: '^src/adapters/kit/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/kit/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment:
        'An adapter (a folder under src/adapters other than kit) imports only its own folder and src/adapters/kit from src/adapters, never another adapter.',
      severity: 'error',
      from: { path: '^src/adapters/(?!kit/)([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: ['^src/adapters/$1/', '^src/adapters/kit/'] },
    },
    {
      name: 'adapters-import-inward-only',
      comment:
        'From src, an adapter (kit included) imports only src/app, src/domain, src/lib and src/adapters; never the composition root, main.ts or any other module outside the layers.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/', pathNot: '^src/(app|domain|lib|adapters)/' },
    },
    {
      name: 'only-composition-root-imports-adapters',
      comment:
        'Only the composition root (src/composition-root.ts and the entry point src/main.ts) names concrete adapters; no other module outside an adapter folder imports src/adapters.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/adapters/[^/]+/', '^src/(composition-root|main)[.]ts$'],
      },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'no-circular',
      comment: 'No module in src depends on itself through its own imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment:
        'Every import in src resolves to a file, a package or a node builtin; an import the checker cannot follow would escape every rule above.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7 (the Go tsc) has no compiler API, so dependency-cruiser's 'tsc' parser is not
    // available; swc (@swc/core) parses TypeScript, decorators included.
    parser: 'swc',
    // Packages and builtins are leaves: resolve them (the rules name them), do not cruise them.
    doNotFollow: { path: 'node_modules' },
    // Resolve packages as Node resolves this ESM project's imports: through package.json
    // "exports" (inversify has no "main"). Local imports carry explicit .ts extensions.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['node', 'import', 'default'],
    },
  },
};
