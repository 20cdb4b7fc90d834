// Link-layer framing: where does the network-layer packet start inside a captured frame?
// Works on raw bytes (network byte order read by hand); the answer goes into a caller-owned
// NetworkLocation so the per-packet path allocates nothing.

/** pcap/pcapng LINKTYPE_* values this module understands. */
export const LinkType = {
  null: 0,        // BSD loopback: 4-byte address family in the capturing host's byte order
  ethernet: 1,
  rawAlt12: 12,   // DLT_RAW as some systems wrote it into files
  rawAlt14: 14,   // DLT_RAW on OpenBSD
  raw: 101,       // raw IPv4/IPv6, version nibble decides
  ieee80211: 105,
  loop: 108,      // OpenBSD loopback: address family in network byte order
  linuxSll: 113,  // Linux cooked v1
  radiotap: 127,  // 802.11 behind a radiotap header
  ipv4: 228,
  ipv6: 229,
  linuxSll2: 276, // Linux cooked v2
} as const;

/** What locateNetwork found. */
export const Net = { ipv4: 0, ipv6: 1, nonIp: 2, truncated: 3, unsupported: 4, malformed: 5 } as const;
export type NetKind = (typeof Net)[keyof typeof Net];

export class NetworkLocation {
  kind: NetKind = Net.nonIp;
  /** Byte index (into the same buffer) of the network-layer header or non-IP payload. */
  offset = 0;
}

const ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100, ETH_QINQ = 0x88a8, ETH_QINQ_OLD1 = 0x9100, ETH_QINQ_OLD2 = 0x9200;
const ETH_PPPOE_SESSION = 0x8864, ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848;
const PPP_IPV4 = 0x0021, PPP_IPV6 = 0x0057;
/** Linux cooked capture "protocol" values that are not Ethertypes: 802.2 LLC frames. */
const SLL_P_802_2 = 0x0004;
/** BSD address families that tcpdump decodes as IPv4 / IPv6 (BSD, FreeBSD, Darwin). */
const AF_INET = 2, AF_INET6_BSD = 24, AF_INET6_FREEBSD = 28, AF_INET6_DARWIN = 30;
/** Bound on nested tags/labels, so a crafted frame cannot loop for long. */
const MAX_NESTING = 8;

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

/** True for link types this module decodes (others are reported as unsupported). */
export function isSupportedLinkType(linkType: number): boolean {
  switch (linkType) {
    case LinkType.null: case LinkType.ethernet: case LinkType.rawAlt12: case LinkType.rawAlt14:
    case LinkType.raw: case LinkType.loop: case LinkType.linuxSll: case LinkType.ipv4:
    case LinkType.ipv6: case LinkType.linuxSll2: case LinkType.ieee80211: case LinkType.radiotap:
      return true;
    default:
      return false;
  }
}

/** Finds the network layer of a frame captured as bytes b[start, end) with the given link type. */
export function locateNetwork(b: Uint8Array, start: number, end: number, linkType: number, out: NetworkLocation): void {
  switch (linkType) {
    case LinkType.ethernet:
      locateEthernet(b, start, end, out);
      return;
    case LinkType.raw: case LinkType.rawAlt12: case LinkType.rawAlt14:
      if (end - start < 1) { out.kind = Net.truncated; out.offset = start; return; }
      out.offset = start;
      out.kind = (b[start] >> 4) === 4 ? Net.ipv4 : (b[start] >> 4) === 6 ? Net.ipv6 : Net.malformed;
      return;
    case LinkType.ipv4:
      out.kind = Net.ipv4; out.offset = start;
      return;
    case LinkType.ipv6:
      out.kind = Net.ipv6; out.offset = start;
      return;
    case LinkType.null: case LinkType.loop:
      locateLoopback(b, start, end, out);
      return;
    case LinkType.linuxSll:
      if (end - start < 16) { out.kind = Net.truncated; out.offset = start; return; }
      locateSllProtocol(b, start + 16, end, u16(b, start + 14), out);
      return;
    case LinkType.linuxSll2:
      if (end - start < 20) { out.kind = Net.truncated; out.offset = start; return; }
      locateSllProtocol(b, start + 20, end, u16(b, start), out);
      return;
    case LinkType.ieee80211:
      locate80211(b, start, end, out);
      return;
    case LinkType.radiotap:
      if (end - start < 4) { out.kind = Net.truncated; out.offset = start; return; }
      locate80211(b, start + (b[start + 2] | (b[start + 3] << 8)), end, out);
      return;
    default:
      out.kind = Net.unsupported; out.offset = start;
  }
}

/** An 802.11 frame at b[p]: only unprotected data frames with an LLC/SNAP header can carry IP. */
function locate80211(b: Uint8Array, p: number, end: number, out: NetworkLocation): void {
  out.offset = p;
  if (end - p < 24) { out.kind = Net.truncated; return; }
  const fc0 = b[p], fc1 = b[p + 1];
  const type = (fc0 >> 2) & 3, subtype = fc0 >> 4;
  // Not data, "null" data without a body, or encrypted.
  if (type !== 2 || (subtype & 4) !== 0 || (fc1 & 0x40) !== 0) { out.kind = Net.nonIp; return; }
  let hdr = (fc1 & 3) === 3 ? 30 : 24; // a fourth address when both ToDS and FromDS are set
  if ((subtype & 8) !== 0) hdr += (fc1 & 0x80) !== 0 ? 6 : 2; // QoS control, HT control
  locateEtherType(b, p + hdr, end, 0, out); // type 0: follow the LLC/SNAP header
}

/** Ethernet II / 802.3 frame starting at b[start]. */
export function locateEthernet(b: Uint8Array, start: number, end: number, out: NetworkLocation): void {
  if (end - start < 14) { out.kind = Net.truncated; out.offset = start; return; }
  locateEtherType(b, start + 14, end, u16(b, start + 12), out);
}

/**
 * Follows an Ethertype (or 802.3 length) whose payload starts at b[p]: VLAN / QinQ tags,
 * LLC/SNAP, PPPoE session and MPLS label stacks are stepped over.
 */
export function locateEtherType(b: Uint8Array, p: number, end: number, type: number, out: NetworkLocation): void {
  for (let hop = 0; hop < MAX_NESTING; hop++) {
    out.offset = p;
    switch (type) {
      case ETH_IPV4: out.kind = Net.ipv4; return;
      case ETH_IPV6: out.kind = Net.ipv6; return;
      case ETH_VLAN: case ETH_QINQ: case ETH_QINQ_OLD1: case ETH_QINQ_OLD2:
        if (end - p < 4) { out.kind = Net.truncated; return; }
        type = u16(b, p + 2); p += 4;
        continue;
      case ETH_PPPOE_SESSION: {
        if (end - p < 7) { out.kind = Net.truncated; return; }
        // Only code 0 is session data; tcpdump prints other codes' tags, not their payload.
        if (b[p + 1] !== 0) { out.kind = Net.nonIp; return; }
        // PPP protocol field, possibly compressed to one (odd) byte.
        const compressed = (b[p + 6] & 1) !== 0;
        if (!compressed && end - p < 8) { out.kind = Net.truncated; return; }
        const ppp = compressed ? b[p + 6] : u16(b, p + 6);
        out.offset = p + (compressed ? 7 : 8);
        out.kind = ppp === PPP_IPV4 ? Net.ipv4 : ppp === PPP_IPV6 ? Net.ipv6 : Net.nonIp;
        return;
      }
      case ETH_MPLS: case ETH_MPLS_MC:
        locateMplsPayload(b, p, end, out);
        return;
      default:
        // Values up to 1500 are 802.3 lengths: the payload is LLC, IP only behind a SNAP header
        // whose OUI says an Ethertype follows (0, or Cisco's 0x0000f8).
        if (type <= 1500 && end - p >= 8 && b[p] === 0xaa && b[p + 1] === 0xaa && b[p + 2] === 0x03
          && b[p + 3] === 0 && b[p + 4] === 0 && (b[p + 5] === 0 || b[p + 5] === 0xf8)) {
          type = u16(b, p + 6); p += 8;
          continue;
        }
        out.kind = type <= 1500 && end - p < 3 ? Net.truncated : Net.nonIp;
        return;
    }
  }
  out.kind = Net.nonIp;
}

function locateMplsPayload(b: Uint8Array, p: number, end: number, out: NetworkLocation): void {
  for (let label = 0; label < MAX_NESTING; label++) {
    if (end - p < 4) { out.kind = Net.truncated; out.offset = p; return; }
    const bottom = (b[p + 2] & 1) !== 0;
    p += 4;
    if (bottom) {
      out.offset = p;
      if (end - p < 1) { out.kind = Net.truncated; return; }
      // MPLS does not say what it carries; like tcpdump, guess from the first nibble.
      const version = b[p] >> 4;
      out.kind = version === 4 ? Net.ipv4 : version === 6 ? Net.ipv6 : Net.nonIp;
      return;
    }
  }
  out.kind = Net.nonIp; out.offset = p;
}

function locateSllProtocol(b: Uint8Array, p: number, end: number, protocol: number, out: NetworkLocation): void {
  if (protocol === SLL_P_802_2) {
    // An 802.2 frame without the 802.3 header: SNAP may still carry an Ethertype.
    locateEtherType(b, p, end, 0, out);
    return;
  }
  if (protocol < 0x0600) { out.kind = Net.nonIp; out.offset = p; return; }
  locateEtherType(b, p, end, protocol, out);
}

function locateLoopback(b: Uint8Array, start: number, end: number, out: NetworkLocation): void {
  out.offset = start + 4;
  if (end - start < 4) { out.kind = Net.truncated; out.offset = start; return; }
  // The family is in the writer's byte order (NULL) or network order (LOOP); like tcpdump,
  // read it little-endian and byte-swap when the upper half is not zero.
  let family = (b[start] | (b[start + 1] << 8) | (b[start + 2] << 16) | (b[start + 3] << 24)) >>> 0;
  if ((family & 0xffff0000) !== 0) {
    family = ((b[start] << 24) | (b[start + 1] << 16) | (b[start + 2] << 8) | b[start + 3]) >>> 0;
  }
  switch (family) {
    case AF_INET: out.kind = Net.ipv4; return;
    case AF_INET6_BSD: case AF_INET6_FREEBSD: case AF_INET6_DARWIN: out.kind = Net.ipv6; return;
    default: out.kind = Net.nonIp;
  }
}
