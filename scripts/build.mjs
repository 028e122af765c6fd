// `npm run build` (run by `npm install` through `prepare`): the server as one ES module,
// dist/main.js, which `npm start` runs with node itself. One file instead of the several
// hundred modules of the dependencies halves what Node spends on loading them (start-up
// memory and time; see docs/benchmarks.md). Native addons stay outside the bundle.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['bufferutil', 'utf-8-validate'],
  // Bundled code has no __dirname: a pino transport (a worker thread loading files by path)
  // would not work here; the logger writes to stderr in-process instead.
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as hubbubCreateRequire } from 'node:module'; const require = hubbubCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// `hubbub/client`: the client library as one ES module for browsers and Node (no dependency).
await build({
  entryPoints: ['src/client/index.ts'],
  outfile: 'dist/client.js',
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  target: 'es2022',
  logLevel: 'warning',
});

// The chat page's script (src/page, on hubbub/client) and stylesheet, served from dist/public
// beside public/.
await build({
  entryPoints: [
    { in: 'src/page/main.ts', out: 'page' },
    { in: 'src/page/page.css', out: 'page' },
  ],
  outdir: 'dist/public',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});
