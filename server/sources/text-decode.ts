// Decodes one line of `tcpdump -q -n` text after its timestamp into the fields of a packet
// record, straight from bytes: IPv4/IPv6 endpoints (interned), ports (also after IPv6
// extension headers), the protocol class and tcpdump's layer-4 length. Prefixes before `IP`
// (interface and direction, PPPoE session, radio fields) are stepped over; tunnels report the
// inner flow. The line families are catalogued in the team's data folder
// (tcpdump/LINE_FORMATS.md).
import { NO_HOST, NO_PORT, Proto } from '../../shared/records.js';
import { DecodedPacket } from './decoded-packet.js';
import type { HostIndex } from './host-index.js';
import { protoClass } from './ip-decode.js';
import { EndpointScan, readIpv4Endpoint, readIpv6Endpoint } from './text-address.js';
import {
  ascii, COLON, find, findByte, firstLength, GT, isDigit, isIpMarker, isWord, LBRACKET, LPAREN, lastLength,
  PIPE, portAt, RPAREN, SP, startsWith, uintAt,
} from './text-scan.js';

const MAX_TUNNEL_DEPTH = 3;
/** Per tunnel depth: [family, src words 0-3, dst words 0-3] (IPv4 in word 3). */
const ENDPOINT_SLOT = 9;

const W_TCP = ascii('tcp'), W_UDP = ascii('UDP,'), W_ICMP = ascii('ICMP'), W_HBH = ascii('HBH');
const W_DSTOPT = ascii('DSTOPT'), W_RT6 = ascii('RT6'), W_FRAG = ascii('frag'), W_AH = ascii('AH(');
const W_GRE = ascii('GREv'), W_IPPROTO = ascii('ip-proto-'), W_TRUNC_UDP = ascii('truncated-udp');
const W_TRUNC_IP = ascii('truncated-ip'), W_MISSING = ascii('missing!');
const W_INVALID = ascii('(invalid)'), W_UNSUPPORTED = ascii('UNSUPPORTED'), W_UDP_TRUNC = ascii('[|udp');
const W_TCP_TRUNC = ascii('[|tcp'), W_ICMP_TRUNC = ascii('[|icmp'), W_TRUNCATED_MARK = ascii('[|');
const W_COLON_SPACE = ascii(': ');

/**
 * Reusable line decoder: call decode, then read the public fields (valid until the next call),
 * as with PacketDecoder for captured frames.
 */
export class TextPacketDecoder extends DecodedPacket {
  /**
   * Endpoints per tunnel depth: interned only for the header finally reported, so a tunnel's
   * outer header adds no hosts.
   */
  private readonly ends = new Uint32Array(ENDPOINT_SLOT * (MAX_TUNNEL_DEPTH + 1));
  private endsDepth = -1;
  private readonly scan = new EndpointScan();

  /** Addresses are interned through `hosts` (shared with the caller's other lookups). */
  constructor(private readonly hosts: HostIndex) {
    super();
  }

  /** Decodes b[p, e), the line after its timestamp. */
  decode(b: Uint8Array, p: number, e: number): void {
    this.src = NO_HOST; this.dst = NO_HOST; this.srcPort = NO_PORT; this.dstPort = NO_PORT;
    this.proto = Proto.other; this.bytes = 0; this.skip = null;
    if (!this.body(b, p, e)) return;
    const w = this.ends, o = this.endsDepth * ENDPOINT_SLOT;
    if (w[o] === 4) {
      this.src = this.hosts.v4(w[o + 4]);
      this.dst = this.hosts.v4(w[o + 8]);
    } else {
      this.src = this.hosts.v6(w[o + 1], w[o + 2], w[o + 3], w[o + 4]);
      this.dst = this.hosts.v6(w[o + 5], w[o + 6], w[o + 7], w[o + 8]);
    }
  }

  /** The packet after the timestamp; true when it has IP endpoints (in this.ends). */
  private body(b: Uint8Array, p: number, e: number): boolean {
    let m = p;
    if (!isIpMarker(b, p, e)) {
      // A prefix (interface and direction, PPPoE session, radio fields) may come first.
      m = -1;
      for (let k = p + 1; k < e - 3; k++) {
        if (b[k - 1] === SP && isIpMarker(b, k, e)) { m = k; break; }
      }
    }
    if (m < 0) {
      this.skip = find(b, p, e, W_INVALID) >= 0 ? 'malformed'
        : find(b, p, e, W_TRUNCATED_MARK) >= 0 ? 'truncated'
          : isWord(b, p, e, W_UNSUPPORTED) ? 'unsupported-link' : 'non-ip';
      this.bytes = lastLength(b, p, e);
      return false;
    }
    this.endsDepth = -1;
    if (this.ipPart(b, m, e, 0)) return true;
    this.srcPort = NO_PORT; this.dstPort = NO_PORT; this.proto = Proto.other; this.bytes = 0;
    return false;
  }

  /** `IP src > dst: payload` at b[m]; false (with this.skip set) when it has no endpoints. */
  private ipPart(b: Uint8Array, m: number, e: number, depth: number): boolean {
    const v6 = b[m + 2] === 54;
    let i = m + (v6 ? 4 : 3);
    if (startsWith(b, i, e, W_TRUNC_IP)) {
      // "truncated-ip - N bytes missing! a > b: ..." still has the endpoints.
      const k = find(b, i, e, W_MISSING);
      if (k < 0) { this.skip = 'malformed'; return false; }
      i = k + W_MISSING.length;
      if (i < e && b[i] === SP) i++;
    }
    if (i + 1 < e && b[i] === LBRACKET && b[i + 1] === PIPE) { this.skip = 'truncated'; return false; }
    const o = depth * ENDPOINT_SLOT, w = this.ends, scan = this.scan;
    let payload: number;
    if (v6) {
      const srcEnd = findByte(b, SP, i, e);
      if (srcEnd < 0 || srcEnd + 3 >= e || b[srcEnd + 1] !== GT || b[srcEnd + 2] !== SP) { this.skip = 'malformed'; return false; }
      const dstStart = srcEnd + 3;
      let dstEnd = findByte(b, SP, dstStart, e);
      if (dstEnd < 0) dstEnd = e;
      if (b[dstEnd - 1] !== COLON || !readIpv6Endpoint(b, i, srcEnd, w, o + 1, scan)) { this.skip = 'malformed'; return false; }
      const srcPort = scan.port;
      if (!readIpv6Endpoint(b, dstStart, dstEnd - 1, w, o + 5, scan)) { this.skip = 'malformed'; return false; }
      w[o] = 6;
      this.srcPort = srcPort;
      payload = dstEnd;
    } else {
      const srcEnd = readIpv4Endpoint(b, i, e, scan);
      if (srcEnd < 0 || srcEnd + 3 >= e || b[srcEnd] !== SP || b[srcEnd + 1] !== GT || b[srcEnd + 2] !== SP) { this.skip = 'malformed'; return false; }
      w[o + 4] = scan.v4;
      this.srcPort = scan.port;
      const dstEnd = readIpv4Endpoint(b, srcEnd + 3, e, scan);
      if (dstEnd < 0 || dstEnd >= e || b[dstEnd] !== COLON) { this.skip = 'malformed'; return false; }
      w[o] = 4; w[o + 8] = scan.v4;
      payload = dstEnd + 1;
    }
    this.endsDepth = depth;
    this.dstPort = scan.port;
    this.skip = null;
    this.payload(b, payload, e, depth);
    return true;
  }

  /** What follows `src > dst:`: protocol class, ports after IPv6 extension headers, length. */
  private payload(b: Uint8Array, i: number, e: number, depth: number): void {
    // Nearly every line: " tcp N".
    if (e - i >= 5 && b[i] === SP && b[i + 1] === 116 && b[i + 2] === 99 && b[i + 3] === 112 && b[i + 4] === SP) {
      this.proto = Proto.tcp;
      this.bytes = Math.max(0, uintAt(b, i + 5, e));
      return;
    }
    for (;;) {
      while (i < e && b[i] === SP) i++;
      if (i >= e) return;
      let we = findByte(b, SP, i, e);
      if (we < 0) we = e;
      const c = b[i];
      if (isWord(b, i, e, W_TCP)) {
        this.proto = Proto.tcp;
        this.bytes = Math.max(0, uintAt(b, we + 1, e));
        return;
      }
      if (isWord(b, i, e, W_UDP)) {
        this.proto = Proto.udp;
        this.bytes = Math.max(0, firstLength(b, we, e));
        return;
      }
      if (isDigit(c)) {
        // "sport > dport:" printed after IPv6 extension headers (or AH).
        const colon = findByte(b, COLON, we, e);
        const sp = portAt(b, i, we), dp = colon < 0 ? -1 : portAt(b, we + 3, colon);
        if (sp >= 0 && dp >= 0 && b[we + 1] === GT && b[we + 2] === SP) {
          this.srcPort = sp; this.dstPort = dp;
          i = colon + 1;
          continue;
        }
      } else if (isWord(b, i, e, W_HBH) || isWord(b, i, e, W_DSTOPT) || startsWith(b, i, e, W_AH)) {
        i = we;
        continue;
      } else if (isWord(b, i, e, W_FRAG) || isWord(b, i, e, W_RT6)) {
        i = we;
        while (i < e && b[i] === SP) i++;
        if (i < e && b[i] === LPAREN) {
          const close = findByte(b, RPAREN, i, e);
          i = close < 0 ? e : close + 1;
        }
        continue;
      } else if (startsWith(b, i, e, W_ICMP)) {
        this.proto = Proto.icmp;
        this.bytes = lastLength(b, i, e);
        return;
      } else if (isIpMarker(b, i, e)) {
        this.tunnel(b, i, e, i, depth);
        return;
      } else if (startsWith(b, i, e, W_GRE)) {
        this.bytes = lastLength(b, i, e);
        const k = find(b, i, e, W_COLON_SPACE);
        if (k >= 0 && isIpMarker(b, k + 2, e)) this.tunnel(b, k + 2, e, i, depth);
        return;
      } else if (startsWith(b, i, e, W_IPPROTO)) {
        // A later IPv4 fragment (or an unknown protocol): no ports, no length.
        this.proto = protoClass(uintAt(b, i + W_IPPROTO.length, we));
        return;
      } else if (c === LBRACKET) {
        this.proto = startsWith(b, i, e, W_TCP_TRUNC) ? Proto.tcp : startsWith(b, i, e, W_UDP_TRUNC) ? Proto.udp
          : startsWith(b, i, e, W_ICMP_TRUNC) ? Proto.icmp : Proto.other;
        return;
      } else if (startsWith(b, i, e, W_TRUNC_UDP)) {
        this.proto = Proto.udp;
        return;
      }
      this.bytes = lastLength(b, i, e);
      return;
    }
  }

  /** An inner `IP ...` at b[m]; if it has no endpoints the outer flow stays, as "other". */
  private tunnel(b: Uint8Array, m: number, e: number, outerPayload: number, depth: number): void {
    if (depth < MAX_TUNNEL_DEPTH && this.ipPart(b, m, e, depth + 1)) return;
    this.endsDepth = depth; this.srcPort = NO_PORT; this.dstPort = NO_PORT;
    this.proto = Proto.other; this.skip = null;
    this.bytes = lastLength(b, outerPayload, e);
  }
}
