// Address blocks (CIDR: 10.0.0.0/8, 2001:db8::/32) and whether a host of a HostTable lies in one.
import { parseIPv4, parseIPv6 } from './hosts.js';

export interface Cidr {
  family: 4 | 6;
  /** The block's address as four 32-bit words (IPv4 in word 3), host bits cleared. */
  words: Uint32Array;
  prefix: number;
}

/** Parses "ADDRESS/PREFIX" (or a bare address, a block of one); null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) return null;
  const words = new Uint32Array(4);
  const v4 = parseIPv4(address);
  let family: 4 | 6;
  if (v4 >= 0) { words[3] = v4; family = 4; } else if (parseIPv6(address, words)) family = 6; else return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === null ? max : Number(prefixText);
  if (prefix > max) return null;
  // Clear the host bits, counting the prefix from the start of the family's own bits.
  const first = family === 4 ? 96 : 0;
  for (let w = 0; w < 4; w++) words[w] = (words[w] & maskOf(first + prefix - 32 * w)) >>> 0;
  return { family, words, prefix };
}

/** The bits of word w kept by a prefix reaching `bits` into it (clamped to 0..32). */
function maskOf(bits: number): number {
  return bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

/** Whether host `id` (family and words columns of a HostTable) lies in the block. */
export function inCidr(c: Cidr, family: Uint8Array, words: Uint32Array, id: number): boolean {
  if (family[id] !== c.family) return false;
  const first = c.family === 4 ? 96 : 0;
  for (let w = 0; w < 4; w++) {
    const m = maskOf(first + c.prefix - 32 * w);
    if (((words[4 * id + w] & m) >>> 0) !== c.words[w]) return false;
  }
  return true;
}
