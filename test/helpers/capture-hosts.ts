// The hosts of a capture read from tcpdump's text of it (`IP` and `IP6` lines), in the order the
// circular layout places them (IPv4 by numeric value, then IPv6 by numeric value), and where
// that layout puts each: worked out here, apart from the code under test.
import { readFileSync } from 'node:fs';

/** An address's value: IPv4 as a number below 2^32, IPv6 as 2^32 + its 128-bit value (so IPv6 sorts after). */
function addressValue(a: string): bigint {
  if (!a.includes(':')) return a.split('.').reduce((v, part) => v * 256n + BigInt(Number(part)), 0n);
  const [head, tail] = a.includes('::') ? a.split('::') : [a, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return 2n ** 32n + groups.reduce((v, g) => v * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** An endpoint of a tcpdump -q line (the colon after the second one dropped) without its port: `10.0.0.1.80` -> `10.0.0.1`, `fe80::1.546` -> `fe80::1`. */
function hostOf(e: string, v6: boolean): string {
  if (!v6) return e.split('.').slice(0, 4).join('.');
  return e.includes('.') ? e.slice(0, e.lastIndexOf('.')) : e;
}

export interface CaptureHosts {
  /** In layout order. */
  addresses: string[];
  rank: Map<string, number>;
  /** Where the circular layout puts a host (unit square, y up): 0.5 + 0.5 (cos, sin) of 2 pi rank / count. */
  place(address: string): [number, number];
}

export function captureHosts(textFile: string): CaptureHosts {
  const seen = new Set<string>();
  for (const line of readFileSync(textFile, 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[1] !== 'IP' && f[1] !== 'IP6') continue;
    seen.add(hostOf(f[2], f[1] === 'IP6'));
    seen.add(hostOf(f[4].slice(0, -1), f[1] === 'IP6'));
  }
  const addresses = [...seen].sort((a, b) => { const d = addressValue(a) - addressValue(b); return d < 0n ? -1 : d > 0n ? 1 : 0; });
  const rank = new Map(addresses.map((a, i) => [a, i]));
  return {
    addresses, rank,
    place(address) {
      const r = rank.get(address);
      if (r === undefined) throw new Error(`${address} is not a host of the capture`);
      const angle = (2 * Math.PI * r) / addresses.length;
      return [0.5 + 0.5 * Math.cos(angle), 0.5 + 0.5 * Math.sin(angle)];
    },
  };
}
