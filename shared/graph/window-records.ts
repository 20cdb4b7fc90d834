// The packet records of the current window, kept in a ring of typed columns, so that questions
// the graph cannot answer (a host's bytes in and out, its peers and ports, its own time
// series) are answered by one scan when someone asks. Memory is bounded: when the ring is
// full the oldest records give way, and `coveredFrom` says from when the answers hold.
import { NO_HOST, type PacketBatch } from '../records.js';

export const DEFAULT_RECORD_CAPACITY = 1 << 21;

export class WindowRecords {
  readonly capacity: number;
  readonly time: Float64Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly srcPort: Int32Array;
  readonly dstPort: Int32Array;
  readonly proto: Uint8Array;
  readonly bytes: Float64Array;
  /** Index of the oldest record and the number held. */
  head = 0;
  size = 0;
  /** Time of the newest record given way to make room (-Infinity: none lost). */
  private overwrittenUpTo = -Infinity;

  constructor(capacity = DEFAULT_RECORD_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.time = new Float64Array(capacity);
    this.src = new Int32Array(capacity);
    this.dst = new Int32Array(capacity);
    this.srcPort = new Int32Array(capacity);
    this.dstPort = new Int32Array(capacity);
    this.proto = new Uint8Array(capacity);
    this.bytes = new Float64Array(capacity);
  }

  /** Keeps the graphed rows (those with hosts) of rows [start, end) of a batch. */
  add(b: PacketBatch, start = 0, end = b.length): void {
    const cap = this.capacity;
    for (let i = start; i < end; i++) {
      if (b.src[i] === NO_HOST) continue;
      let at: number;
      if (this.size === cap) {
        at = this.head;
        if (this.time[at] > this.overwrittenUpTo) this.overwrittenUpTo = this.time[at];
        this.head = at + 1 === cap ? 0 : at + 1;
      } else {
        at = this.head + this.size;
        if (at >= cap) at -= cap;
        this.size++;
      }
      this.time[at] = b.time[i]; this.src[at] = b.src[i]; this.dst[at] = b.dst[i];
      this.srcPort[at] = b.srcPort[i]; this.dstPort[at] = b.dstPort[i]; this.proto[at] = b.proto[i]; this.bytes[at] = b.bytes[i];
    }
  }

  /** Forgets the oldest records while they are before `t` (records arrive about in time order). */
  dropBefore(t: number): void {
    const cap = this.capacity;
    while (this.size > 0 && this.time[this.head] < t) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
  }

  clear(): void {
    this.head = 0; this.size = 0; this.overwrittenUpTo = -Infinity;
  }

  /** Time of the oldest record held (Infinity when empty). */
  get oldestTime(): number {
    return this.size > 0 ? this.time[this.head] : Infinity;
  }

  /** The earliest time from which every record is still held (after any given way for room). */
  get coveredFrom(): number {
    return this.overwrittenUpTo;
  }
}
