// Replay pacing, as pure arithmetic: which records are due at a given wall time when a
// capture plays at `speed` times its own pace. Long idle gaps are shortened to
// `maxIdleMs` of wall time so that captures with multi-year gaps or epoch-zero starts
// still play; out-of-order records are released at once.

export type ReplaySpeed = number | 'max';

export interface PacerOptions {
  speed: ReplaySpeed;
  /** Longest wall-clock wait between two records; longer capture gaps are skipped. */
  maxIdleMs?: number;
}

export function parseSpeed(text: string): ReplaySpeed {
  if (text === 'max') return 'max';
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`speed must be a positive number or "max", got "${text}"`);
  return v;
}

export class ReplayPacer {
  speed: ReplaySpeed;
  readonly maxIdleMs: number;
  paused = false;
  private anchorCapture = NaN;
  private anchorWall = NaN;
  /** Capture time the clock stopped at while paused. */
  private pausedAt = NaN;
  /** Newest capture time released so far. */
  released = -Infinity;

  constructor(options: PacerOptions) {
    const { speed, maxIdleMs = 2000 } = options;
    validateSpeed(speed);
    if (!(maxIdleMs > 0)) throw new RangeError(`maxIdleMs must be positive, got ${maxIdleMs}`);
    this.speed = speed;
    this.maxIdleMs = maxIdleMs;
  }

  /**
   * Given record times [from, to) and the wall clock, returns how many records from `from`
   * are due now (`end`, exclusive) and, if not all, how long to wait for the next (ms).
   */
  due(times: Float64Array, from: number, to: number, nowMs: number): { end: number; waitMs: number } {
    if (from >= to) return { end: to, waitMs: 0 };
    if (this.paused) return { end: from, waitMs: 100 };
    if (this.speed === 'max') {
      for (let i = from; i < to; i++) if (times[i] > this.released) this.released = times[i];
      return { end: to, waitMs: 0 };
    }
    if (Number.isNaN(this.anchorCapture)) { this.anchorCapture = times[from]; this.anchorWall = nowMs; }
    const msPerCaptureSecond = 1000 / this.speed;
    let i = from;
    for (; i < to; i++) {
      const t = times[i];
      if (t <= this.released) continue; // late or equal: release now
      let dueAt = this.anchorWall + (t - this.anchorCapture) * msPerCaptureSecond;
      const lastDue = this.released === -Infinity ? nowMs
        : this.anchorWall + (this.released - this.anchorCapture) * msPerCaptureSecond;
      if (dueAt - lastDue > this.maxIdleMs) {
        // Skip the idle gap: re-anchor so this record comes maxIdleMs after the last one.
        this.anchorCapture = t;
        this.anchorWall = Math.max(lastDue, nowMs - this.maxIdleMs) + this.maxIdleMs;
        dueAt = this.anchorWall;
      }
      if (dueAt > nowMs) return { end: i, waitMs: dueAt - nowMs };
      this.released = t;
    }
    return { end: to, waitMs: 0 };
  }

  /** The capture time the replay clock shows at `nowMs` (never past `limit`, the next record). */
  captureNow(nowMs: number, limit = Infinity): number {
    if (this.paused) return this.pausedAt;
    if (this.speed === 'max' || Number.isNaN(this.anchorCapture)) return this.released;
    const t = this.anchorCapture + ((nowMs - this.anchorWall) * this.speed) / 1000;
    return Math.max(this.released, Math.min(t, limit));
  }

  pause(nowMs: number): void {
    if (this.paused) return;
    this.pausedAt = this.captureNow(nowMs);
    this.paused = true;
  }

  resume(nowMs: number): void {
    if (!this.paused) return;
    this.paused = false;
    this.reanchor(this.pausedAt, nowMs);
  }

  /** Changes speed without a jump: the capture clock goes on from where it is. */
  setSpeed(speed: ReplaySpeed, nowMs: number): void {
    validateSpeed(speed);
    const clock = this.captureNow(nowMs);
    this.speed = speed;
    if (!this.paused) this.reanchor(clock, nowMs);
  }

  /** Moves the clock to capture time `t`: records up to `t` are due at once, later ones paced from now. */
  jumpTo(t: number, nowMs: number): void {
    this.released = t;
    if (this.paused) this.pausedAt = t;
    else this.reanchor(t, nowMs);
  }

  /** Forgets the clock, for a new pass over the capture. */
  restart(): void {
    this.released = -Infinity;
    this.anchorCapture = NaN;
    if (this.paused) this.pausedAt = -Infinity;
  }

  private reanchor(clock: number, nowMs: number): void {
    if (Number.isNaN(clock) || clock === -Infinity) { this.anchorCapture = NaN; return; }
    this.anchorCapture = clock;
    this.anchorWall = nowMs;
  }
}

function validateSpeed(speed: ReplaySpeed): void {
  if (speed !== 'max' && !(typeof speed === 'number' && speed > 0 && Number.isFinite(speed))) {
    throw new RangeError(`speed must be a positive number or "max", got ${String(speed)}`);
  }
}
