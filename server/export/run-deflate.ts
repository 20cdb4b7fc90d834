// A zlib stream writer specialised for rendered frames. The stream is given as its non-zero
// bytes only, each with the count of zeros before it (the zeros being the black background and
// PNG's filter bytes), and each gap of zeros is sent as one literal zero and a distance-1 match
// (what zlib's Z_RLE strategy finds); bytes are literals. A gap's tokens then depend on its
// length alone, so the Huffman codes come from histograms of gap lengths and byte values, and
// the block is written in one more pass with a table per gap length: no token buffer, no
// per-byte decisions beyond the gap's length. The stream is one dynamic-Huffman deflate block,
// which any inflater (node:zlib, the browser's PNG decoder) reads. On 2000x2000 frames it makes
// about the bytes of zlib's Z_RLE in a fraction of the time (bench/encode-frame.ts).

const ADLER_MOD = 65521;
/**
 * Bytes between reductions of the Adler-32 sums: a stays below 2^19, b (a double: exact below
 * 2^53) below 2^19 * (ADLER_BATCH + the stream's length), far below 2^53 for any frame.
 */
const ADLER_BATCH = 1024;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** Gaps shorter than this are written from tables: one literal zero and at most one match. */
const TABLE_GAPS = MAX_MATCH + 2;
const END_OF_BLOCK = 256;
const LITLEN_SYMBOLS = 286;
const MAX_CODE_BITS = 15;
const MAX_CODE_LENGTH_BITS = 7;
/** Bits one write may add: the writer holds at most 7 more, in an int32 (31 bits). */
const MAX_WRITE_BITS = 24;
/** The order code-length code lengths are sent in (RFC 1951 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

/** Per match length 3..258: its length symbol's index (0..28, symbol 257 + index). */
const LENGTH_INDEX = new Uint8Array(MAX_MATCH + 1);
for (let s = 0; s < LENGTH_BASE.length; s++) {
  // 258 has a symbol of its own (285), though 284's extra bits would reach it.
  const top = s === LENGTH_BASE.length - 1 ? MAX_MATCH : Math.min(MAX_MATCH - 1, LENGTH_BASE[s] + (1 << LENGTH_EXTRA[s]) - 1);
  for (let length = LENGTH_BASE[s]; length <= top; length++) LENGTH_INDEX[length] = s;
}

/**
 * A gap of `gap` zeros as tokens: a literal zero (-1 here), then `gap - 1` more zeros as
 * matches of up to 258 (a token is its length) and literal zeros for a rest under 3.
 */
function gapTokens(gap: number, visit: (token: number, times: number) => void): void {
  if (gap === 0) return;
  visit(-1, 1);
  let rest = gap - 1;
  const full = rest >= MIN_MATCH ? Math.floor(rest / MAX_MATCH) : 0;
  if (full > 0) visit(MAX_MATCH, full);
  rest -= full * MAX_MATCH;
  if (rest >= MIN_MATCH) visit(rest, 1);
  else if (rest > 0) visit(-1, rest);
}

/** Compresses streams given as gaps and bytes; keeps its working memory between streams. */
export class RunDeflater {
  private readonly gapCounts = new Int32Array(TABLE_GAPS);
  private readonly byteCounts = new Int32Array(256);
  private readonly litLenFreq = new Float64Array(LITLEN_SYMBOLS);
  // Per gap length below TABLE_GAPS, its tokens' Huffman bits packed into up to three writes
  // (LSB first; a match is its length symbol, extra bits and the 1-bit distance code 0).
  private readonly gapCode = new Int32Array(3 * TABLE_GAPS);
  private readonly gapBits = new Uint8Array(3 * TABLE_GAPS);
  /** Per table gap length, the bits of its one write, or more than any write when it takes two or three. */
  private readonly oneWriteBits = new Uint8Array(TABLE_GAPS);
  private readonly byteCode = new Int32Array(256);
  private readonly byteBits = new Uint8Array(256);
  /** Per match length, its bits (for gaps past the table). */
  private readonly matchCode = new Int32Array(MAX_MATCH + 1);
  private readonly matchBits = new Uint8Array(MAX_MATCH + 1);
  /** Bytes the gaps past the table may take, found while counting. */
  private longGapBytes = 0;
  private out = new Uint8Array(0);

  /**
   * The zlib stream of: for k in 0..count, gaps[k] zero bytes (RangeError if negative) then
   * bytes[k]; then trailingZeros zero bytes. The result is valid until the next call.
   */
  deflate(gaps: Int32Array, bytes: Uint8Array, count: number, trailingZeros: number): Uint8Array {
    if (!(gaps instanceof Int32Array)) throw new TypeError('gaps must be an Int32Array');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (!Number.isInteger(count) || count < 0 || count > gaps.length || count > bytes.length) {
      throw new RangeError(`count must be an integer 0..${Math.min(gaps.length, bytes.length)}, got ${count}`);
    }
    if (!Number.isInteger(trailingZeros) || trailingZeros < 0) throw new RangeError(`trailingZeros must be a non-negative integer, got ${trailingZeros}`);
    this.countStream(gaps, bytes, count, trailingZeros);
    const { litLenLengths, litLenCodes } = this.codes();
    this.fillTables(litLenLengths, litLenCodes);
    // Per byte at most 4 writes of 24 bits (3 bytes each), the long gaps, the header (with the
    // code lengths, a few hundred bytes) and the bytes stored ahead.
    const bound = 1024 + 12 * count + this.longGapBytes;
    if (this.out.length < bound) this.out = new Uint8Array(Math.max(bound, this.out.length * 2));
    const writer: BitWriter = { out: this.out, length: 0, buffer: 0, count: 0 };
    // zlib header: deflate, 32 KiB window, no dictionary, "fastest" level; 0x7801 is a multiple of 31.
    writer.out[writer.length++] = 0x78;
    writer.out[writer.length++] = 0x01;
    putBits(writer, 1, 1); // final block
    putBits(writer, 2, 2); // dynamic Huffman
    // Distance 1 is the only distance; a second code of the same length keeps the code complete.
    writeCodeLengths(writer, litLenLengths, Uint8Array.of(1, 1));
    const adler = this.writeStream(writer, gaps, bytes, count, trailingZeros);
    this.writeLongGap(writer, trailingZeros);
    putBits(writer, litLenCodes[END_OF_BLOCK], litLenLengths[END_OF_BLOCK]);
    if (writer.count > 0) putBits(writer, 0, 8 - writer.count);
    const o = writer.length;
    writer.out[o] = adler >>> 24;
    writer.out[o + 1] = (adler >>> 16) & 255;
    writer.out[o + 2] = (adler >>> 8) & 255;
    writer.out[o + 3] = adler & 255;
    return writer.out.subarray(0, o + 4);
  }

  /**
   * One pass over the stream: checks the gaps, counts gap lengths (longer ones' tokens straight
   * into litLenFreq) and byte values.
   */
  private countStream(gaps: Int32Array, bytes: Uint8Array, count: number, trailingZeros: number): void {
    const { gapCounts, byteCounts, litLenFreq } = this;
    gapCounts.fill(0);
    byteCounts.fill(0);
    litLenFreq.fill(0);
    this.longGapBytes = 0;
    for (let k = 0; k < count; k++) {
      const gap = gaps[k];
      if (gap < TABLE_GAPS) {
        if (gap < 0) throw new RangeError(`gaps[${k}] = ${gap} is negative`);
        gapCounts[gap]++;
      } else {
        this.countGap(gap);
      }
      byteCounts[bytes[k]]++;
    }
    this.countGap(trailingZeros);
  }

  private countGap(gap: number): void {
    gapTokens(gap, (token, times) => {
      this.litLenFreq[token < 0 ? 0 : 257 + LENGTH_INDEX[token]] += times;
      this.longGapBytes += 3 * times;
    });
  }

  /** The literal/length code from the counts. */
  private codes(): { litLenLengths: Uint8Array; litLenCodes: Int32Array } {
    const { litLenFreq, gapCounts, byteCounts } = this;
    for (let gap = 1; gap < TABLE_GAPS; gap++) {
      if (gapCounts[gap] === 0) continue;
      gapTokens(gap, (token, times) => {
        litLenFreq[token < 0 ? 0 : 257 + LENGTH_INDEX[token]] += times * gapCounts[gap];
      });
    }
    for (let v = 0; v < 256; v++) litLenFreq[v] += byteCounts[v];
    litLenFreq[END_OF_BLOCK] = 1;
    // A Huffman code needs two symbols at least; a stream of nothing has only the end.
    if (litLenFreq.reduce((used, f) => used + (f > 0 ? 1 : 0), 0) < 2) litLenFreq[0] = 1;
    const litLenLengths = huffmanLengths(litLenFreq, MAX_CODE_BITS);
    return { litLenLengths, litLenCodes: canonicalCodes(litLenLengths) };
  }

  /** Per byte value and per table gap length, the bits to write. */
  private fillTables(litLenLengths: Uint8Array, litLenCodes: Int32Array): void {
    const { gapCode, gapBits, byteCode, byteBits, matchCode, matchBits } = this;
    for (let v = 0; v < 256; v++) {
      byteCode[v] = litLenCodes[v];
      byteBits[v] = litLenLengths[v];
    }
    for (let length = MIN_MATCH; length <= MAX_MATCH; length++) {
      [matchCode[length], matchBits[length]] = tokenBits(length, litLenLengths, litLenCodes);
    }
    gapCode.fill(0);
    gapBits.fill(0);
    for (let gap = 0; gap < TABLE_GAPS; gap++) {
      let part = 0;
      gapTokens(gap, (token, times) => {
        const [code, bits] = tokenBits(token, litLenLengths, litLenCodes);
        for (let t = 0; t < times; t++) {
          // Tokens share a write while they fit in it.
          if (gapBits[3 * gap + part] + bits > MAX_WRITE_BITS) part++;
          const at = 3 * gap + part;
          gapCode[at] |= code << gapBits[at];
          gapBits[at] += bits;
        }
      });
      this.oneWriteBits[gap] = part === 0 ? gapBits[3 * gap] : 255;
    }
  }

  /** Writes the gaps and bytes; returns the Adler-32 of the whole stream (trailing zeros too). */
  private writeStream(writer: BitWriter, gaps: Int32Array, bytes: Uint8Array, count: number, trailingZeros: number): number {
    const { gapCode, gapBits, oneWriteBits, byteCode, byteBits } = this;
    // The bit writer inlined, branch-free: the three low bytes of the buffer (at most 7 + 24
    // bits held) are stored every time and the position moves past the whole ones; a loop per
    // byte mispredicts on nearly every write. Bytes stored ahead are rewritten once complete.
    // Each write waits on the one before (the bits held), so the usual gap and its byte go in one.
    // The Adler-32 sums ride along: their additions do not wait on the writer's.
    const out = writer.out;
    let buffer = writer.buffer;
    let held = writer.count;
    let o = writer.length;
    let a = 1;
    let b = 0;
    for (let k = 0; k < count; k++) {
      const gap = gaps[k];
      const byte = bytes[k];
      // gap zeros leave a as it is and add it to b each time; then the byte.
      b += gap * a;
      a += byte;
      b += a;
      if ((k & (ADLER_BATCH - 1)) === ADLER_BATCH - 1) {
        a %= ADLER_MOD;
        b %= ADLER_MOD;
      }
      let code: number;
      let bits: number;
      if (gap < TABLE_GAPS && oneWriteBits[gap] + byteBits[byte] <= MAX_WRITE_BITS) {
        code = gapCode[3 * gap] | (byteCode[byte] << oneWriteBits[gap]);
        bits = oneWriteBits[gap] + byteBits[byte];
      } else {
        if (gap < TABLE_GAPS) {
          for (let at = 3 * gap, end = at + 3; at < end; at++) {
            buffer |= gapCode[at] << held;
            held += gapBits[at];
            out[o] = buffer;
            out[o + 1] = buffer >>> 8;
            out[o + 2] = buffer >>> 16;
            const whole = held >>> 3;
            o += whole;
            buffer >>>= whole << 3;
            held &= 7;
          }
        } else {
          writer.buffer = buffer;
          writer.count = held;
          writer.length = o;
          this.writeLongGap(writer, gap);
          buffer = writer.buffer;
          held = writer.count;
          o = writer.length;
        }
        code = byteCode[byte];
        bits = byteBits[byte];
      }
      buffer |= code << held;
      held += bits;
      out[o] = buffer;
      out[o + 1] = buffer >>> 8;
      out[o + 2] = buffer >>> 16;
      const whole = held >>> 3;
      o += whole;
      buffer >>>= whole << 3;
      held &= 7;
    }
    writer.buffer = buffer;
    writer.count = held;
    writer.length = o;
    a %= ADLER_MOD;
    b = (b + trailingZeros * a) % ADLER_MOD;
    return ((b << 16) | a) >>> 0;
  }

  /** A gap of any length, token by token. */
  private writeLongGap(writer: BitWriter, gap: number): void {
    gapTokens(gap, (token, times) => {
      const code = token < 0 ? this.byteCode[0] : this.matchCode[token];
      const bits = token < 0 ? this.byteBits[0] : this.matchBits[token];
      for (let t = 0; t < times; t++) putBits(writer, code, bits);
    });
  }
}

/** A token's bits: a literal zero (-1), or a distance-1 match of that length. */
function tokenBits(token: number, litLenLengths: Uint8Array, litLenCodes: Int32Array): [number, number] {
  if (token < 0) return [litLenCodes[0], litLenLengths[0]];
  const s = LENGTH_INDEX[token];
  const bits = litLenLengths[257 + s];
  // Symbol, then its extra bits, then the 1-bit distance code 0 (distance 1).
  return [litLenCodes[257 + s] | ((token - LENGTH_BASE[s]) << bits), bits + LENGTH_EXTRA[s] + 1];
}

interface BitWriter {
  out: Uint8Array;
  length: number;
  /** Bits not yet stored, LSB first, and how many. */
  buffer: number;
  count: number;
}

function putBits(w: BitWriter, bits: number, count: number): void {
  w.buffer |= bits << w.count;
  w.count += count;
  while (w.count >= 8) {
    w.out[w.length++] = w.buffer & 255;
    w.buffer >>>= 8;
    w.count -= 8;
  }
}

/** The block header after its type: the code lengths of both codes, run-length coded with a code of their own. */
function writeCodeLengths(w: BitWriter, litLenLengths: Uint8Array, distLengths: Uint8Array): void {
  let litLenCount = LITLEN_SYMBOLS;
  while (litLenCount > 257 && litLenLengths[litLenCount - 1] === 0) litLenCount--;
  const lengths = new Uint8Array(litLenCount + distLengths.length);
  lengths.set(litLenLengths.subarray(0, litLenCount));
  lengths.set(distLengths, litLenCount);
  // Symbols 0..18 with their extra bits, as (symbol, extra) pairs.
  const symbols: number[] = [];
  for (let i = 0; i < lengths.length;) {
    const value = lengths[i];
    let run = 1;
    while (i + run < lengths.length && lengths[i + run] === value) run++;
    i += run;
    if (value === 0) {
      for (; run >= 11; run -= Math.min(run, 138)) symbols.push(18, Math.min(run, 138) - 11);
      if (run >= 3) {
        symbols.push(17, run - 3);
        run = 0;
      }
    } else {
      symbols.push(value, 0);
      run--;
      for (; run >= 3; run -= Math.min(run, 6)) symbols.push(16, Math.min(run, 6) - 3);
    }
    for (; run > 0; run--) symbols.push(value, 0);
  }
  const freq = new Uint32Array(19);
  for (let k = 0; k < symbols.length; k += 2) freq[symbols[k]]++;
  const clLengths = huffmanLengths(freq, MAX_CODE_LENGTH_BITS);
  const clCodes = canonicalCodes(clLengths);
  let clCount = 19;
  while (clCount > 4 && clLengths[CODE_LENGTH_ORDER[clCount - 1]] === 0) clCount--;
  putBits(w, litLenCount - 257, 5);
  putBits(w, distLengths.length - 1, 5);
  putBits(w, clCount - 4, 4);
  for (let k = 0; k < clCount; k++) putBits(w, clLengths[CODE_LENGTH_ORDER[k]], 3);
  for (let k = 0; k < symbols.length; k += 2) {
    const symbol = symbols[k];
    putBits(w, clCodes[symbol], clLengths[symbol]);
    if (symbol === 16) putBits(w, symbols[k + 1], 2);
    else if (symbol === 17) putBits(w, symbols[k + 1], 3);
    else if (symbol === 18) putBits(w, symbols[k + 1], 7);
  }
}

/**
 * Huffman code lengths for `freq` (0 for unused symbols), none longer than maxBits: Moffat and
 * Katajainen's in-place minimum-redundancy lengths, then the longest codes shortened as miniz
 * does (moving codes down the tree until the Kraft sum is 1 again).
 */
export function huffmanLengths(freq: ArrayLike<number>, maxBits: number): Uint8Array {
  const lengths = new Uint8Array(freq.length);
  const symbols: number[] = [];
  for (let s = 0; s < freq.length; s++) if (freq[s] > 0) symbols.push(s);
  const n = symbols.length;
  if (n === 0) return lengths;
  if (n === 1) {
    lengths[symbols[0]] = 1;
    return lengths;
  }
  symbols.sort((a, b) => freq[a] - freq[b] || a - b);
  const a = symbols.map((s) => freq[s]);
  minimumRedundancy(a);
  const perLength = new Int32Array(Math.max(maxBits, n) + 1);
  for (const length of a) perLength[length]++;
  for (let l = maxBits + 1; l < perLength.length; l++) {
    perLength[maxBits] += perLength[l];
    perLength[l] = 0;
  }
  let kraft = 0;
  for (let l = maxBits; l > 0; l--) kraft += perLength[l] * 2 ** (maxBits - l);
  for (; kraft > 2 ** maxBits; kraft--) {
    perLength[maxBits]--;
    for (let l = maxBits - 1; l > 0; l--) {
      if (perLength[l] > 0) {
        perLength[l]--;
        perLength[l + 1] += 2;
        break;
      }
    }
  }
  // The most frequent symbols (at the end of the ascending order) take the shortest codes.
  let j = n;
  for (let l = 1; l <= maxBits; l++) for (let k = perLength[l]; k > 0; k--) lengths[symbols[--j]] = l;
  return lengths;
}

/** In place: weights in ascending order (at least 2) -> their code lengths. */
function minimumRedundancy(a: number[]): void {
  const n = a.length;
  a[0] += a[1];
  let root = 0;
  let leaf = 2;
  for (let next = 1; next < n - 1; next++) {
    if (leaf >= n || a[root] < a[leaf]) {
      a[next] = a[root];
      a[root++] = next;
    } else {
      a[next] = a[leaf++];
    }
    if (leaf >= n || (root < next && a[root] < a[leaf])) {
      a[next] += a[root];
      a[root++] = next;
    } else {
      a[next] += a[leaf++];
    }
  }
  a[n - 2] = 0;
  for (let next = n - 3; next >= 0; next--) a[next] = a[a[next]] + 1;
  let available = 1;
  let used = 0;
  let depth = 0;
  root = n - 2;
  let next = n - 1;
  while (available > 0) {
    while (root >= 0 && a[root] === depth) {
      used++;
      root--;
    }
    while (available > used) {
      a[next--] = depth;
      available--;
    }
    available = 2 * used;
    depth++;
    used = 0;
  }
}

/** Canonical codes for `lengths` (RFC 1951 3.2.2), bit-reversed for the LSB-first bit writer. */
function canonicalCodes(lengths: Uint8Array): Int32Array {
  const perLength = new Int32Array(MAX_CODE_BITS + 1);
  for (const l of lengths) perLength[l]++;
  perLength[0] = 0;
  const nextCode = new Int32Array(MAX_CODE_BITS + 2);
  for (let l = 1, code = 0; l <= MAX_CODE_BITS; l++) {
    code = (code + perLength[l - 1]) << 1;
    nextCode[l] = code;
  }
  const codes = new Int32Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s];
    if (l === 0) continue;
    let code = nextCode[l]++;
    let reversed = 0;
    for (let k = 0; k < l; k++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    codes[s] = reversed;
  }
  return codes;
}
