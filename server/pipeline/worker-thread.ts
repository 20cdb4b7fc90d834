// Starts one of the server's worker threads (server/workers/NAME) from wherever this code runs.
import { Worker } from 'node:worker_threads';

export function startWorker(name: string): Worker {
  // Built (dist/server/cli.js and its chunks): workers sit at dist/server/workers/. From source
  // (tests and the bench run TypeScript directly) they are server/workers/*.ts, loaded through
  // tsx's loader registered inside the worker (an `--import tsx` execArgv does not reach workers).
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./workers/${name}.js`, import.meta.url));
  const entry = new URL(`../workers/${name}.ts`, import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
