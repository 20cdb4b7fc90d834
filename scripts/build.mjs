// Builds dist/: the server (CLI + workers) for Node and the page for the browser, with esbuild.
// `--if-stale` skips the build when dist/ is newer than every source file.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', 'server', 'cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const src = Math.max(...['server', 'shared', 'client'].map((d) => newestMtime(join(root, d))));
  if (statSync(stamp).mtimeMs > src) process.exit(0);
}

// Chunk names change with their content: start from an empty dist/ so old ones do not pile up.
rmSync(join(root, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: {
    'server/cli': join(root, 'server/cli.ts'),
    'server/workers/picture-worker': join(root, 'server/workers/picture-worker.ts'),
    'server/workers/bundle-worker': join(root, 'server/workers/bundle-worker.ts'),
    'server/workers/text-parse-worker': join(root, 'server/workers/text-parse-worker.ts'),
  },
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Commands load on demand (server/cli.ts): shared code goes into chunks beside cli.js, so
  // paths relative to import.meta.url (the worker, the page) hold in every chunk.
  splitting: true,
  chunkNames: 'server/[name]-[hash]',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

await build({
  entryPoints: { main: join(root, 'client/main.ts'), wall: join(root, 'client/wall.ts') },
  outdir: join(root, 'dist/client'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
mkdirSync(join(root, 'dist/client'), { recursive: true });
for (const f of ['index.html', 'style.css', 'wall.html', 'wall.css']) copyFileSync(join(root, 'client', f), join(root, 'dist/client', f));
copyFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(root, 'dist/client/uPlot.min.css'));
