// The replay edge: turns a capture's batches into an rxjs stream of released slices,
// paced by a ReplayPacer against the wall clock. Loops re-read the capture from the start;
// seeks reopen it (from an indexed offset, where the opener has one) and skip what lies
// before the target less the lead; the consumer resets its window then.
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

/** Asked on every step, so that a viewer's request takes effect at once. */
export interface ReplayControl {
  loop(): boolean;
  /** A pending seek target (capture seconds, in the capture's own time), taken once. */
  takeSeek(): number | null;
}

export interface ReplayOptions {
  /**
   * Opens the capture afresh (once per pass and per seek). Rows are dropped up to the first
   * at or after `skipBefore`, so the opener may start past any run of rows all before it
   * (-Infinity: from the first row).
   */
  open: (skipBefore: number) => AsyncIterable<PacketBatch>;
  pacer: ReplayPacer;
  control: ReplayControl;
  /** Whether the capture can be read again (stdin cannot): without it, no loop or seek. */
  reopenable: boolean;
  /** Records this long before a seek target are still released (to fill the window). */
  seekLeadSeconds: number;
  /** Called when a pass reaches the end of the capture, with its time range. */
  onPassEnd?: (pass: number, first: number, last: number) => void;
  /** Called before the capture is read again: from `target` (a seek) or from the start (null, a loop). */
  onRestart?: (target: number | null) => void;
  /** Smallest timer wait; records due within it are released together. */
  tickMs?: number;
}

export function replay(options: ReplayOptions): Observable<ReleasedSlice> {
  const { open, pacer, control, reopenable, seekLeadSeconds, onPassEnd, onRestart, tickMs = 10 } = options;
  return new Observable<ReleasedSlice>((subscriber) => {
    let stopped = false;
    const run = async () => {
      let pass = 0;
      let seekTarget: number | null = null;
      const restartAt = (target: number | null) => {
        seekTarget = target;
        onRestart?.(target);
        if (target === null) pacer.restart(); else pacer.jumpTo(target, Date.now());
      };
      while (!stopped) {
        let first = NaN, last = -Infinity, sought = false;
        const skipBefore = seekTarget === null ? -Infinity : seekTarget - seekLeadSeconds;
        // Skipping ends at the first row at or after skipBefore, across batches: a capture
        // whose times step back then plays on as read, whichever row the opener began at.
        let skipping = skipBefore > -Infinity;
        pass: for await (const batch of open(skipBefore)) {
          const t = batch.time;
          const n = batch.length;
          for (let i = 0; i < n; i++) {
            if (!(t[i] >= first)) first = t[i];
            if (t[i] > last) last = t[i];
          }
          let from = 0;
          if (skipping) {
            while (from < n && t[from] < skipBefore) from++;
            skipping = from === n;
          }
          while (from < n) {
            if (stopped) return;
            const target = reopenable ? control.takeSeek() : null;
            if (target !== null) { restartAt(target); sought = true; break pass; }
            const { end, waitMs } = pacer.due(t, from, n, Date.now());
            if (end > from) subscriber.next({ batch, start: from, end });
            from = end;
            if (from < n) await sleep(Math.max(tickMs, Math.min(waitMs, 250)));
          }
          if (pacer.speed === 'max') await yieldToLoop();
          if (stopped) return;
        }
        if (sought) continue;
        onPassEnd?.(pass, first, last);
        pass++;
        if (last === -Infinity || !reopenable) break; // empty: looping would spin; stdin: cannot re-read
        // At the end: loop, or wait for a seek or for looping to be switched on.
        for (;;) {
          if (stopped) return;
          if (control.loop()) { restartAt(null); break; }
          const target = control.takeSeek();
          if (target !== null) { restartAt(target); break; }
          await sleep(100);
        }
      }
      if (!stopped) subscriber.complete();
    };
    run().catch((err) => subscriber.error(err));
    return () => { stopped = true; };
  });
}
