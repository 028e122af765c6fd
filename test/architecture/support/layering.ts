import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ICruiseResult } from 'dependency-cruiser';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const configFile = join(repositoryRoot, '.dependency-cruiser.cjs');
const runner = fileURLToPath(new URL('./cruise-trees.mjs', import.meta.url));

export type Violation = { rule: string; from: string; to: string };

export type Layering = {
  /** Every rule broken, sorted by `show`. */
  violations: Violation[];
  /** The modules under src that were cruised, sorted. */
  sources: string[];
  /** Every dependency of a module under src, as `from → resolved`. */
  edges: string[];
  /** The imports that did not resolve, as `from → import`. */
  unresolved: string[];
};

export const show = (v: Violation): string => `${v.rule}: ${v.from} → ${v.to}`;

/**
 * Cruises `directory`/src for each directory with the project's own `.dependency-cruiser.cjs`, as
 * `npm run depcruise` does. One child process cruises them all: dependency-cruiser's API cannot run
 * under tsx (its swc parser imports `@swc/core/Visitor.js` and, with tsx's CommonJS interop, gets
 * the class as the default export instead of the module, so it finds no `Visitor` and extracts
 * nothing), so plain node runs it.
 */
export async function checkLayering(directories: string[]): Promise<Layering[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [runner, configFile, ...directories],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as ICruiseResult[]).map(summarize);
}

function summarize(result: ICruiseResult): Layering {
  const sources = result.modules.filter((m) => m.source.startsWith('src/'));
  const dependencies = sources.flatMap((m) =>
    m.dependencies.map((d) => ({ ...d, from: m.source })),
  );
  return {
    violations: (result.summary.violations ?? [])
      .map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }))
      .sort((a, b) => show(a).localeCompare(show(b))),
    sources: sources.map((m) => m.source).sort(),
    edges: dependencies.map((d) => `${d.from} → ${d.resolved}`),
    unresolved: dependencies.filter((d) => d.couldNotResolve).map((d) => `${d.from} → ${d.module}`),
  };
}

/** Source files of a tree: path (relative to the tree's root) → text. */
export type Tree = Record<string, string>;

/**
 * Writes each tree into its own directory under a fresh one in the OS temp directory, each beside
 * a node_modules with three tiny packages: inversify and reflect-metadata (the two the app layer
 * may use) and koa (one it may not); checks them all, removes them, and returns the layering of
 * each under its name.
 */
export async function checkTrees<Name extends string>(
  trees: Record<Name, Tree>,
): Promise<Record<Name, Layering>> {
  const root = await mkdtemp(join(tmpdir(), 'hubbub-layering-'));
  try {
    const names = Object.keys(trees) as Name[];
    const directories = names.map((_, i) => join(root, String(i)));
    for (const [i, name] of names.entries()) {
      await writeTree(join(root, String(i)), { ...packages, ...trees[name] });
    }
    const layerings = await checkLayering(directories);
    return Object.fromEntries(names.map((name, i) => [name, layerings[i]])) as Record<
      Name,
      Layering
    >;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function writeTree(directory: string, tree: Tree): Promise<void> {
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), text);
  }
}

const packageJson = (name: string, entry: Record<string, string>): string =>
  JSON.stringify({ name, version: '1.0.0', type: 'module', ...entry });

const packages: Tree = {
  'node_modules/inversify/package.json': packageJson('inversify', { exports: './index.js' }),
  'node_modules/inversify/index.js':
    'export const injectable = () => (c) => c;\nexport const inject = () => () => {};\n',
  'node_modules/reflect-metadata/package.json': packageJson('reflect-metadata', {
    main: 'Reflect.js',
  }),
  'node_modules/reflect-metadata/Reflect.js': '',
  'node_modules/koa/package.json': packageJson('koa', { exports: './index.js' }),
  'node_modules/koa/index.js': 'export default class Koa {}\n',
};
