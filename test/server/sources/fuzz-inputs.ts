// Inputs for the fuzz tests: a seeded PRNG, random chunkings, byte mutations, and the real
// captures and text cut to a size that keeps the tests quick (at unit boundaries walked from
// the file formats alone).
import { readFileSync } from 'node:fs';
import { dataPath } from '../../helpers/data.js';

/** Small seeded PRNG (mulberry32): uniform in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export type Rand = () => number;
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const seedOf = (name: string): number => [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

/** Feed sizes from 1 byte to 8 KiB, mostly small, so records and lines split everywhere. */
export function chunked(bytes: Uint8Array, r: Rand): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = 1 + Math.floor(r() ** 3 * 8192);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

/**
 * Where each unit of a capture ends (file header, records or blocks), walked from the format
 * specs alone, and which units are packets.
 */
export function captureUnits(b: Uint8Array): { ends: number[]; packet: boolean[] } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ends: number[] = [], packet: boolean[] = [];
  if (view.getUint32(0, false) === 0x0a0d0d0a) {
    let le = true;
    for (let o = 0; o + 12 <= b.length;) {
      if (view.getUint32(o, false) === 0x0a0d0d0a) le = view.getUint32(o + 8, true) === 0x1a2b3c4d;
      const type = view.getUint32(o, le), len = view.getUint32(o + 4, le);
      if (o + len > b.length) break;
      o += len;
      ends.push(o); packet.push(type === 2 || type === 3 || type === 6);
    }
  } else {
    const le = view.getUint32(0, true) === 0xa1b2c3d4 || view.getUint32(0, true) === 0xa1b23c4d;
    ends.push(24); packet.push(false);
    for (let o = 24; o + 16 <= b.length;) {
      const end = o + 16 + view.getUint32(o + 8, le);
      if (end > b.length) break;
      o = end;
      ends.push(o); packet.push(true);
    }
  }
  return { ends, packet };
}

/**
 * The capture cut at its last unit boundary at or before `limit` bytes (keeps tests quick),
 * but with at least a few packets.
 */
export function capturePrefix(name: string, limit: number): Uint8Array {
  const all = new Uint8Array(readFileSync(dataPath('pcap', name)));
  const { ends, packet } = captureUnits(all);
  let cut = ends[0], packets = 0;
  for (let u = 0; u < ends.length && (ends[u] <= limit || packets < 4); u++) {
    cut = ends[u];
    if (packet[u]) packets++;
  }
  return all.subarray(0, cut);
}
export function textPrefix(name: string, limit: number): Uint8Array {
  const all = new Uint8Array(readFileSync(dataPath('tcpdump', name)));
  if (all.length <= limit) return all;
  return all.subarray(0, all.lastIndexOf(10, limit) + 1);
}

/** Mutations: a byte, a run of bytes, or a header field set to a hostile value. */
export function mutate(src: Uint8Array, r: Rand, fieldAt: number[], alphabet: Uint8Array | null): { bytes: Uint8Array; how: string } {
  const b = src.slice();
  const how: string[] = [];
  const pick = () => (alphabet !== null && r() < 0.8 ? alphabet[int(r, 0, alphabet.length - 1)] : int(r, 0, 255));
  for (let m = int(r, 1, 4); m > 0; m--) {
    const kind = r();
    if (kind < 0.4 || fieldAt.length === 0) {
      const at = int(r, 0, b.length - 1), v = pick();
      b[at] = v; how.push(`[${at}]=${v}`);
    } else if (kind < 0.6) {
      const at = int(r, 0, b.length - 1), n = int(r, 2, 16);
      // Text: sometimes a run of digits, where counts and ports can overflow.
      const digits = alphabet !== null && r() < 0.3;
      for (let k = at; k < Math.min(b.length, at + n); k++) b[k] = digits ? int(r, 48, 57) : pick();
      how.push(`${digits ? 'digits' : 'run'} [${at}..${at + n})`);
    } else {
      // A length field or an early header byte of a record/line: where parsers decide sizes.
      const at = Math.min(b.length - 1, fieldAt[int(r, 0, fieldAt.length - 1)] + int(r, 0, 63));
      const hostile = [0, 1, 0xff, 0x7f, 0x80, 0x3f, 0x40, 0x45, 0x60, 0x06, 0x11, 0x2f];
      const v = alphabet !== null ? pick() : hostile[int(r, 0, hostile.length - 1)];
      b[at] = v; how.push(`field [${at}]=${v}`);
    }
  }
  return { bytes: b, how: how.join(' ') };
}
