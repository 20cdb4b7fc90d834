// Endpoints in tcpdump text, read straight from the line's bytes as numbers: dotted IPv4 with
// the port as an optional fifth part, and IPv6 (with "::" and an embedded dotted IPv4 tail)
// whose port follows the last '.'. Results go into a caller-owned EndpointScan, so reading an
// endpoint allocates nothing.
import { NO_PORT } from '../../shared/records.js';
import { COLON, DOT, isDigit, portAt } from './text-scan.js';

const GOLDEN = 0x9e3779b1;
/** IPv6 texts remembered (a power of two), and the longest one kept. */
const CACHE_BITS = 6;
const CACHE_TEXT = 48;

/**
 * What the last read endpoint held, and the IPv6 addresses read lately by their text: a flow
 * repeats its two addresses line after line, and comparing text is cheaper than parsing it.
 */
export class EndpointScan {
  /** IPv4 address as an unsigned 32-bit number. */
  v4 = 0;
  port = NO_PORT;
  /** IPv6 groups while they are read. */
  readonly groups = new Uint16Array(8);
  readonly cacheText = new Uint8Array(CACHE_TEXT << CACHE_BITS);
  /** Text length per slot; 0 is an empty slot. */
  readonly cacheLength = new Uint8Array(1 << CACHE_BITS);
  readonly cacheWords = new Uint32Array(4 << CACHE_BITS);
}

/**
 * Dotted IPv4 with an optional fifth part (the port) at b[i]; returns where it stops, or -1.
 * Parts of one to three digits are read unrolled, the address in 32-bit integer steps.
 */
export function readIpv4Endpoint(b: Uint8Array, i: number, e: number, out: EndpointScan): number {
  let value = 0, k = i;
  for (let part = 0; part < 4; part++) {
    if (k >= e) return -1;
    let v = b[k] - 48;
    if (v < 0 || v > 9) return -1;
    k++;
    if (k < e) {
      const d1 = b[k] - 48;
      if (d1 >= 0 && d1 <= 9) {
        v = v * 10 + d1; k++;
        if (k < e) {
          const d2 = b[k] - 48;
          if (d2 >= 0 && d2 <= 9) {
            v = v * 10 + d2; k++;
            if (v > 255) return -1;
          }
        }
      }
    }
    value = (value << 8) | v;
    if (part < 3) {
      if (k >= e || b[k] !== DOT) return -1;
      k++;
    }
  }
  out.v4 = value >>> 0;
  // A fifth part is the port; a dot not followed by digits ends the address.
  if (k + 1 < e && b[k] === DOT && b[k + 1] >= 48 && b[k + 1] <= 57) {
    k++;
    let port = 0, digits = 0;
    for (; k < e; k++) {
      const d = b[k] - 48;
      if (d < 0 || d > 9) break;
      port = port * 10 + d;
      if (++digits > 5) return -1;
    }
    if (port > 65535) return -1;
    out.port = port;
  } else out.port = NO_PORT;
  return k;
}

/** Hex digit values by byte, -1 for other bytes. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) { HEX[97 + c] = 10 + c; HEX[65 + c] = 10 + c; }

/**
 * IPv6 address with an optional `.port` in b[s, e) into words[at..at+3] and out.port; false
 * when it is not one.
 */
export function readIpv6Endpoint(b: Uint8Array, s: number, e: number, words: Uint32Array, at: number, out: EndpointScan): boolean {
  // The dots after the last colon: one is a port; three are an IPv4 tail; four are both.
  let dots = 0, lastDot = -1, j = e - 1;
  for (; j >= s && b[j] !== COLON; j--) {
    if (b[j] === DOT) { dots++; if (lastDot < 0) lastDot = j; }
  }
  if (j < s) return false;
  let end = e, port = NO_PORT;
  if (dots === 1 || dots === 4) {
    port = portAt(b, lastDot + 1, e);
    if (port < 0) return false;
    end = lastDot;
  }
  if (!cachedIpv6(b, s, end, words, at, out)) return false;
  out.port = port;
  return true;
}

/** IPv6 text b[s, e) into words[at..at+3], from the cache when it was read lately. */
function cachedIpv6(b: Uint8Array, s: number, e: number, words: Uint32Array, at: number, out: EndpointScan): boolean {
  const len = e - s;
  if (len < 2 || len > CACHE_TEXT) return readIpv6(b, s, e, words, at, out.groups);
  // Addresses of one network share their start: hash the length and the last bytes.
  const slot = Math.imul(len ^ (b[e - 1] << 8) ^ (b[e - 2] << 16) ^ (b[s + (len >> 1)] << 24), GOLDEN) >>> (32 - CACHE_BITS);
  const text = out.cacheText, cached = out.cacheWords, o = slot * CACHE_TEXT, w = slot * 4;
  if (out.cacheLength[slot] === len) {
    let k = 0;
    while (k < len && text[o + k] === b[s + k]) k++;
    if (k === len) {
      words[at] = cached[w]; words[at + 1] = cached[w + 1]; words[at + 2] = cached[w + 2]; words[at + 3] = cached[w + 3];
      return true;
    }
  }
  if (!readIpv6(b, s, e, words, at, out.groups)) return false;
  text.set(b.subarray(s, e), o);
  out.cacheLength[slot] = len;
  cached[w] = words[at]; cached[w + 1] = words[at + 1]; cached[w + 2] = words[at + 2]; cached[w + 3] = words[at + 3];
  return true;
}

/** IPv6 text b[s, e) (with "::" and an optional dotted IPv4 tail) as 4 words into words[at..at+3]; false when malformed. */
function readIpv6(b: Uint8Array, s: number, e: number, words: Uint32Array, at: number, g: Uint16Array): boolean {
  let n = 0, gap = -1, i = s;
  if (e - s >= 2 && b[s] === COLON) {
    if (b[s + 1] !== COLON) return false;
    gap = 0; i += 2;
  }
  while (i < e) {
    let v = 0, k = i;
    for (; k < e; k++) {
      const h = HEX[b[k]];
      if (h < 0) break;
      v = (v << 4) | h;
    }
    if (k < e && b[k] === DOT) {
      const v4 = dottedIpv4(b, i, e);
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
  // Groups after the "::" move to the end; the gap between is zeros.
  const tail = gap < 0 ? 0 : n - gap;
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  for (let k = 0; k < 8; k++) {
    const v = gap < 0 || k < gap ? g[k] : k >= 8 - tail ? g[k - (8 - n)] : 0;
    if (k < 2) w0 = w0 * 65536 + v; else if (k < 4) w1 = w1 * 65536 + v;
    else if (k < 6) w2 = w2 * 65536 + v; else w3 = w3 * 65536 + v;
  }
  words[at] = w0; words[at + 1] = w1; words[at + 2] = w2; words[at + 3] = w3;
  return true;
}

/** Exactly `a.b.c.d` in b[s, e) as an unsigned number, or -1. */
function dottedIpv4(b: Uint8Array, s: number, e: number): number {
  let value = 0, part = -1, parts = 0;
  for (let i = s; i <= e; i++) {
    const c = i < e ? b[i] : DOT;
    if (c === DOT) {
      if (part < 0 || part > 255 || parts === 4) return -1;
      value = value * 256 + part; parts++; part = -1;
    } else if (isDigit(c)) {
      part = part < 0 ? c - 48 : part * 10 + (c - 48);
      if (part > 255) return -1;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}
