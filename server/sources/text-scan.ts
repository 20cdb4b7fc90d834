// Byte scanning for tcpdump text: words are matched and numbers read in place, by index into
// the line's bytes, so parsing a line creates no strings.

export const TAB = 9, LF = 10, CR = 13, SP = 32, LPAREN = 40, RPAREN = 41, DOT = 46;
export const COLON = 58, GT = 62, LBRACKET = 91, PIPE = 124;

/**
 * Longest digit run read as a number: 15 digits stay exact in a double; longer runs are no
 * count tcpdump prints (and 309 of them would be Infinity).
 */
export const MAX_DIGITS = 15;

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}

export function startsWith(b: Uint8Array, i: number, e: number, w: Uint8Array): boolean {
  if (e - i < w.length) return false;
  for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) return false;
  return true;
}

/** A whole word: w followed by a space or the end of the line. */
export function isWord(b: Uint8Array, i: number, e: number, w: Uint8Array): boolean {
  return startsWith(b, i, e, w) && (i + w.length === e || b[i + w.length] === SP);
}

export function find(b: Uint8Array, i: number, e: number, w: Uint8Array): number {
  for (let k = i; k <= e - w.length; k++) if (b[k] === w[0] && startsWith(b, k, e, w)) return k;
  return -1;
}

export function findByte(b: Uint8Array, c: number, i: number, e: number): number {
  for (let k = i; k < e; k++) if (b[k] === c) return k;
  return -1;
}

/** `IP ` or `IP6 ` at b[i]. */
export function isIpMarker(b: Uint8Array, i: number, e: number): boolean {
  return e - i >= 4 && b[i] === 73 && b[i + 1] === 80 && (b[i + 2] === SP || (b[i + 2] === 54 && b[i + 3] === SP));
}

/** Decimal digits at b[i..e) as a number, or -1 when there are none (or too many). */
export function uintAt(b: Uint8Array, i: number, e: number): number {
  let v = 0, k = i;
  while (k < e && isDigit(b[k])) v = v * 10 + (b[k++] - 48);
  return k === i || k - i > MAX_DIGITS ? -1 : v;
}

/** A port number that is exactly b[i, e), or -1. */
export function portAt(b: Uint8Array, i: number, e: number): number {
  if (e <= i || e - i > 5) return -1;
  let v = 0;
  for (let k = i; k < e; k++) {
    if (!isDigit(b[k])) return -1;
    v = v * 10 + (b[k] - 48);
  }
  return v <= 65535 ? v : -1;
}

const W_LENGTH = ascii('length');

/** The number after the first `length ` in b[s, e), else -1. */
export function firstLength(b: Uint8Array, s: number, e: number): number {
  const k = find(b, s, e, W_LENGTH);
  return k < 0 ? -1 : uintAt(b, k + W_LENGTH.length + 1, e);
}

/** The number after the last word `length` (optionally `length:`) in b[s, e), else 0. */
export function lastLength(b: Uint8Array, s: number, e: number): number {
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
