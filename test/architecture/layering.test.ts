// The layering rules in .dependency-cruiser.cjs bite: a small tree shaped like src passes, and
// each forbidden import, added to it alone, fails with the rule that forbids it. The check of
// the real src is `npm run depcruise` (and test/architecture/src-layering.test.ts).
import test from 'ava';
import { checkTrees, type Layering, show, type Tree } from './support/layering.ts';

/** A tree with every kind of allowed import, the way the real layout uses them. */
const cleanTree: Tree = {
  'src/domain/state.ts': 'export type State = { readonly count: number };\n',
  'src/domain/index.ts': `export type { State } from './state.ts';
export const initial = { count: 0 };
`,
  'src/lib/persistent-map.ts':
    'export const emptyMap = <K, V>(): ReadonlyMap<K, V> => new Map();\n',
  'src/app/ports/clock.port.ts': 'export interface Clock {\n  now(): number;\n}\n',
  'src/app/tokens.ts': "export const TOKENS = { Clock: Symbol('Clock') } as const;\n",
  'src/app/hub-service.ts': `import 'reflect-metadata';
import { inject, injectable } from 'inversify';
import { initial, type State } from '../domain/index.ts';
import { emptyMap } from '../lib/persistent-map.ts';
import type { Clock } from './ports/clock.port.ts';
import { TOKENS } from './tokens.ts';

@injectable()
export class HubService {
  state: State = initial;
  seen = emptyMap<string, number>();
  constructor(@inject(TOKENS.Clock) readonly clock: Clock) {}
}
`,
  'src/adapters/kit/stream-delivery.ts': `import type { Socket } from 'node:net';
import type { HubService } from '../../app/hub-service.ts';
import type { State } from '../../domain/index.ts';

export const deliver = (socket: Socket, hub: HubService, state: State) => [socket, hub, state];
`,
  'src/adapters/a/a-transport.adapter.ts': `import { createServer } from 'node:http';
import { inject, injectable } from 'inversify';
import Koa from 'koa';
import { HubService } from '../../app/hub-service.ts';
import { TOKENS } from '../../app/tokens.ts';
import { emptyMap } from '../../lib/persistent-map.ts';
import { deliver } from '../kit/stream-delivery.ts';
import { codec } from './codec.ts';

@injectable()
export class ATransport {
  constructor(@inject(TOKENS.Clock) readonly hub: HubService) {}
  parts = [createServer, Koa, emptyMap, deliver, codec];
}
`,
  'src/adapters/a/codec.ts': 'export const codec = (text: string) => text;\n',
  'src/adapters/b/b-clock.adapter.ts': `import type { Clock } from '../../app/ports/clock.port.ts';
import { deliver } from '../kit/stream-delivery.ts';

export class BClock implements Clock {
  now = () => Date.now();
  kit = deliver;
}
`,
  'src/client/index.ts': 'export class Client {}\n',
  'src/page/main.ts':
    "import { Client } from '../client/index.ts';\nexport const client = new Client();\n",
  'src/composition-root.ts': `import { HubService } from './app/hub-service.ts';
import { ATransport } from './adapters/a/a-transport.adapter.ts';
import { BClock } from './adapters/b/b-clock.adapter.ts';

export const compose = () => new ATransport(new HubService(new BClock()));
`,
  'src/main.ts': `import type { ATransport } from './adapters/a/a-transport.adapter.ts';
import { compose } from './composition-root.ts';

const transport: ATransport = compose();
export default transport;
`,
};

/** Each forbidden import, the file that adds it, and the rules it breaks (and no other). */
const forbidden: Array<{ title: string; files: Tree; rules: string[] }> = [
  {
    title: 'domain imports app',
    files: { 'src/domain/bad.ts': "export { TOKENS } from '../app/tokens.ts';\n" },
    rules: ['domain-is-pure'],
  },
  {
    title: 'domain imports app, type only',
    files: {
      'src/domain/bad.ts':
        "import type { Clock } from '../app/ports/clock.port.ts';\nexport type C = Clock;\n",
    },
    rules: ['domain-is-pure'],
  },
  {
    title: 'domain imports node:fs',
    files: { 'src/domain/bad.ts': "export { readFileSync } from 'node:fs';\n" },
    rules: ['domain-is-pure'],
  },
  {
    title: 'domain imports a package',
    files: { 'src/domain/bad.ts': "export { injectable } from 'inversify';\n" },
    rules: ['domain-is-pure'],
  },
  {
    title: 'lib imports domain',
    files: { 'src/lib/bad.ts': "export { initial } from '../domain/index.ts';\n" },
    rules: ['lib-is-pure'],
  },
  {
    title: 'lib imports node:util',
    files: { 'src/lib/bad.ts': "export { inspect } from 'node:util';\n" },
    rules: ['lib-is-pure'],
  },
  {
    title: 'the client library imports the domain',
    files: { 'src/client/bad.ts': "export { initial } from '../domain/index.ts';\n" },
    rules: ['client-is-standalone'],
  },
  {
    title: 'the page imports the domain',
    files: { 'src/page/bad.ts': "export { initial } from '../domain/index.ts';\n" },
    rules: ['page-only-client'],
  },
  {
    title: 'the page imports a package',
    files: { 'src/page/bad.ts': "export { default } from 'koa';\n" },
    rules: ['page-only-client'],
  },
  {
    title: 'app imports an adapter',
    files: {
      'src/app/container.ts':
        "export { ATransport } from '../adapters/a/a-transport.adapter.ts';\n",
    },
    rules: ['app-only-domain-and-lib', 'only-composition-root-imports-adapters'],
  },
  {
    title: 'app imports node:net',
    files: {
      'src/app/admission.ts': "import type { Socket } from 'node:net';\nexport type S = Socket;\n",
    },
    rules: ['app-no-node-builtins'],
  },
  {
    title: 'app imports a package other than inversify and reflect-metadata',
    files: { 'src/app/web.ts': "export { default } from 'koa';\n" },
    rules: ['app-only-domain-and-lib'],
  },
  {
    title: 'adapter a imports adapter b',
    files: { 'src/adapters/a/bad.ts': "export { BClock } from '../b/b-clock.adapter.ts';\n" },
    rules: ['adapters-do-not-import-each-other'],
  },
  {
    title: 'kit imports adapter a',
    files: { 'src/adapters/kit/bad.ts': "export { codec } from '../a/codec.ts';\n" },
    rules: ['kit-imports-no-adapter'],
  },
  {
    title: 'an adapter imports the composition root',
    files: { 'src/adapters/b/bad.ts': "export { compose } from '../../composition-root.ts';\n" },
    rules: ['adapters-import-inward-only'],
  },
  {
    title: 'a module outside the layers, other than the root, imports an adapter',
    files: { 'src/tools.ts': "export { codec } from './adapters/a/codec.ts';\n" },
    rules: ['only-composition-root-imports-adapters'],
  },
  {
    title: 'two modules import each other',
    files: {
      'src/domain/ping.ts': "import { pong } from './pong.ts';\nexport const ping = () => pong;\n",
      'src/domain/pong.ts': "import { ping } from './ping.ts';\nexport const pong = () => ping;\n",
    },
    rules: ['no-circular'],
  },
  {
    title: 'an import does not resolve',
    files: { 'src/adapters/a/bad.ts': "export { gone } from './gone.ts';\n" },
    rules: ['no-unresolvable'],
  },
];

// The clean tree, and the clean tree plus each forbidden import: cruised together, in one child
// process, which takes about a second.
let checked: Record<string, Layering> = {};
test.before(async () => {
  const trees: Record<string, Tree> = { clean: cleanTree };
  for (const { title, files } of forbidden) trees[title] = { ...cleanTree, ...files };
  checked = await checkTrees(trees);
});

function layeringOf(name: string): Layering {
  const layering = checked[name];
  if (layering === undefined) throw new Error(`no tree named ${name} was checked`);
  return layering;
}

test('the clean tree passes, with every module cruised and every import resolved', (t) => {
  const layering = layeringOf('clean');
  t.deepEqual(layering.violations.map(show), []);
  t.deepEqual(layering.unresolved, []);
  t.deepEqual(layering.sources, Object.keys(cleanTree).sort());
});

test('the allowed imports are there and pass: adapter → kit, adapter → app, root → adapters', (t) => {
  const { edges, violations } = layeringOf('clean');
  t.deepEqual(violations.map(show), []);
  const allowed = [
    // app: domain, lib, app, inversify, reflect-metadata; type-only imports and decorators parse
    'src/app/hub-service.ts → src/domain/index.ts',
    'src/app/hub-service.ts → src/lib/persistent-map.ts',
    'src/app/hub-service.ts → src/app/ports/clock.port.ts',
    'src/app/hub-service.ts → node_modules/inversify/index.js',
    'src/app/hub-service.ts → node_modules/reflect-metadata/Reflect.js',
    // kit: app, domain, node: builtins (a builtin resolves to its name without node:)
    'src/adapters/kit/stream-delivery.ts → src/app/hub-service.ts',
    'src/adapters/kit/stream-delivery.ts → src/domain/index.ts',
    'src/adapters/kit/stream-delivery.ts → net',
    // an adapter: kit, app, lib, its own folder, packages, node: builtins
    'src/adapters/a/a-transport.adapter.ts → src/adapters/kit/stream-delivery.ts',
    'src/adapters/a/a-transport.adapter.ts → src/app/hub-service.ts',
    'src/adapters/a/a-transport.adapter.ts → src/lib/persistent-map.ts',
    'src/adapters/a/a-transport.adapter.ts → src/adapters/a/codec.ts',
    'src/adapters/a/a-transport.adapter.ts → node_modules/koa/index.js',
    'src/adapters/a/a-transport.adapter.ts → http',
    'src/adapters/b/b-clock.adapter.ts → src/app/ports/clock.port.ts',
    // the composition root and the entry point name adapters
    'src/composition-root.ts → src/adapters/a/a-transport.adapter.ts',
    'src/composition-root.ts → src/adapters/b/b-clock.adapter.ts',
    'src/main.ts → src/adapters/a/a-transport.adapter.ts',
    // the page: the client library
    'src/page/main.ts → src/client/index.ts',
  ];
  t.deepEqual(
    allowed.filter((edge) => !edges.includes(edge)),
    [],
    'these allowed imports were not found',
  );
});

for (const { title, files, rules } of forbidden) {
  test(`forbidden: ${title} → ${rules.join(', ')}`, (t) => {
    const { violations } = layeringOf(title);
    const added = Object.keys(files);
    t.true(violations.length > 0, 'expected a violation');
    t.deepEqual([...new Set(violations.map((v) => v.rule))].sort(), [...rules].sort());
    for (const v of violations) t.true(added.includes(v.from), `unexpected: ${show(v)}`);
  });
}
