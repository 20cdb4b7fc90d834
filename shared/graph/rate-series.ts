// Bytes and packets per capture second (in all and per protocol class) and hosts new in each
// second, for the page's charts: a fixed ring of the most recent `capacity` seconds, filled
// from packet batches.
import { NO_HOST, PROTO_COUNT, type PacketBatch } from '../records.js';
import type { RateSample } from '../protocol.js';

export class RateSeries {
  readonly capacity: number;
  private readonly second: Float64Array;
  private readonly bytes: Float64Array;
  private readonly packets: Float64Array;
  /** PROTO_COUNT per slot. */
  private readonly protoBytes: Float64Array;
  private readonly protoPackets: Float64Array;
  private readonly newHosts: Float64Array;
  /** Newest and oldest second seen, or ±Infinity before any. */
  private newest = -Infinity;
  private oldest = Infinity;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.second = new Float64Array(capacity).fill(NaN);
    this.bytes = new Float64Array(capacity);
    this.packets = new Float64Array(capacity);
    this.protoBytes = new Float64Array(capacity * PROTO_COUNT);
    this.protoPackets = new Float64Array(capacity * PROTO_COUNT);
    this.newHosts = new Float64Array(capacity);
  }

  add(batch: PacketBatch, start = 0, end = batch.length): void {
    const cap = this.capacity;
    for (let i = start; i < end; i++) {
      const s = Math.floor(batch.time[i]);
      if (s > this.newest) this.newest = s;
      if (s < this.oldest) this.oldest = s;
      if (s <= this.newest - cap) continue; // older than the ring
      const slot = this.slotFor(s);
      if (batch.src[i] !== NO_HOST) {
        // Graphed bytes, as in Stats.bytes.
        const p = slot * PROTO_COUNT + (batch.proto[i] < PROTO_COUNT ? batch.proto[i] : PROTO_COUNT - 1);
        this.bytes[slot] += batch.bytes[i];
        this.protoBytes[p] += batch.bytes[i];
        this.protoPackets[p] += 1;
      }
      this.packets[slot] += 1;
    }
  }

  /** Counts `count` hosts first seen in capture second `time` (floored). */
  addNewHosts(time: number, count: number): void {
    const s = Math.floor(time);
    if (count <= 0 || s <= this.newest - this.capacity) return;
    if (s > this.newest) this.newest = s;
    if (s < this.oldest) this.oldest = s;
    this.newHosts[this.slotFor(s)] += count;
  }

  /** The slot of second s, cleared when it last held another second. */
  private slotFor(s: number): number {
    const cap = this.capacity;
    const slot = ((s % cap) + cap) % cap;
    if (this.second[slot] !== s) {
      this.second[slot] = s; this.bytes[slot] = 0; this.packets[slot] = 0; this.newHosts[slot] = 0;
      this.protoBytes.fill(0, slot * PROTO_COUNT, (slot + 1) * PROTO_COUNT);
      this.protoPackets.fill(0, slot * PROTO_COUNT, (slot + 1) * PROTO_COUNT);
    }
    return slot;
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
      const hit = this.second[slot] === s, o = slot * PROTO_COUNT;
      const protoBytes = [], protoPackets = [];
      for (let p = 0; p < PROTO_COUNT; p++) { protoBytes.push(hit ? this.protoBytes[o + p] : 0); protoPackets.push(hit ? this.protoPackets[o + p] : 0); }
      out.push({
        t: s, bytes: hit ? this.bytes[slot] : 0, packets: hit ? this.packets[slot] : 0,
        protoBytes, protoPackets, newHosts: hit ? this.newHosts[slot] : 0,
      });
    }
    return out;
  }
}
