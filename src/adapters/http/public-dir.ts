import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's files: `public/` beside Hubbub's package.json, the first one found upwards from
 * this module, which sits at another depth in src/ (tests and tsx) than in the bundle that
 * `npm start` runs. `undefined` when that package has no `public/index.html`.
 */
export const findPublicDir = (
  from = dirname(fileURLToPath(import.meta.url)),
): string | undefined => {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) {
      return existsSync(join(folder, 'public', 'index.html')) ? join(folder, 'public') : undefined;
    }
    if (dirname(folder) === folder) return undefined;
  }
};

/**
 * Where the page's files are served from, in order: `public/` (what is written by hand) and
 * `dist/public/` beside it (the page's script, bundled by `npm run build` from src/page).
 */
export const findPageDirs = (from?: string): string[] => {
  const publicDir = findPublicDir(from);
  if (publicDir === undefined) return [];
  const built = join(dirname(publicDir), 'dist', 'public');
  return existsSync(built) ? [publicDir, built] : [publicDir];
};
