// Where the team's real test data lives: NETSHADE_TEST_DATA, default ../shared/data beside the repo.
// Tests that need it use `describeData` / `itData`: they skip, saying why, where it is absent,
// and fail instead under CI (which always has it).
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_ROOT = repoRoot;
export const DATA_DIR = resolve(process.env.NETSHADE_TEST_DATA ?? join(repoRoot, '..', 'shared', 'data'));
export const HAVE_DATA = existsSync(join(DATA_DIR, 'pcap'));

if (!HAVE_DATA) {
  if (process.env.CI) throw new Error(`test data not found at ${DATA_DIR} (set NETSHADE_TEST_DATA)`);
  console.warn(`[netshade tests] skipping real-data tests: no test data at ${DATA_DIR} (set NETSHADE_TEST_DATA)`);
}

export function dataPath(...parts: string[]): string {
  return join(DATA_DIR, ...parts);
}

export const describeData = HAVE_DATA ? describe : describe.skip;
export const itData = HAVE_DATA ? it : it.skip;
