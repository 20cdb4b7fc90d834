// Hand-built packets and capture files for the source tests. Every header is written field
// by field from its RFC layout, so a test's expected values follow from the arguments alone.
import { parseIPv6 } from '../../../shared/graph/hosts.js';

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function be16(v: number): number[] {
  return [(v >>> 8) & 255, v & 255];
}
function be32(v: number): number[] {
  return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}
function v4(addr: string): number[] {
  return addr.split('.').map(Number);
}
function v6(addr: string): number[] {
  const w = new Uint32Array(4);
  if (!parseIPv6(addr, w)) throw new Error(`bad IPv6 ${addr}`);
  return [...be32(w[0]), ...be32(w[1]), ...be32(w[2]), ...be32(w[3])];
}

export function payload(n: number): Uint8Array {
  return new Uint8Array(n).fill(0x61);
}

/** TCP header (20 bytes, or dataOffset*4 bytes) followed by `dataLen` payload bytes. */
export function tcp(sport: number, dport: number, dataLen: number, dataOffset = 5): Uint8Array {
  const hdr = [...be16(sport), ...be16(dport), 0, 0, 0, 1, 0, 0, 0, 0, dataOffset << 4, 0x18, ...be16(512), 0, 0, 0, 0];
  const opts = new Array(Math.max(0, dataOffset * 4 - 20)).fill(1);
  return concat(hdr, opts, payload(dataLen));
}

/** UDP header with length field `length` (default 8 + dataLen) and dataLen payload bytes. */
export function udp(sport: number, dport: number, dataLen: number, length = 8 + dataLen): Uint8Array {
  return concat([...be16(sport), ...be16(dport), ...be16(length), 0, 0], payload(dataLen));
}

/** An ICMP/ICMPv6 message of `len` bytes (type 8 = echo request). */
export function icmp(len: number, type = 8): Uint8Array {
  const m = payload(len);
  m[0] = type; m[1] = 0; m[2] = 0; m[3] = 0;
  return m;
}

export interface Ipv4Options { fragmentOffset?: number; moreFragments?: boolean; totalLength?: number; ihl?: number }

export function ipv4(proto: number, src: string, dst: string, body: Uint8Array, o: Ipv4Options = {}): Uint8Array {
  const ihl = o.ihl ?? 5;
  const options = new Array(Math.max(0, ihl * 4 - 20)).fill(1);
  const total = o.totalLength ?? 20 + options.length + body.length;
  const flagsFrag = ((o.moreFragments ? 1 : 0) << 13) | ((o.fragmentOffset ?? 0) >>> 3);
  const hdr = [0x40 | ihl, 0, ...be16(total), 0, 1, ...be16(flagsFrag), 64, proto, 0, 0, ...v4(src), ...v4(dst)];
  return concat(hdr, options, body);
}

export function ipv6(nextHeader: number, src: string, dst: string, body: Uint8Array, payloadLength = body.length): Uint8Array {
  return concat([0x60, 0, 0, 0, ...be16(payloadLength), nextHeader, 64, ...v6(src), ...v6(dst)], body);
}

/** An IPv6 extension header (Hop-by-Hop, Destination Options, Routing): 8 * (1 + lenUnits) bytes. */
export function extension(nextHeader: number, lenUnits: number, fill: number[] = []): Uint8Array {
  const h = new Uint8Array(8 * (1 + lenUnits));
  h[0] = nextHeader; h[1] = lenUnits;
  h.set(fill.slice(0, h.length - 2), 2);
  return h;
}

/** IPv6 Fragment header. */
export function fragment6(nextHeader: number, offset: number, more: boolean): Uint8Array {
  return Uint8Array.from([nextHeader, 0, ...be16((offset & 0xfff8) | (more ? 1 : 0)), 0, 0, 0, 7]);
}

const MAC_A = [0, 1, 2, 3, 4, 5], MAC_B = [6, 7, 8, 9, 10, 11];

/** Ethernet II frame, with 802.1Q/802.1ad tags given as [tpid, vid] pairs, outermost first. */
export function ether(type: number, body: Uint8Array, tags: [number, number][] = []): Uint8Array {
  const tagBytes = tags.flatMap(([tpid, vid]) => [...be16(tpid), ...be16(vid)]);
  return concat(MAC_A, MAC_B, tagBytes, be16(type), body);
}

export function gre(protocolType: number, body: Uint8Array, opts: { key?: number; seq?: number } = {}): Uint8Array {
  const flags = (opts.key !== undefined ? 0x2000 : 0) | (opts.seq !== undefined ? 0x1000 : 0);
  return concat(be16(flags), be16(protocolType),
    opts.key !== undefined ? be32(opts.key) : [], opts.seq !== undefined ? be32(opts.seq) : [], body);
}

export function arp(): Uint8Array {
  return concat([0, 1, 8, 0, 6, 4, 0, 1], MAC_A, [10, 0, 0, 1], [0, 0, 0, 0, 0, 0], [10, 0, 0, 2]);
}

export interface PcapRecord { sec: number; frac: number; data: Uint8Array; wireLen?: number }

/** A classic pcap file: magic a1b2c3d4 (usec) or a1b23c4d (nsec), in either byte order. */
export function pcapFile(linkType: number, records: PcapRecord[], o: { bigEndian?: boolean; nano?: boolean } = {}): Uint8Array {
  const le = !o.bigEndian;
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  head.setUint16(4, 2, le); head.setUint16(6, 4, le);
  head.setUint32(16, 262144, le); head.setUint32(20, linkType, le);
  const parts: Uint8Array[] = [new Uint8Array(head.buffer)];
  for (const r of records) {
    const h = new DataView(new ArrayBuffer(16));
    h.setUint32(0, r.sec, le); h.setUint32(4, r.frac, le);
    h.setUint32(8, r.data.length, le); h.setUint32(12, r.wireLen ?? r.data.length, le);
    parts.push(new Uint8Array(h.buffer), r.data);
  }
  return concat(...parts);
}

/** One pcapng block: type, total length, body padded to 4 bytes, total length again. */
export function pcapngBlock(type: number, body: Uint8Array, le = true): Uint8Array {
  const padded = concat(body, new Array((4 - (body.length % 4)) % 4).fill(0));
  const total = 12 + padded.length;
  const head = new DataView(new ArrayBuffer(8));
  head.setUint32(0, type, le); head.setUint32(4, total, le);
  const tail = new DataView(new ArrayBuffer(4));
  tail.setUint32(0, total, le);
  return concat(new Uint8Array(head.buffer), padded, new Uint8Array(tail.buffer));
}

/** Builds a block body from [value, byteWidth] fields in the given byte order, then raw bytes. */
export function fields(le: boolean, values: [number, 1 | 2 | 4][], tail: ArrayLike<number> = []): Uint8Array {
  const size = values.reduce((n, [, w]) => n + w, 0);
  const v = new DataView(new ArrayBuffer(size));
  let o = 0;
  for (const [value, w] of values) {
    if (w === 1) v.setUint8(o, value); else if (w === 2) v.setUint16(o, value, le); else v.setUint32(o, value, le);
    o += w;
  }
  return concat(new Uint8Array(v.buffer), tail);
}
