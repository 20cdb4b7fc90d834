// Where the bench finds the team's data: NETSHADE_TEST_DATA, default ../shared/data beside the
// repo (as test/helpers/data.ts, which the bench cannot import: it loads vitest).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = resolve(process.env.NETSHADE_TEST_DATA ?? join(REPO_ROOT, '..', 'shared', 'data'));

/** Path of a data file; throws, naming it and the variable to set, when it is not there. */
export function dataPath(...parts: string[]): string {
  const path = join(DATA_DIR, ...parts);
  if (!existsSync(path)) throw new Error(`bench input not found: ${path} (set NETSHADE_TEST_DATA to the team's data folder)`);
  return path;
}
