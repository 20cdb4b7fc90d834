// RunDeflater's streams are checked by node:zlib's inflate (an independent decoder, which also
// checks the Adler-32): they must give back exactly the bytes described by the gaps and bytes.
import { describe, it, expect } from 'vitest';
import { deflateSync, inflateSync, constants as zlibConstants } from 'node:zlib';
import { RunDeflater, huffmanLengths } from '../../../server/export/run-deflate.js';

/** The stream the deflater is given: gaps[k] zeros then bytes[k], ..., then the trailing zeros. */
function expand(gaps: number[], bytes: number[], trailingZeros: number): Buffer {
  const out: number[] = [];
  gaps.forEach((gap, k) => {
    for (let i = 0; i < gap; i++) out.push(0);
    out.push(bytes[k]);
  });
  for (let i = 0; i < trailingZeros; i++) out.push(0);
  return Buffer.from(out);
}

function roundTrip(deflater: RunDeflater, gaps: number[], bytes: number[], trailingZeros: number): { back: Buffer; expected: Buffer; size: number } {
  const z = deflater.deflate(Int32Array.from(gaps), Uint8Array.from(bytes), gaps.length, trailingZeros);
  return { back: inflateSync(z), expected: expand(gaps, bytes, trailingZeros), size: z.length };
}

describe('RunDeflater', () => {
  it('round-trips the edge cases: nothing, only zeros, one byte, runs at and past 258', () => {
    const deflater = new RunDeflater();
    const cases: [number[], number[], number][] = [
      [[], [], 0],
      [[], [], 1],
      [[], [], 100_000],
      [[0], [0], 0],
      [[0], [255], 0],
      [[5], [9], 3],
      // Runs of one non-zero value: 1, 2, 3 and 258, 259, 260, 261 copies.
      [[0, 0], [7, 7], 0],
      [Array(258).fill(0), Array(258).fill(7), 0],
      [Array(261).fill(0), Array(261).fill(7), 2],
      // Zero runs of 1..4 and 258..261 between bytes.
      [[1, 2, 3, 4, 258, 259, 260, 261], [1, 2, 1, 2, 1, 2, 1, 2], 0],
      // Listed zeros join the zero runs around them.
      [[3, 0, 2], [0, 0, 5], 4],
    ];
    for (const [gaps, bytes, trailing] of cases) {
      const { back, expected } = roundTrip(deflater, gaps, bytes, trailing);
      expect(back.equals(expected)).toBe(true);
    }
  });

  it('round-trips random sparse streams, reusing its memory', () => {
    const deflater = new RunDeflater();
    let seed = 3;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 40; trial++) {
      const alphabet = trial % 3 === 0 ? 3 : 256;
      const gaps: number[] = [];
      const bytes: number[] = [];
      let value = 1;
      for (let k = Math.floor(random() * 1500); k > 0; k--) {
        gaps.push(random() < 0.5 ? 0 : Math.floor(random() ** 3 * 1500));
        if (random() < 0.7) value = Math.floor(random() * alphabet);
        bytes.push(value);
      }
      const { back, expected } = roundTrip(deflater, gaps, bytes, Math.floor(random() * 600));
      expect(back.equals(expected)).toBe(true);
    }
  });

  it('compresses a picture-like stream about as zlib Z_RLE does', () => {
    // 2000 rows of 2000 bytes: scattered bytes of a few values, about 15% of them.
    let seed = 5;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const gaps: number[] = [];
    const bytes: number[] = [];
    let sent = 0;
    for (let p = 0; p < 4_000_000; p++) {
      if (random() >= 0.15) continue;
      gaps.push(p - sent);
      bytes.push(1 + Math.floor(random() ** 2 * 40));
      sent = p + 1;
    }
    const { back, expected, size } = roundTrip(new RunDeflater(), gaps, bytes, 4_000_000 - sent);
    expect(back.equals(expected)).toBe(true);
    expect(size).toBeLessThan(1.1 * zlibRleSize(expected));
  });

  it('validates its parameters', () => {
    const deflater = new RunDeflater();
    const gaps = new Int32Array([1, 2]);
    const bytes = new Uint8Array([1, 2]);
    expect(() => deflater.deflate([1] as unknown as Int32Array, bytes, 1, 0)).toThrow(/gaps must be an Int32Array/);
    expect(() => deflater.deflate(gaps, [1] as unknown as Uint8Array, 1, 0)).toThrow(/bytes must be a Uint8Array/);
    expect(() => deflater.deflate(gaps, bytes, 3, 0)).toThrow(/count must be an integer 0..2/);
    expect(() => deflater.deflate(gaps, bytes, 2, -1)).toThrow(/trailingZeros must be a non-negative integer/);
    expect(() => deflater.deflate(new Int32Array([1, -2]), bytes, 2, 0)).toThrow(/gaps\[1\] = -2 is negative/);
  });
});

/** Bytes of zlib's Z_RLE stream of `raw` (the strategy encodePng uses). */
function zlibRleSize(raw: Buffer): number {
  return deflateSync(raw, { level: 6, strategy: zlibConstants.Z_RLE }).length;
}

describe('huffmanLengths', () => {
  it('gives a complete prefix code no longer than the limit, shorter codes to more frequent symbols', () => {
    // Fibonacci frequencies make the unlimited code as deep as there are symbols.
    const freq = new Uint32Array(30);
    freq[0] = 1;
    freq[1] = 1;
    for (let s = 2; s < 30; s++) freq[s] = freq[s - 1] + freq[s - 2];
    for (const limit of [7, 15]) {
      const lengths = huffmanLengths(freq, limit);
      expect(Math.max(...lengths)).toBe(limit);
      let kraft = 0;
      for (const l of lengths) kraft += 2 ** -l;
      expect(kraft).toBe(1);
      for (let s = 1; s < 30; s++) expect(lengths[s]).toBeLessThanOrEqual(lengths[s - 1]);
    }
    // Unlimited, the same frequencies give lengths 1, 2, ..., 28, 29, 29 (most frequent first).
    const free = huffmanLengths(freq, 40);
    expect([...free].reverse()).toEqual([...Array.from({ length: 29 }, (_, i) => i + 1), 29]);
  });

  it('gives one used symbol a 1-bit code and unused symbols none', () => {
    expect([...huffmanLengths(new Uint32Array([0, 5, 0]), 15)]).toEqual([0, 1, 0]);
    expect([...huffmanLengths(new Uint32Array([0, 0]), 15)]).toEqual([0, 0]);
  });
});
