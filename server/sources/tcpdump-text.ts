// Parses the text of `tcpdump -q -n` (timestamps as printed by default, -tt or -tttt) straight
// from bytes, as a stream: chunks may split lines anywhere (a partial last line is carried to
// the next chunk); each line is read by index, without strings or regular expressions, and
// becomes one packet record. Plain TCP/UDP lines are read in a single pass; any other line is
// found with memchr and read by TextPacketDecoder, which knows every line family.
import { Buffer } from 'node:buffer';
import type { HostTable } from '../../shared/graph/hosts.js';
import {
  createPacketBatch, emptySkipCounts, Proto, pushRecord, SKIP_REASONS, type PacketBatch, type SkipCounts,
} from '../../shared/records.js';
import { plainBytes, readTimestamp, TextTimestamp } from './capture-format.js';
import { HostIndex } from './host-index.js';
import { EndpointScan, readIpv4Endpoint, readIpv6Endpoint } from './text-address.js';
import { TextPacketDecoder } from './text-decode.js';
import { ascii, COLON, CR, findByte, GT, LF, MAX_DIGITS, SP, startsWith, TAB } from './text-scan.js';

const DAY = 86400, HALF_DAY = 43200;
const W_TCP = ascii(': tcp '), W_UDP = ascii(': UDP, length ');

export class TcpdumpTextParser {
  readonly skipped: SkipCounts = emptySkipCounts();
  /** Non-empty lines seen (packet lines, continuation lines and unparseable ones). */
  lines = 0;
  /** Lines that start with a timestamp: one per packet. */
  packets = 0;
  /** Byte offset where the line of batch row i began; read it with the batch in onBatch. */
  readonly rowOffsets: Float64Array;

  private readonly batch: PacketBatch;
  private readonly hosts: HostIndex;
  private readonly decoder: TextPacketDecoder;
  private carry = new Uint8Array(1024);
  private carryLen = 0;
  /** Absolute byte offset of the next chunk's first byte, of the carried line, and of the line being read. */
  private position = 0;
  private carryStart = 0;
  private lineStart = 0;
  /** Whole days added to dateless stamps so far (the clock wrapped past midnight). */
  dayOffset = 0;
  /** Seconds of day of the last dateless stamp, -1 before the first. */
  lastSecondOfDay = -1;
  /** Seconds of day of the first dateless stamp this parser read, -1 before it. */
  firstSecondOfDay = -1;
  /** Packets whose stamp had no date (their time depends on the days counted before them). */
  timeOfDayPackets = 0;
  private readonly stamp = new TextTimestamp();
  private readonly scan = new EndpointScan();
  /** Source and destination address words of a plain line (IPv4 in words 3 and 7). */
  private readonly words = new Uint32Array(8);

  constructor(hosts: HostTable, batchCapacity = 4096) {
    this.batch = createPacketBatch(batchCapacity);
    this.rowOffsets = new Float64Array(batchCapacity);
    this.hosts = new HostIndex(hosts);
    this.decoder = new TextPacketDecoder(this.hosts);
  }

  /**
   * Forgets the text read so far (partial line, byte position, counts, days) to read another
   * text from its start; hosts and caches stay.
   */
  restart(): void {
    this.carryLen = 0; this.position = 0; this.carryStart = 0; this.lineStart = 0;
    this.dayOffset = 0; this.lastSecondOfDay = -1; this.firstSecondOfDay = -1; this.timeOfDayPackets = 0;
    this.lines = 0; this.packets = 0; this.batch.length = 0;
    for (const r of SKIP_REASONS) this.skipped[r] = 0;
  }

  /**
   * Says that the first bytes fed begin at absolute byte `offset` (a line boundary), and that
   * the line there was read at capture time `time` (from a pass from the start): dateless
   * stamps then keep the days counted before it, as if the file had been read from its start.
   */
  resumeAt(offset: number, time: number): void {
    if (this.position !== 0 || this.carryLen !== 0 || this.lines !== 0) throw new Error('resumeAt must come before the first feed()');
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
    if (!Number.isFinite(time)) throw new RangeError(`time must be a finite number of seconds, got ${time}`);
    this.position = offset;
    // A dateless time is seconds of day plus whole days counted: restore both.
    this.dayOffset = Math.floor(time / DAY) * DAY;
    this.lastSecondOfDay = time - this.dayOffset;
  }

  feed(input: Uint8Array, onBatch: (b: PacketBatch) => void): void {
    // A plain Uint8Array view (not a Buffer) keeps the byte loops monomorphic.
    const chunk = plainBytes(input);
    const n = chunk.length;
    const base = this.position;
    this.position += n;
    let start = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(LF);
      this.appendCarry(chunk, 0, nl < 0 ? n : nl);
      if (nl < 0) return;
      this.lineStart = this.carryStart;
      this.line(this.carry, 0, this.carryLen, onBatch);
      this.carryLen = 0;
      start = nl + 1;
    }
    // Buffer#indexOf is memchr: several times faster than a byte loop or Uint8Array#indexOf.
    const search = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (start < n) {
      this.lineStart = base + start;
      const next = this.plainLine(chunk, start, n, onBatch);
      if (next >= 0) { start = next; continue; }
      const nl = search.indexOf(LF, start);
      if (nl < 0) break;
      this.line(chunk, start, nl, onBatch);
      start = nl + 1;
    }
    if (start < n) { this.carryStart = base + start; this.appendCarry(chunk, start, n); }
  }

  /** Parses a last line without '\n' and flushes the last batch. */
  end(onBatch: (b: PacketBatch) => void): void {
    this.lineStart = this.carryStart;
    if (this.carryLen > 0) this.line(this.carry, 0, this.carryLen, onBatch);
    this.carryLen = 0;
    if (this.batch.length > 0) { onBatch(this.batch); this.batch.length = 0; }
  }

  private appendCarry(chunk: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + e - s;
    if (need > this.carry.length) {
      const next = new Uint8Array(Math.max(need, this.carry.length * 2));
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(chunk.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }

  /**
   * The plain lines that are nearly all of a capture's text, `TIME IP src.p > dst.q: tcp N` or
   * `...: UDP, length N` (IPv4 or IPv6), in one pass that also finds where the line ends (no
   * separate search for '\n'). Reads stop at the first byte out of place, so a line is never
   * read past its end; returns the index after its '\n', or -1 when the line at b[s] is
   * anything else (line() reads it then).
   */
  private plainLine(b: Uint8Array, s: number, n: number, onBatch: (b: PacketBatch) => void): number {
    const scan = this.scan, w = this.words;
    let i = readTimestamp(b, s, n, this.stamp);
    if (i < 0 || n - i < 4 || b[i] !== 73 || b[i + 1] !== 80) return -1;
    let srcPort: number, family: number;
    if (b[i + 2] === SP) {
      i = readIpv4Endpoint(b, i + 3, n, scan);
      if (i < 0 || n - i < 3 || b[i] !== SP || b[i + 1] !== GT || b[i + 2] !== SP) return -1;
      w[3] = scan.v4; srcPort = scan.port;
      i = readIpv4Endpoint(b, i + 3, n, scan);
      if (i < 0 || i >= n || b[i] !== COLON) return -1;
      w[7] = scan.v4; family = 4;
    } else if (b[i + 2] === 54 && b[i + 3] === SP) {
      // A space found past a '\n' leaves a token no IPv6 endpoint reading accepts.
      const srcEnd = findByte(b, SP, i + 4, n);
      if (srcEnd < 0 || n - srcEnd < 3 || b[srcEnd + 1] !== GT || b[srcEnd + 2] !== SP) return -1;
      if (!readIpv6Endpoint(b, i + 4, srcEnd, w, 0, scan)) return -1;
      srcPort = scan.port;
      const dstEnd = findByte(b, SP, srcEnd + 3, n);
      if (dstEnd < 0 || b[dstEnd - 1] !== COLON || !readIpv6Endpoint(b, srcEnd + 3, dstEnd - 1, w, 4, scan)) return -1;
      i = dstEnd - 1; family = 6;
    } else return -1;
    // i is at the ':' after the destination.
    let proto: number;
    if (startsWith(b, i, n, W_TCP)) { proto = Proto.tcp; i += W_TCP.length; }
    else if (startsWith(b, i, n, W_UDP)) { proto = Proto.udp; i += W_UDP.length; }
    else return -1;
    const first = i;
    let bytes = 0;
    for (; i < n; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      bytes = bytes * 10 + d;
    }
    if (i === first || i - first > MAX_DIGITS) return -1;
    if (i < n && b[i] === CR) i++;
    if (i >= n || b[i] !== LF) return -1;
    this.lines++;
    // Hosts are interned only now, for a line this path reads whole.
    const hosts = this.hosts;
    const src = family === 4 ? hosts.v4(w[3]) : hosts.v6(w[0], w[1], w[2], w[3]);
    const dst = family === 4 ? hosts.v4(w[7]) : hosts.v6(w[4], w[5], w[6], w[7]);
    this.push(this.time(), src, dst, srcPort, scan.port, proto, bytes, onBatch);
    return i + 1;
  }

  /** Any line b[s, e) (without its '\n'). */
  private line(b: Uint8Array, s: number, e: number, onBatch: (b: PacketBatch) => void): void {
    if (e > s && b[e - 1] === CR) e--;
    if (s === e) return;
    this.lines++;
    if (b[s] === TAB || b[s] === SP) { this.skipped.continuation++; return; }
    const p = readTimestamp(b, s, e, this.stamp);
    if (p < 0) { this.skipped.malformed++; return; }
    const d = this.decoder;
    d.decode(b, p, e);
    if (d.skip !== null) this.skipped[d.skip]++;
    this.push(this.time(), d.src, d.dst, d.srcPort, d.dstPort, d.proto, d.bytes, onBatch);
  }

  /** The time of the timestamp just read, in seconds. */
  private time(): number {
    const t = this.stamp.seconds;
    if (!this.stamp.timeOfDay) return t;
    if (this.timeOfDayPackets++ === 0) this.firstSecondOfDay = t;
    // No date: count days from the clock wrapping back past midnight (by more than 12 h).
    if (this.lastSecondOfDay >= 0 && t < this.lastSecondOfDay - HALF_DAY) this.dayOffset += DAY;
    this.lastSecondOfDay = t;
    return t + this.dayOffset;
  }

  private push(time: number, src: number, dst: number, sp: number, dp: number, proto: number, bytes: number, onBatch: (b: PacketBatch) => void): void {
    const batch = this.batch;
    this.rowOffsets[batch.length] = this.lineStart;
    pushRecord(batch, time, src, dst, sp, dp, proto, bytes);
    this.packets++;
    if (batch.length === batch.time.length) { onBatch(batch); batch.length = 0; }
  }
}
