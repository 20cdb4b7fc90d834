// Background worker threads lower their own CPU priority, not the process's: the event loop
// keeps its own.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { BACKGROUND_NICE } from '../../../server/workers/background-priority.js';

/** Nice value of a thread (/proc/self/task/TID/stat, field 19), or of the process without TID. */
function niceOf(tid?: string): number {
  const stat = readFileSync(tid === undefined ? '/proc/self/stat' : `/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(process.platform === 'linux')('lowerThisThreadPriority', () => {
  it('lowers the calling worker thread to BACKGROUND_NICE and leaves the main thread as it was', async () => {
    const module = new URL('../../../server/workers/background-priority.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `
      const { parentPort } = await import('node:worker_threads');
      const { readlinkSync } = await import('node:fs');
      (await import(${JSON.stringify(tsx)})).register();
      const { lowerThisThreadPriority } = await import(${JSON.stringify(module)});
      parentPort.postMessage({ lowered: lowerThisThreadPriority(), tid: readlinkSync('/proc/thread-self').split('/').pop() });`;
    const before = niceOf();
    expect(before).toBeLessThan(BACKGROUND_NICE); // a test run at a lower priority still could not raise it
    const worker = new Worker(`(async () => { ${code} })()`, { eval: true });
    const reply = await new Promise<{ lowered: boolean; tid: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(reply.lowered).toBe(true);
    expect(niceOf(reply.tid)).toBe(BACKGROUND_NICE);
    expect(niceOf()).toBe(before);
    await worker.terminate();
  });
});
