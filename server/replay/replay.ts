// The replay edge: turns a capture's batches into an rxjs stream of released slices,
// paced by a ReplayPacer against the wall clock. Optionally loops, shifting each pass's
// capture times so that the clock keeps moving forward.
import { Observable } from 'rxjs';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PacketBatch } from '../../shared/records.js';
import type { ReplayPacer } from './pacer.js';

/** Rows [start, end) of `batch`, valid only during the synchronous `next` call. */
export interface ReleasedSlice {
  batch: PacketBatch;
  start: number;
  end: number;
}

export interface ReplayOptions {
  /** Opens the capture afresh (called once per pass). */
  open: () => AsyncIterable<PacketBatch>;
  pacer: ReplayPacer;
  loop?: boolean;
  /** Called when a pass ends (e.g. to collect the source's counters). */
  onPassEnd?: (pass: number) => void;
  /** Smallest timer wait; records due within it are released together. */
  tickMs?: number;
}

export function replay(options: ReplayOptions): Observable<ReleasedSlice> {
  const { open, pacer, loop = false, onPassEnd, tickMs = 10 } = options;
  return new Observable<ReleasedSlice>((subscriber) => {
    let stopped = false;
    const run = async () => {
      let offset = 0;
      let pass = 0;
      do {
        let first = NaN, last = -Infinity;
        for await (const batch of open()) {
          if (stopped) return;
          const t = batch.time;
          const n = batch.length;
          if (Number.isNaN(first) && n > 0) {
            first = t[0];
            // Continue a loop one second after the previous pass ended.
            if (pass > 0) offset = pacer.released - first + 1;
          }
          if (offset !== 0) for (let i = 0; i < n; i++) t[i] += offset;
          for (let i = 0; i < n; i++) if (t[i] > last) last = t[i];
          let from = 0;
          while (from < n) {
            const { end, waitMs } = pacer.due(t, from, n, Date.now());
            if (end > from) subscriber.next({ batch, start: from, end });
            from = end;
            if (stopped) return;
            if (from < n) await sleep(Math.max(tickMs, Math.min(waitMs, 250)));
          }
          if (pacer.speed === 'max') await yieldToLoop();
        }
        onPassEnd?.(pass);
        pass++;
        if (last === -Infinity) break; // an empty capture would loop forever
      } while (loop && !stopped);
      subscriber.complete();
    };
    run().catch((err) => subscriber.error(err));
    return () => { stopped = true; };
  });
}
