// Parses the text of `tcpdump -q -n` (timestamps as printed by default, -tt or -tttt) straight
// from bytes: lines are split by scanning for '\n' (a partial last line is carried to the next
// chunk) and every field is read by index, without strings or regular expressions.
// A packet line yields IPv4/IPv6 endpoints, ports (also after IPv6 extension headers), the
// protocol class and tcpdump's layer-4 length; the line families are catalogued in the team's
// data folder (tcpdump/LINE_FORMATS.md).
import { Buffer } from 'node:buffer';
import type { HostTable } from '../../shared/graph/hosts.js';
import {
  createPacketBatch, emptySkipCounts, NO_HOST, NO_PORT, Proto, pushRecord,
  type PacketBatch, type SkipCounts, type SkipReason,
} from '../../shared/records.js';
import { plainBytes, readTimestamp, TextTimestamp } from './capture-format.js';
import { protoClass } from './ip-decode.js';

const TAB = 9, LF = 10, CR = 13, SP = 32, LPAREN = 40, RPAREN = 41, DOT = 46;
const COLON = 58, GT = 62, LBRACKET = 91, PIPE = 124;
const DAY = 86400, HALF_DAY = 43200;
const MAX_TUNNEL_DEPTH = 3;
const ENDPOINT_SLOT = 9;

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
const W_TCP = ascii('tcp'), W_UDP = ascii('UDP,'), W_ICMP = ascii('ICMP'), W_HBH = ascii('HBH');
const W_DSTOPT = ascii('DSTOPT'), W_RT6 = ascii('RT6'), W_FRAG = ascii('frag'), W_AH = ascii('AH(');
const W_GRE = ascii('GREv'), W_IPPROTO = ascii('ip-proto-'), W_TRUNC_UDP = ascii('truncated-udp');
const W_TRUNC_IP = ascii('truncated-ip'), W_MISSING = ascii('missing!'), W_LENGTH = ascii('length');
const W_INVALID = ascii('(invalid)'), W_UNSUPPORTED = ascii('UNSUPPORTED'), W_UDP_TRUNC = ascii('[|udp');
const W_TCP_TRUNC = ascii('[|tcp'), W_ICMP_TRUNC = ascii('[|icmp'), W_TRUNCATED_MARK = ascii('[|');

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}
function startsWith(b: Uint8Array, i: number, e: number, w: Uint8Array): boolean {
  if (e - i < w.length) return false;
  for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) return false;
  return true;
}
/** A whole word: w followed by a space or the end of the line. */
function isWord(b: Uint8Array, i: number, e: number, w: Uint8Array): boolean {
  return startsWith(b, i, e, w) && (i + w.length === e || b[i + w.length] === SP);
}
function find(b: Uint8Array, i: number, e: number, w: Uint8Array): number {
  for (let k = i; k <= e - w.length; k++) if (b[k] === w[0] && startsWith(b, k, e, w)) return k;
  return -1;
}
function findByte(b: Uint8Array, c: number, i: number, e: number): number {
  for (let k = i; k < e; k++) if (b[k] === c) return k;
  return -1;
}
/** `IP ` or `IP6 ` at b[i]. */
function isIpMarker(b: Uint8Array, i: number, e: number): boolean {
  return e - i >= 4 && b[i] === 73 && b[i + 1] === 80 && (b[i + 2] === SP || (b[i + 2] === 54 && b[i + 3] === SP));
}
/** Decimal digits at b[i..e) as a number, or -1 when there are none. */
function uintAt(b: Uint8Array, i: number, e: number): number {
  let v = 0, k = i;
  while (k < e && isDigit(b[k])) v = v * 10 + (b[k++] - 48);
  return k === i ? -1 : v;
}
/** The number after the last word `length` (optionally `length:`) in b[s, e), else 0. */
function lastLength(b: Uint8Array, s: number, e: number): number {
  for (let k = e - W_LENGTH.length; k >= s; k--) {
    if (b[k] !== 108 || !startsWith(b, k, e, W_LENGTH) || (k > s && isLetter(b[k - 1]))) continue;
    let i = k + W_LENGTH.length;
    if (i < e && b[i] === COLON) i++;
    if (i >= e || b[i] !== SP) continue;
    while (i < e && b[i] === SP) i++;
    const v = uintAt(b, i, e);
    if (v >= 0) return v;
  }
  return 0;
}

export class TcpdumpTextParser {
  readonly skipped: SkipCounts = emptySkipCounts();
  /** Non-empty lines seen (packet lines, continuation lines and unparseable ones). */
  lines = 0;
  /** Lines that start with a timestamp: one per packet. */
  packets = 0;

  private readonly batch: PacketBatch;
  private carry = new Uint8Array(1024);
  private carryLen = 0;
  private dayOffset = 0;
  private lastSecondOfDay = -1;
  private readonly groups = new Uint16Array(8);
  /**
   * Endpoints per tunnel depth, [family, src words 0-3, dst words 0-3] (IPv4 in word 3):
   * interned only for the header finally reported, so a tunnel's outer header adds no hosts.
   */
  private readonly ends = new Uint32Array(ENDPOINT_SLOT * (MAX_TUNNEL_DEPTH + 1));
  private endsDepth = -1;
  private readonly stamp = new TextTimestamp();
  // Fields of the line being parsed.
  private src = NO_HOST;
  private dst = NO_HOST;
  private srcPort = NO_PORT;
  private dstPort = NO_PORT;
  private proto: number = Proto.other;
  private bytes = 0;
  private skip: SkipReason | null = null;
  // Result of ipv4Token() / address().
  private addrValue = 0;
  private addrPort = NO_PORT;

  constructor(private readonly hosts: HostTable, batchCapacity = 4096) {
    this.batch = createPacketBatch(batchCapacity);
  }

  feed(input: Uint8Array, onBatch: (b: PacketBatch) => void): void {
    // A plain Uint8Array view (not a Buffer) keeps the byte loops monomorphic.
    const chunk = plainBytes(input);
    let start = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(LF);
      this.appendCarry(chunk, 0, nl < 0 ? chunk.length : nl);
      if (nl < 0) return;
      this.line(this.carry, 0, this.carryLen, onBatch);
      this.carryLen = 0;
      start = nl + 1;
    }
    // Buffer#indexOf is memchr: several times faster than a byte loop or Uint8Array#indexOf.
    const search = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = search.indexOf(LF, start);
      if (nl < 0) break;
      this.line(chunk, start, nl, onBatch);
      start = nl + 1;
    }
    if (start < chunk.length) this.appendCarry(chunk, start, chunk.length);
  }

  /** Parses a last line without '\n' and flushes the last batch. */
  end(onBatch: (b: PacketBatch) => void): void {
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

  private line(b: Uint8Array, s: number, e: number, onBatch: (b: PacketBatch) => void): void {
    if (e > s && b[e - 1] === CR) e--;
    if (s === e) return;
    this.lines++;
    if (b[s] === TAB || b[s] === SP) { this.skipped.continuation++; return; }
    const p = readTimestamp(b, s, e, this.stamp);
    if (p < 0) { this.skipped.malformed++; return; }
    let time = this.stamp.seconds;
    if (this.stamp.timeOfDay) {
      // No date: count days from the clock wrapping back past midnight (by more than 12 h).
      if (this.lastSecondOfDay >= 0 && time < this.lastSecondOfDay - HALF_DAY) this.dayOffset += DAY;
      this.lastSecondOfDay = time;
      time += this.dayOffset;
    }
    this.src = NO_HOST; this.dst = NO_HOST; this.srcPort = NO_PORT; this.dstPort = NO_PORT;
    this.proto = Proto.other; this.bytes = 0; this.skip = null;
    this.body(b, p, e);
    if (this.skip !== null) this.skipped[this.skip]++;
    const batch = this.batch;
    pushRecord(batch, time, this.src, this.dst, this.srcPort, this.dstPort, this.proto, this.bytes);
    this.packets++;
    if (batch.length === batch.time.length) { onBatch(batch); batch.length = 0; }
  }

  private body(b: Uint8Array, p: number, e: number): void {
    let m = p;
    if (!isIpMarker(b, p, e)) {
      m = -1;
      for (let k = p + 1; k < e - 3; k++) {
        if (b[k - 1] === SP && isIpMarker(b, k, e)) { m = k; break; }
      }
    }
    if (m < 0) {
      this.skip = find(b, p, e, W_INVALID) >= 0 ? 'malformed'
        : find(b, p, e, W_TRUNCATED_MARK) >= 0 ? 'truncated'
          : isWord(b, p, e, W_UNSUPPORTED) ? 'unsupported-link' : 'non-ip';
      this.bytes = lastLength(b, p, e);
      return;
    }
    this.endsDepth = -1;
    if (!this.ipPart(b, m, e, 0)) {
      this.srcPort = NO_PORT; this.dstPort = NO_PORT; this.proto = Proto.other; this.bytes = 0;
      return;
    }
    const w = this.ends, o = this.endsDepth * ENDPOINT_SLOT;
    if (w[o] === 4) {
      this.src = this.hosts.internV4(w[o + 4]);
      this.dst = this.hosts.internV4(w[o + 8]);
    } else {
      this.src = this.hosts.internV6(w[o + 1], w[o + 2], w[o + 3], w[o + 4]);
      this.dst = this.hosts.internV6(w[o + 5], w[o + 6], w[o + 7], w[o + 8]);
    }
  }

  /** `IP src > dst: payload` at b[m]; false (with this.skip set) when it has no endpoints. */
  private ipPart(b: Uint8Array, m: number, e: number, depth: number): boolean {
    const v6 = b[m + 2] === 54;
    let i = m + (v6 ? 4 : 3);
    if (startsWith(b, i, e, W_TRUNC_IP)) {
      // "truncated-ip - N bytes missing! a > b: ..." still has the endpoints.
      const k = find(b, i, e, W_MISSING);
      if (k < 0) { this.skip = 'malformed'; return false; }
      i = k + W_MISSING.length;
      if (i < e && b[i] === SP) i++;
    }
    if (b[i] === LBRACKET && b[i + 1] === PIPE) { this.skip = 'truncated'; return false; }
    if (!v6) return this.ipv4Endpoints(b, i, e, depth);
    const srcEnd = findByte(b, SP, i, e);
    if (srcEnd < 0 || srcEnd + 3 >= e || b[srcEnd + 1] !== GT || b[srcEnd + 2] !== SP) { this.skip = 'malformed'; return false; }
    const dstStart = srcEnd + 3;
    let dstEnd = findByte(b, SP, dstStart, e);
    if (dstEnd < 0) dstEnd = e;
    const o = depth * ENDPOINT_SLOT;
    if (b[dstEnd - 1] !== COLON || !this.address(b, i, srcEnd, o + 1)) { this.skip = 'malformed'; return false; }
    const srcPort = this.addrPort;
    if (!this.address(b, dstStart, dstEnd - 1, o + 5)) { this.skip = 'malformed'; return false; }
    this.ends[o] = 6; this.endsDepth = depth;
    this.srcPort = srcPort; this.dstPort = this.addrPort;
    this.skip = null;
    this.payload(b, dstEnd, e, depth);
    return true;
  }

  /** IPv4 `a.b.c.d[.port] > e.f.g.h[.port]:` at b[i], each address read in a single pass. */
  private ipv4Endpoints(b: Uint8Array, i: number, e: number, depth: number): boolean {
    const srcEnd = this.ipv4Token(b, i, e);
    if (srcEnd < 0 || srcEnd + 3 >= e || b[srcEnd] !== SP || b[srcEnd + 1] !== GT || b[srcEnd + 2] !== SP) { this.skip = 'malformed'; return false; }
    const src = this.addrValue, srcPort = this.addrPort;
    const dstEnd = this.ipv4Token(b, srcEnd + 3, e);
    if (dstEnd < 0 || b[dstEnd] !== COLON) { this.skip = 'malformed'; return false; }
    const o = depth * ENDPOINT_SLOT;
    this.ends[o] = 4; this.ends[o + 4] = src; this.ends[o + 8] = this.addrValue; this.endsDepth = depth;
    this.srcPort = srcPort; this.dstPort = this.addrPort;
    this.skip = null;
    this.payload(b, dstEnd + 1, e, depth);
    return true;
  }

  /** Dotted IPv4 with an optional fifth part (the port) at b[i]; returns where it stops, or -1. */
  private ipv4Token(b: Uint8Array, i: number, e: number): number {
    let value = 0, part = 0, digits = 0, dots = 0, k = i;
    for (; k < e; k++) {
      const d = b[k] - 48;
      if (d >= 0 && d <= 9) {
        part = part * 10 + d;
        if (++digits > 5) return -1;
        continue;
      }
      if (d !== DOT - 48) break;
      if (digits === 0 || dots === 4 || part > 255) return -1;
      value = value * 256 + part; dots++; part = 0; digits = 0;
    }
    if (digits === 0) return -1;
    if (dots === 3 && part <= 255) { value = value * 256 + part; this.addrPort = NO_PORT; }
    else if (dots === 4 && part <= 65535) this.addrPort = part;
    else return -1;
    this.addrValue = value;
    return k;
  }

  /** What follows `src > dst:`: protocol class, ports after IPv6 extension headers, length. */
  private payload(b: Uint8Array, i: number, e: number, depth: number): void {
    for (;;) {
      while (i < e && b[i] === SP) i++;
      if (i >= e) return;
      let we = findByte(b, SP, i, e);
      if (we < 0) we = e;
      const c = b[i];
      if (isWord(b, i, e, W_TCP)) {
        this.proto = Proto.tcp;
        this.bytes = Math.max(0, uintAt(b, we + 1, e));
        return;
      }
      if (isWord(b, i, e, W_UDP)) {
        this.proto = Proto.udp;
        const k = find(b, we, e, W_LENGTH);
        this.bytes = k < 0 ? 0 : Math.max(0, uintAt(b, k + W_LENGTH.length + 1, e));
        return;
      }
      if (isDigit(c)) {
        // "sport > dport:" printed after IPv6 extension headers (or AH).
        const sp = uintAt(b, i, we), colon = findByte(b, COLON, we, e);
        if (we + 3 < e && b[we + 1] === GT && b[we + 2] === SP && colon > 0) {
          this.srcPort = sp; this.dstPort = uintAt(b, we + 3, colon);
          i = colon + 1;
          continue;
        }
      } else if (isWord(b, i, e, W_HBH) || isWord(b, i, e, W_DSTOPT) || startsWith(b, i, e, W_AH)) {
        i = we;
        continue;
      } else if (isWord(b, i, e, W_FRAG) || isWord(b, i, e, W_RT6)) {
        i = we;
        while (i < e && b[i] === SP) i++;
        if (i < e && b[i] === LPAREN) {
          const close = findByte(b, RPAREN, i, e);
          i = close < 0 ? e : close + 1;
        }
        continue;
      } else if (startsWith(b, i, e, W_ICMP)) {
        this.proto = Proto.icmp;
        this.bytes = lastLength(b, i, e);
        return;
      } else if (isIpMarker(b, i, e)) {
        this.tunnel(b, i, e, i, depth);
        return;
      } else if (startsWith(b, i, e, W_GRE)) {
        this.bytes = lastLength(b, i, e);
        const k = find(b, i, e, COLON_SPACE);
        if (k >= 0 && isIpMarker(b, k + 2, e)) this.tunnel(b, k + 2, e, i, depth);
        return;
      } else if (startsWith(b, i, e, W_IPPROTO)) {
        // A later IPv4 fragment (or an unknown protocol): no ports, no length.
        this.proto = protoClass(uintAt(b, i + W_IPPROTO.length, we));
        return;
      } else if (c === LBRACKET) {
        this.proto = startsWith(b, i, e, W_TCP_TRUNC) ? Proto.tcp : startsWith(b, i, e, W_UDP_TRUNC) ? Proto.udp
          : startsWith(b, i, e, W_ICMP_TRUNC) ? Proto.icmp : Proto.other;
        return;
      } else if (startsWith(b, i, e, W_TRUNC_UDP)) {
        this.proto = Proto.udp;
        return;
      }
      this.bytes = lastLength(b, i, e);
      return;
    }
  }

  /** An inner `IP ...` at b[m]; if it has no endpoints the outer flow stays, as "other". */
  private tunnel(b: Uint8Array, m: number, e: number, outerPayload: number, depth: number): void {
    if (depth < MAX_TUNNEL_DEPTH && this.ipPart(b, m, e, depth + 1)) return;
    this.endsDepth = depth; this.srcPort = NO_PORT; this.dstPort = NO_PORT;
    this.proto = Proto.other; this.skip = null;
    this.bytes = lastLength(b, outerPayload, e);
  }

  /** IPv6 address (and port, if present) in b[s, e) into ends[at..at+3] / addrPort; false if malformed. */
  private address(b: Uint8Array, s: number, e: number, at: number): boolean {
    this.addrPort = NO_PORT;
    let lastColon = -1, dots = 0, lastDot = -1;
    for (let i = s; i < e; i++) {
      if (b[i] === COLON) { lastColon = i; dots = 0; } else if (b[i] === DOT) { dots++; lastDot = i; }
    }
    let end = e;
    if (lastColon < 0) return false;
    if (dots === 1 || dots === 4) {
      const port = uintAt(b, lastDot + 1, e);
      if (port < 0 || port > 65535) return false;
      this.addrPort = port;
      end = lastDot;
    }
    return this.ipv6(b, s, end, at);
  }

  /** IPv6 text b[s, e) (with "::" and an optional dotted IPv4 tail) as 4 words into ends[at..at+3]. */
  private ipv6(b: Uint8Array, s: number, e: number, at: number): boolean {
    const g = this.groups;
    let n = 0, gap = -1, i = s;
    if (i + 1 < e && b[i] === COLON) {
      if (b[i + 1] !== COLON) return false;
      gap = 0; i += 2;
    }
    while (i < e) {
      let v = 0, k = i;
      for (; k < e && k - i < 5; k++) {
        const c = b[k] | 32;
        const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
        if (h < 0) break;
        v = v * 16 + h;
      }
      if (k < e && b[k] === DOT) {
        const v4 = parseDottedIPv4(b, i, e);
        if (v4 < 0 || n > 6) return false;
        g[n++] = v4 >>> 16; g[n++] = v4 & 0xffff;
        break;
      }
      if (k === i || k - i > 4 || n === 8) return false;
      g[n++] = v;
      if (k === e) break;
      if (b[k] !== COLON) return false;
      if (k + 1 < e && b[k + 1] === COLON) {
        if (gap >= 0) return false;
        gap = n; i = k + 2;
      } else {
        i = k + 1;
        if (i === e) return false;
      }
    }
    if (gap < 0 ? n !== 8 : n > 7) return false;
    const tail = gap < 0 ? 0 : n - gap;
    let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
    for (let k = 0; k < 8; k++) {
      const v = gap < 0 || k < gap ? g[k] : k >= 8 - tail ? g[k - (8 - n)] : 0;
      if (k < 2) w0 = w0 * 65536 + v; else if (k < 4) w1 = w1 * 65536 + v;
      else if (k < 6) w2 = w2 * 65536 + v; else w3 = w3 * 65536 + v;
    }
    const w = this.ends;
    w[at] = w0; w[at + 1] = w1; w[at + 2] = w2; w[at + 3] = w3;
    return true;
  }
}

const COLON_SPACE = Uint8Array.of(COLON, SP);

function parseDottedIPv4(b: Uint8Array, s: number, e: number): number {
  let value = 0, part = -1, parts = 0;
  for (let i = s; i <= e; i++) {
    const c = i < e ? b[i] : DOT;
    if (c === DOT) {
      if (part < 0 || part > 255 || parts === 4) return -1;
      value = value * 256 + part; parts++; part = -1;
    } else if (isDigit(c)) part = part < 0 ? c - 48 : part * 10 + (c - 48);
    else return -1;
  }
  return parts === 4 ? value : -1;
}
