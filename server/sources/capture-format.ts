// Recognises what a capture input is from its first bytes: the magic number of classic pcap
// (either byte order, micro- or nanosecond stamps) or pcapng; otherwise tcpdump text, if its
// first packet line starts with a timestamp tcpdump prints. The file name is never consulted
// (one shared capture is a classic pcap named .pcapng).

const TAB = 9, LF = 10, CR = 13, SP = 32, DASH = 45, DOT = 46, COLON = 58;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

export type CaptureFormat = 'pcap' | 'pcapng' | 'tcpdump-text';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
/** pcapng Section Header Block type: the same bytes in either byte order. */
export const PCAPNG_SHB = 0x0a0d0d0a;

/** Bytes of the head worth looking at to recognise text (a few lines). */
export const SNIFF_BYTES = 4096;

/** The format of an input starting with `head` (its first bytes), or null when it is none. */
export function detectCaptureFormat(head: Uint8Array): CaptureFormat | null {
  if (head.length >= 4) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const le = view.getUint32(0, true), be = view.getUint32(0, false);
    if (be === PCAPNG_SHB) return 'pcapng';
    if (le === PCAP_MAGIC_USEC || le === PCAP_MAGIC_NSEC || be === PCAP_MAGIC_USEC || be === PCAP_MAGIC_NSEC) return 'pcap';
  }
  return looksLikeTcpdumpText(head.subarray(0, SNIFF_BYTES)) ? 'tcpdump-text' : null;
}

/** No binary bytes, and the first line that is not indented starts with a tcpdump timestamp. */
function looksLikeTcpdumpText(head: Uint8Array): boolean {
  let start = 0;
  for (let i = 0; i <= head.length; i++) {
    const c = i < head.length ? head[i] : LF;
    if (c < 32 && c !== TAB && c !== LF && c !== CR) return false;
    if (c !== LF) continue;
    const end = i > start && head[i - 1] === CR ? i - 1 : i;
    if (end > start && head[start] !== TAB && head[start] !== SP) {
      return readTimestamp(head, start, end, new TextTimestamp()) >= 0 && !hasBinary(head, i);
    }
    start = i + 1;
  }
  return false;
}

function hasBinary(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] < 32 && b[i] !== TAB && b[i] !== LF && b[i] !== CR) return true;
  return false;
}

/** What readTimestamp found: seconds, and whether they are a time of day without a date. */
export class TextTimestamp {
  seconds = 0;
  timeOfDay = false;
}

/**
 * Reads the timestamp that starts a tcpdump line at b[s]: `HH:MM:SS.frac` (a time of day),
 * `-tt` epoch seconds `1367526033.491822`, or `-tttt` `2013-05-02 20:20:33.491822` (taken as
 * UTC). Returns the index after it and its separating space, or -1.
 */
export function readTimestamp(b: Uint8Array, s: number, e: number, out: TextTimestamp): number {
  const fixed = readDefaultTimestamp(b, s, e, out);
  if (fixed >= 0) return fixed;
  let i = s, n = 0;
  while (i < e && isDigit(b[i])) n = n * 10 + (b[i++] - 48);
  const digits = i - s;
  // Over 15 digits is no time tcpdump prints (and would lose precision, or overflow).
  if (digits === 0 || digits > 15 || i >= e) return -1;
  out.timeOfDay = false;
  if (b[i] === COLON && digits <= 2) {
    i = timeOfDay(b, s, e, out);
    out.timeOfDay = true;
  } else if (b[i] === DOT) {
    i = fraction(b, i + 1, e, out);
    out.seconds += n;
  } else if (b[i] === DASH && digits === 4) {
    if (e - i < 7 || b[i + 3] !== DASH || b[i + 6] !== SP) return -1;
    const month = twoDigits(b, i + 1), day = twoDigits(b, i + 4);
    if (month < 1 || month > 12 || day < 1 || day > 31) return -1;
    i = timeOfDay(b, i + 7, e, out);
    out.seconds += daysFromCivil(n, month, day) * 86400;
  } else return -1;
  if (i < 0 || (i < e && b[i] !== SP)) return -1;
  return i < e ? i + 1 : e;
}

/**
 * The form nearly every line has, `HH:MM:SS.uuuuuu `, read at fixed places (the same
 * arithmetic as the general path, so the same seconds); -1 when the line has another form.
 */
function readDefaultTimestamp(b: Uint8Array, s: number, e: number, out: TextTimestamp): number {
  if (e - s < 15 || b[s + 2] !== COLON || b[s + 5] !== COLON || b[s + 8] !== DOT || (e > s + 15 && b[s + 15] !== SP)) return -1;
  const h = twoDigits(b, s), m = twoDigits(b, s + 3), sec = twoDigits(b, s + 6);
  const f0 = twoDigits(b, s + 9), f1 = twoDigits(b, s + 11), f2 = twoDigits(b, s + 13);
  if (h < 0 || m < 0 || m > 59 || sec < 0 || sec > 60 || f0 < 0 || f1 < 0 || f2 < 0) return -1;
  out.timeOfDay = true;
  out.seconds = (f0 * 10000 + f1 * 100 + f2) / POW10[6] + (h * 3600 + m * 60 + sec);
  return e > s + 15 ? s + 16 : e;
}

/** H:MM:SS.frac or HH:MM:SS.frac at b[s] into out.seconds; returns the index after it, or -1. */
function timeOfDay(b: Uint8Array, s: number, e: number, out: TextTimestamp): number {
  let i = s, h = 0;
  while (i < e && i - s < 2 && isDigit(b[i])) h = h * 10 + (b[i++] - 48);
  if (i === s || i + 7 > e || b[i] !== COLON || b[i + 3] !== COLON || b[i + 6] !== DOT) return -1;
  const m = twoDigits(b, i + 1), sec = twoDigits(b, i + 4);
  if (m < 0 || m > 59 || sec < 0 || sec > 60) return -1;
  i = fraction(b, i + 7, e, out);
  out.seconds += h * 3600 + m * 60 + sec;
  return i;
}

/** Fractional digits at b[s] into out.seconds (replacing it); returns the index after them, or -1. */
function fraction(b: Uint8Array, s: number, e: number, out: TextTimestamp): number {
  let i = s, v = 0;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === s || i - s > 12) return -1;
  out.seconds = v / POW10[i - s];
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function twoDigits(b: Uint8Array, i: number): number {
  const d0 = b[i] - 48, d1 = b[i + 1] - 48;
  return d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 ? d0 * 10 + d1 : -1;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The first bytes in hex ("50 4b 03 04"), for messages about unrecognised input. */
export function hexPreview(head: Uint8Array, count = 8): string {
  return Array.from(head.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * The same bytes as a plain Uint8Array. Node Buffers are a subclass with another hidden class;
 * seeing only one kind keeps the parsers' byte loops monomorphic.
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
