// A seek index made on a pass through a capture file: (capture time, byte offset of the
// record or line that starts a row) about every second of capture time, and at least every
// `rowsApart` rows so that dense captures still get entries a bounded read apart. Entries are
// kept in the order read, in growable typed arrays (20 bytes each: an hour of capture is
// ~70 KiB). A seek opens the file at an entry instead of re-reading it from the start.
// In a pcapng file an entry also names the section state (byte order, interfaces) in force
// there, kept once per change.
import type { PcapngSection } from './pcap-reader.js';

export class CaptureIndex {
  /** Capture time of the row at offsets[i]; rows only, in the order read. */
  times = new Float64Array(256);
  /** Absolute byte offset where that row's record (pcap) or line (text) begins. */
  offsets = new Float64Array(256);
  /** Index into `sections` of the pcapng section at offsets[i]; -1 for other formats. */
  sectionOf = new Int32Array(256);
  /** pcapng section states, one per change, in the order read. */
  readonly sections: PcapngSection[] = [];
  size = 0;
  /**
   * False once a row's time went backwards. No entries are added after that: one there would
   * not bound the times before it. Entries already made still do (every row before them was
   * read in time order), so the index keeps serving seeks within that prefix.
   */
  monotone = true;
  /** Set when a pass read the whole file into this index. */
  complete = false;

  private lastTime = -Infinity;
  private rowsSince = 0;

  constructor(readonly secondsApart = 1, readonly rowsApart = 65536) {
    if (!(secondsApart > 0) || !Number.isFinite(secondsApart)) throw new RangeError(`secondsApart must be a positive number, got ${secondsApart}`);
    if (!Number.isInteger(rowsApart) || rowsApart <= 0) throw new RangeError(`rowsApart must be a positive integer, got ${rowsApart}`);
  }

  /** Forgets every entry, for a new pass from the start of the file. */
  reset(): void {
    this.size = 0;
    this.sections.length = 0;
    this.monotone = true;
    this.complete = false;
    this.lastTime = -Infinity;
    this.rowsSince = 0;
  }

  /**
   * Notes rows [0, count) of a batch, whose row i began at byte rowOffsets[i], all read in
   * pcapng section sections[section] (-1: not pcapng).
   */
  noteRows(time: Float64Array, rowOffsets: Float64Array, count: number, section = -1): void {
    if (!this.monotone) return;
    for (let i = 0; i < count; i++) {
      const t = time[i];
      if (!(t >= this.lastTime)) { this.monotone = false; return; }
      this.lastTime = t;
      const n = this.size;
      if (n === 0 || t >= this.times[n - 1] + this.secondsApart || ++this.rowsSince >= this.rowsApart) {
        this.push(t, rowOffsets[i], section);
        this.rowsSince = 0;
      }
    }
  }

  /**
   * The last entry whose time is strictly before `t`, or -1 (none).
   * Strictly: every row before such an entry is then earlier than `t` too, so reading from
   * it and skipping rows before `t` releases exactly what a read from the start would.
   */
  entryBefore(t: number): number {
    if (this.size === 0 || !(this.times[0] < t)) return -1;
    let lo = 0, hi = this.size - 1;
    // Invariant: times[lo] < t; find the largest such lo.
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.times[mid] < t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The pcapng section state at entry e, or undefined for other formats. */
  sectionAt(e: number): PcapngSection | undefined {
    return this.sectionOf[e] >= 0 ? this.sections[this.sectionOf[e]] : undefined;
  }

  private push(t: number, offset: number, section: number): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.size * 2), offsets = new Float64Array(this.size * 2), sectionOf = new Int32Array(this.size * 2);
      times.set(this.times); offsets.set(this.offsets); sectionOf.set(this.sectionOf);
      this.times = times; this.offsets = offsets; this.sectionOf = sectionOf;
    }
    this.times[this.size] = t;
    this.offsets[this.size] = offset;
    this.sectionOf[this.size] = section;
    this.size++;
  }
}
