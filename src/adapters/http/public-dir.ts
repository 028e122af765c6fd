import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding `file` (a path like `public/index.html`), in `start` or the nearest folder above it. */
const folderAbove = (file: string, start: string): string => {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, file))) return join(folder, dirname(file));
    if (dirname(folder) === folder) throw new Error(`no ${file} above ${start}`);
  }
};

/**
 * The page's files: `public/` at the top of the package, found upwards from this module, which
 * sits at another depth in src/ (tests and tsx) than in the bundle that `npm start` runs.
 */
export const PUBLIC_DIR = folderAbove('public/index.html', dirname(fileURLToPath(import.meta.url)));
