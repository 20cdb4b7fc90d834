// Bytes and packets per capture second, for the page's charts: a fixed ring of the most
// recent `capacity` seconds, filled from packet batches.
import { NO_HOST, type PacketBatch } from '../records.js';
import type { RateSample } from '../protocol.js';

export class RateSeries {
  readonly capacity: number;
  private readonly second: Float64Array;
  private readonly bytes: Float64Array;
  private readonly packets: Float64Array;
  /** Newest and oldest second seen, or ±Infinity before any. */
  private newest = -Infinity;
  private oldest = Infinity;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.second = new Float64Array(capacity).fill(NaN);
    this.bytes = new Float64Array(capacity);
    this.packets = new Float64Array(capacity);
  }

  add(batch: PacketBatch, start = 0, end = batch.length): void {
    const cap = this.capacity;
    for (let i = start; i < end; i++) {
      const s = Math.floor(batch.time[i]);
      if (s > this.newest) this.newest = s;
      if (s < this.oldest) this.oldest = s;
      if (s <= this.newest - cap) continue; // older than the ring
      const slot = ((s % cap) + cap) % cap;
      if (this.second[slot] !== s) { this.second[slot] = s; this.bytes[slot] = 0; this.packets[slot] = 0; }
      if (batch.src[i] !== NO_HOST) this.bytes[slot] += batch.bytes[i]; // graphed bytes, as in Stats.bytes
      this.packets[slot] += 1;
    }
  }

  /**
   * The last `count` seconds up to the newest (never before the first second seen), oldest
   * first; seconds without traffic are 0.
   */
  recent(count: number): RateSample[] {
    if (this.newest === -Infinity) return [];
    const n = Math.min(count, this.capacity);
    const out: RateSample[] = [];
    for (let s = Math.max(this.newest - n + 1, this.oldest); s <= this.newest; s++) {
      const slot = ((s % this.capacity) + this.capacity) % this.capacity;
      const hit = this.second[slot] === s;
      out.push({ t: s, bytes: hit ? this.bytes[slot] : 0, packets: hit ? this.packets[slot] : 0 });
    }
    return out;
  }
}
