// Classic pcap encoder (little-endian, microsecond timestamps, Ethernet) for IPv4 TCP/UDP/ICMP
// packets given as columns. Payload bytes are not stored: each record captures only the
// Ethernet + IPv4 + layer-4 headers (incl_len) while orig_len and the IP/UDP length fields
// describe the full frame, so files stay small and tcpdump still prints `tcp N` / `length N`.
// The missing payload counts as zeros, which add nothing to a ones'-complement sum, so the
// TCP/UDP/ICMP checksums written here are those of the full frame with a zero-filled payload.
import { Proto } from '../../shared/records.js';

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_LINKTYPE_ETHERNET = 1;
/** Larger than every header stack written here, so no record is cut short of its headers. */
export const PCAP_SNAPLEN = 96;
export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
/** The longest record this writer produces (TCP: 16 + 14 + 20 + 20). */
export const PCAP_MAX_RECORD_BYTES = PCAP_RECORD_HEADER_BYTES + 14 + 20 + 20;

const ETHERNET_BYTES = 14;
const IPV4_BYTES = 20;
const TCP_BYTES = 20;
const UDP_BYTES = 8;
const ICMP_BYTES = 8;
const MAX_IP_TOTAL = 65535;
const TTL = 64;
const TCP_WINDOW = 64240;

/**
 * IPv4 packets as columns (uPlot style: one typed array per field, `length` valid rows).
 * `bytes` is what `tcpdump -q` prints: the TCP payload, the UDP payload, or the whole ICMP
 * message (header included, so at least 8). `flags` holds the TCP flag bits for TCP and the
 * ICMP type for ICMP (code 0); for ICMP, srcPort/dstPort carry the echo identifier/sequence.
 */
export interface Ipv4Packets {
  length: number;
  /** Epoch seconds; written to the microsecond. */
  time: Float64Array;
  srcAddr: Uint32Array;
  dstAddr: Uint32Array;
  srcPort: Uint16Array;
  dstPort: Uint16Array;
  /** Proto.tcp, Proto.udp or Proto.icmp. */
  proto: Uint8Array;
  flags: Uint8Array;
  bytes: Uint32Array;
}

/** The 24-byte global header. */
export function pcapFileHeader(): Uint8Array {
  const out = new Uint8Array(PCAP_FILE_HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  // thiszone and sigfigs stay 0
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, PCAP_LINKTYPE_ETHERNET, true);
  return out;
}

/**
 * Bytes that rows [from, to) take as pcap records. Also the validation pass for
 * writePcapRecords: throws a RangeError naming the first row that cannot be encoded.
 */
export function pcapRecordsByteLength(p: Ipv4Packets, from: number, to: number): number {
  checkRange(p, from, to);
  const { proto, bytes, time } = p;
  let total = 0;
  for (let i = from; i < to; i++) {
    const pr = proto[i], b = bytes[i], t = time[i];
    if (!(t >= 0 && t < 4294967296)) throw new RangeError(`time[${i}] must be epoch seconds in [0, 2^32), got ${t}`);
    let l4: number, minBytes = 0;
    if (pr === Proto.tcp) l4 = TCP_BYTES;
    else if (pr === Proto.udp) l4 = UDP_BYTES;
    else if (pr === Proto.icmp) { l4 = 0; minBytes = ICMP_BYTES; }
    else throw new RangeError(`proto[${i}] must be Proto.tcp, Proto.udp or Proto.icmp, got ${pr}`);
    if (b < minBytes || IPV4_BYTES + l4 + b > MAX_IP_TOTAL) {
      throw new RangeError(`bytes[${i}] = ${b} does not fit an IPv4 ${pr === Proto.icmp ? 'ICMP message (>= 8)' : 'packet'}`);
    }
    total += PCAP_RECORD_HEADER_BYTES + ETHERNET_BYTES + IPV4_BYTES + (pr === Proto.tcp ? TCP_BYTES : 8);
  }
  return total;
}

/**
 * Encodes rows [from, to) as pcap records into out at offset; returns the offset after the
 * last record. The IPv4 identification is the row index (mod 2^16), so chunks written one
 * after another equal one call over all rows.
 */
export function writePcapRecords(p: Ipv4Packets, from: number, to: number, out: Uint8Array, offset = 0): number {
  const need = pcapRecordsByteLength(p, from, to);
  if (!(out instanceof Uint8Array)) throw new TypeError('out must be a Uint8Array');
  if (!Number.isInteger(offset) || offset < 0 || offset + need > out.length) {
    throw new RangeError(`out (length ${out.length}) has no room for ${need} bytes at offset ${offset}`);
  }
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const { time, srcAddr, dstAddr, srcPort, dstPort, proto, flags, bytes } = p;
  let o = offset;
  for (let i = from; i < to; i++) {
    const pr = proto[i], src = srcAddr[i], dst = dstAddr[i], sp = srcPort[i], dp = dstPort[i], fl = flags[i];
    const l4 = pr === Proto.tcp ? TCP_BYTES : 8;
    const l4Length = pr === Proto.icmp ? bytes[i] : l4 + bytes[i];
    const ipTotal = IPV4_BYTES + l4Length;
    const incl = ETHERNET_BYTES + IPV4_BYTES + l4;
    let sec = Math.floor(time[i]);
    let usec = Math.round((time[i] - sec) * 1e6);
    if (usec === 1000000) { sec++; usec = 0; }

    v.setUint32(o, sec, true);
    v.setUint32(o + 4, usec, true);
    v.setUint32(o + 8, incl, true);
    v.setUint32(o + 12, ETHERNET_BYTES + ipTotal, true);
    o += PCAP_RECORD_HEADER_BYTES;

    // Ethernet: locally administered MACs 02:00:<IPv4 address>, EtherType IPv4.
    v.setUint16(o, 0x0200); v.setUint32(o + 2, dst);
    v.setUint16(o + 6, 0x0200); v.setUint32(o + 8, src);
    v.setUint16(o + 12, 0x0800);
    o += ETHERNET_BYTES;

    const ipProto = pr === Proto.tcp ? 6 : pr === Proto.udp ? 17 : 1;
    const id = i & 0xffff;
    const ipSum = 0x4500 + ipTotal + id + 0x4000 + ((TTL << 8) | ipProto) + addrSum(src) + addrSum(dst);
    v.setUint16(o, 0x4500);
    v.setUint16(o + 2, ipTotal);
    v.setUint16(o + 4, id);
    v.setUint16(o + 6, 0x4000); // don't fragment
    v.setUint8(o + 8, TTL);
    v.setUint8(o + 9, ipProto);
    v.setUint16(o + 10, complement(ipSum));
    v.setUint32(o + 12, src);
    v.setUint32(o + 16, dst);
    o += IPV4_BYTES;

    if (pr === Proto.tcp) {
      // seq/ack 0, data offset 5 words, no options.
      const sum = addrSum(src) + addrSum(dst) + 6 + l4Length + sp + dp + ((5 << 12) | fl) + TCP_WINDOW;
      v.setUint16(o, sp); v.setUint16(o + 2, dp);
      v.setUint32(o + 4, 0); v.setUint32(o + 8, 0);
      v.setUint16(o + 12, (5 << 12) | fl);
      v.setUint16(o + 14, TCP_WINDOW);
      v.setUint16(o + 16, complement(sum));
      v.setUint16(o + 18, 0);
    } else if (pr === Proto.udp) {
      const sum = complement(addrSum(src) + addrSum(dst) + 17 + l4Length + sp + dp + l4Length);
      v.setUint16(o, sp); v.setUint16(o + 2, dp);
      v.setUint16(o + 4, l4Length);
      v.setUint16(o + 6, sum === 0 ? 0xffff : sum); // 0 would mean "no checksum"
    } else {
      v.setUint8(o, fl); v.setUint8(o + 1, 0);
      v.setUint16(o + 2, complement((fl << 8) + sp + dp));
      v.setUint16(o + 4, sp); v.setUint16(o + 6, dp);
    }
    o += l4;
  }
  return o;
}

function checkRange(p: Ipv4Packets, from: number, to: number): void {
  if (p === null || typeof p !== 'object') throw new TypeError('packets must be an Ipv4Packets object');
  if (!Number.isInteger(p.length) || p.length < 0) throw new RangeError(`packets.length must be a non-negative integer, got ${p.length}`);
  for (const k of ['time', 'srcAddr', 'dstAddr', 'srcPort', 'dstPort', 'proto', 'flags', 'bytes'] as const) {
    if (!ArrayBuffer.isView(p[k]) || p[k].length < p.length) throw new TypeError(`packets.${k} must be a typed array of at least packets.length (${p.length}) rows`);
  }
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > p.length) {
    throw new RangeError(`from/to must satisfy 0 <= from <= to <= packets.length (${p.length}), got ${from}, ${to}`);
  }
}

/** The two 16-bit halves of an IPv4 address, summed. */
function addrSum(a: number): number {
  return (a >>> 16) + (a & 0xffff);
}

/** Ones'-complement of a sum of 16-bit words (folding the carries). */
function complement(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return ~sum & 0xffff;
}
