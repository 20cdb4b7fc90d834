// Timing: the median of several runs after warm-up runs (which let V8 compile the hot loops).
// Wall time is what the figures report; on a shared 2-core machine, CPU time beside it shows
// how much other processes took.

export interface Timing<T> {
  /** Median wall time, ms. */
  ms: number;
  /** Every timed run's wall time, ms, in run order. */
  runs: number[];
  /** Median CPU time (user + system) of this process, ms. */
  cpuMs: number;
  /** What the last timed run returned. */
  result: T;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times `run` (sync or async) `runs` times after `warmups` untimed calls of `warmup` (default
 * `run` itself; a smaller input warms the same code where a full run takes long).
 */
export async function time<T>(run: () => T | Promise<T>, runs: number, warmups = 1, warmup: () => unknown = run): Promise<Timing<T>> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  if (!Number.isInteger(warmups) || warmups < 0) throw new RangeError(`warmups must be a non-negative integer, got ${warmups}`);
  for (let i = 0; i < warmups; i++) await warmup();
  const wall: number[] = [], cpu: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(wall), runs: wall, cpuMs: median(cpu), result };
}
