// A run of whole tcpdump text lines parsed on its own (in a worker thread, beside other runs),
// then joined onto what came before it, so a long text is parsed on every core and still
// yields the records, host ids and times a single pass from the start would.
//
// Two things depend on the lines before a segment: host ids (given in order of first
// appearance) and the days added to dateless stamps (counted from the clock wrapping past
// midnight). Each parsing thread keeps a host table of its own across its segments and
// reports the hosts new to it; joining maps them onto the shared table (in order, so ids come
// out as one pass gives them) and shifts the segment's dateless times by the days counted
// before it. A segment mixing dated and dateless stamps cannot be shifted from its counts:
// it is parsed again with the days known.
import { HostTable } from '../../shared/graph/hosts.js';
import { createPacketBatch, NO_HOST, SKIP_REASONS, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { HostIndex } from './host-index.js';
import { TcpdumpTextParser } from './tcpdump-text.js';

const DAY = 86400, HALF_DAY = 43200;
const COLLECT_ROWS = 8192;

/** Where the dateless clock stood: days counted and the last seconds of day seen (-1: none yet). */
export interface DayClock { dayOffset: number; lastSecondOfDay: number }

/** One segment's records, hosts and counts: plain typed arrays, transferable between threads. */
export interface TextSegment {
  /** The segment's bytes, handed back with the result so the buffer can be reused. */
  text: Uint8Array;
  rows: number;
  time: Float64Array;
  /** Host ids of the parsing thread's table, or NO_HOST. */
  src: Int32Array;
  dst: Int32Array;
  srcPort: Int32Array;
  dstPort: Int32Array;
  proto: Uint8Array;
  bytes: Float64Array;
  /** The thread's id of the first host new in this segment; the new hosts follow in id order. */
  firstNewHost: number;
  /** 4 or 6 per new host. */
  newHostFamily: Uint8Array;
  /** Four address words per new host (IPv4 in word 3). */
  newHostWords: Uint32Array;
  lines: number;
  /** Skip counts in SKIP_REASONS order. */
  skipped: Float64Array;
  /** Seconds of day of the first and last dateless stamps (-1: none). */
  firstSecondOfDay: number;
  lastSecondOfDay: number;
  /** Days counted inside the segment (from the clock given, if any). */
  dayOffset: number;
  timeOfDayPackets: number;
}

/** What a parsing thread is sent: a segment, and whether it starts a new text (new host ids). */
export interface TextSegmentJob { text: Uint8Array; fresh: boolean }

/** Parses segments one after another, keeping hosts and caches between them (one per thread). */
export class TextSegmentParser {
  private readonly hosts = new HostTable();
  private readonly parser = new TcpdumpTextParser(this.hosts, COLLECT_ROWS);
  private rows = createPacketBatch(COLLECT_ROWS);
  private readonly onBatch = (b: PacketBatch): void => this.collect(b);

  /**
   * Parses `text` (whole lines; the last may lack its '\n'). `clock` is the dateless clock
   * before the segment when it is known (times then come out final); without it the day count
   * starts at zero and SegmentJoiner shifts the times.
   */
  parse(text: Uint8Array, clock?: DayClock): TextSegment {
    const parser = this.parser, hosts = this.hosts, firstNewHost = hosts.size;
    parser.restart();
    if (clock !== undefined && clock.lastSecondOfDay >= 0) parser.resumeAt(0, clock.dayOffset + clock.lastSecondOfDay);
    this.rows.length = 0;
    parser.feed(text, this.onBatch);
    parser.end(this.onBatch);
    const skipped = new Float64Array(SKIP_REASONS.length);
    for (let r = 0; r < SKIP_REASONS.length; r++) skipped[r] = parser.skipped[SKIP_REASONS[r]];
    const b = this.rows, n = b.length;
    return {
      text, rows: n,
      time: b.time.slice(0, n), src: b.src.slice(0, n), dst: b.dst.slice(0, n),
      srcPort: b.srcPort.slice(0, n), dstPort: b.dstPort.slice(0, n), proto: b.proto.slice(0, n), bytes: b.bytes.slice(0, n),
      firstNewHost,
      newHostFamily: hosts.family.slice(firstNewHost, hosts.size),
      newHostWords: hosts.words.slice(4 * firstNewHost, 4 * hosts.size),
      lines: parser.lines, skipped,
      firstSecondOfDay: parser.firstSecondOfDay, lastSecondOfDay: parser.lastSecondOfDay,
      dayOffset: parser.dayOffset, timeOfDayPackets: parser.timeOfDayPackets,
    };
  }

  /** Appends a batch to this.rows, growing it (it is kept for the next segment). */
  private collect(b: PacketBatch): void {
    const at = this.rows.length, n = b.length;
    if (at + n > this.rows.time.length) {
      const grown = createPacketBatch(Math.max(at + n, 2 * this.rows.time.length));
      copyRows(this.rows, grown, 0, at);
      this.rows = grown;
    }
    copyRows(b, this.rows, at, n);
    this.rows.length = at + n;
  }
}

/** The buffers a segment's result holds, for postMessage's transfer list. */
export function segmentTransferList(s: TextSegment): ArrayBuffer[] {
  return [s.text, s.time, s.src, s.dst, s.srcPort, s.dstPort, s.proto, s.bytes, s.newHostFamily, s.newHostWords, s.skipped]
    .map((a) => a.buffer as ArrayBuffer);
}

function copyRows(from: PacketBatch, to: PacketBatch, at: number, n: number): void {
  to.time.set(from.time.subarray(0, n), at); to.src.set(from.src.subarray(0, n), at);
  to.dst.set(from.dst.subarray(0, n), at); to.srcPort.set(from.srcPort.subarray(0, n), at);
  to.dstPort.set(from.dstPort.subarray(0, n), at); to.proto.set(from.proto.subarray(0, n), at);
  to.bytes.set(from.bytes.subarray(0, n), at);
}

/**
 * Joins segments, in the order of their text, onto one host table: host ids, dateless times
 * and counts come out as one parser reading all the text would give them. Segments come from
 * numbered sources (parsing threads), each with host ids of its own.
 */
export class SegmentJoiner {
  lines = 0;
  packets = 0;
  readonly skipped: SkipCounts;
  private readonly index: HostIndex;
  private readonly clock: DayClock = { dayOffset: 0, lastSecondOfDay: -1 };
  /** Per source: its host ids -> the shared table's. */
  private readonly hostMaps: Int32Array[] = [];
  /** Parses again, here, a segment that mixes dated and dateless stamps (its own source). */
  private reparser: TextSegmentParser | null = null;

  constructor(readonly hosts: HostTable, skipped: SkipCounts) {
    this.index = new HostIndex(hosts);
    this.skipped = skipped;
  }

  /**
   * Segment `s` from source `source` as a batch in the shared host ids, valid until the next
   * call; its columns are s's own, rewritten in place.
   */
  join(s: TextSegment, source: number): PacketBatch {
    if (!Number.isInteger(source) || source < 0) throw new RangeError(`source must be a non-negative integer, got ${source}`);
    if (s.timeOfDayPackets > 0 && s.timeOfDayPackets < s.rows && this.clock.lastSecondOfDay >= 0) {
      // Dated and dateless stamps mixed: only a parse from the clock shifts the right rows.
      this.reparser ??= new TextSegmentParser();
      this.mapHosts(s, source);
      s = this.reparser.parse(s.text, this.clock);
      source = -1;
      this.clock.dayOffset = s.dayOffset;
    } else if (s.timeOfDayPackets > 0) {
      const c = this.clock;
      const wraps = c.lastSecondOfDay >= 0 && s.firstSecondOfDay < c.lastSecondOfDay - HALF_DAY;
      const shift = c.dayOffset + (wraps ? DAY : 0);
      if (shift !== 0) {
        // Every stamp is dateless here (or the clock had seen none before, so shift is 0).
        const t = s.time;
        for (let i = 0; i < s.rows; i++) t[i] += shift;
      }
      c.dayOffset = shift + s.dayOffset;
    }
    if (s.timeOfDayPackets > 0) this.clock.lastSecondOfDay = s.lastSecondOfDay;
    const map = this.mapHosts(s, source);
    const src = s.src, dst = s.dst;
    for (let i = 0; i < s.rows; i++) {
      const a = src[i], b = dst[i];
      if (a !== NO_HOST) src[i] = map[a];
      if (b !== NO_HOST) dst[i] = map[b];
    }
    this.lines += s.lines;
    this.packets += s.rows;
    for (let r = 0; r < SKIP_REASONS.length; r++) this.skipped[SKIP_REASONS[r]] += s.skipped[r];
    return {
      length: s.rows, time: s.time, src: s.src, dst: s.dst,
      srcPort: s.srcPort, dstPort: s.dstPort, proto: s.proto, bytes: s.bytes,
    };
  }

  /** Interns the segment's new hosts (in their order) and returns its source's id map. */
  private mapHosts(s: TextSegment, source: number): Int32Array {
    const slot = source + 1; // the reparser is source -1
    const count = s.newHostFamily.length, end = s.firstNewHost + count;
    let map = this.hostMaps[slot] ?? new Int32Array(1024);
    if (end > map.length) {
      const grown = new Int32Array(Math.max(end, 2 * map.length));
      grown.set(map);
      map = grown;
    }
    this.hostMaps[slot] = map;
    const words = s.newHostWords, index = this.index;
    for (let h = 0; h < count; h++) {
      const o = 4 * h;
      map[s.firstNewHost + h] = s.newHostFamily[h] === 4 ? index.v4(words[o + 3]) : index.v6(words[o], words[o + 1], words[o + 2], words[o + 3]);
    }
    return map;
  }
}
