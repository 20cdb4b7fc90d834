// Every example line of the team's catalogue of tcpdump -qns 0 line families
// (../shared/data/tcpdump/LINE_FORMATS.md, sections A and B): the record each must give,
// read off the example by hand. A family added to the catalogue without an expectation
// here fails the test, so the parser's coverage is checked as the catalogue grows.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { PROTO_NAMES, SKIP_REASONS, type PacketBatch } from '../../../shared/records.js';
import { TcpdumpTextParser } from '../../../server/sources/tcpdump-text.js';
import { dataPath, describeData } from '../../helpers/data.js';

/**
 * Family -> "src > dst proto bytes[ ports s > d]" for a graphed packet, or "not graphed:
 * REASON" (the line counted under REASON; its length, when it prints one, is not graphed).
 */
const EXPECTED = new Map<string, string>([
  ["IP src.P > dst.P: tcp ...", "104.123.204.164 > 192.168.10.120 tcp 31 ports 443 > 62576"],
  ["IP6 src.P > dst.P: tcp ...", "::1 > ::1 tcp 403 ports 49888 > 81"],
  ["IP src.P > dst.P: UDP ...", "0.0.0.0 > 255.255.255.255 udp 315 ports 68 > 67"],
  ["IP src > dst: ip-proto-N ...", "192.168.1.2 > 147.234.1.253 tcp 0"],
  ["continuation (indented hex/ascii dump or wrapped text)", "not graphed: continuation"],
  ["IP src > dst: ICMP ...", "172.16.42.1 > 172.16.42.216 icmp 60"],
  ["IP src > dst: GREvN ...", "192.168.69.10 > 192.168.69.2 icmp 40"],
  ["<ifname> <dir> IP src.P > dst.P: tcp ...", "192.168.1.253 > 192.168.1.21 tcp 0 ports 56478 > 80"],
  ["IP6 src.P > dst.P: UDP ...", "fe80::c50d:519f:96a4:e108 > ff02::1:2 udp 91 ports 546 > 547"],
  ["ARP, Request", "not graphed: non-ip"],
  ["IP src.P > dst.P: sctp ...", "10.118.213.211 > 10.118.213.212 other 0 ports 2940 > 2940"],
  ["ARP, Reply", "not graphed: non-ip"],
  ["MAC > MAC Unknown Ethertype", "not graphed: non-ip"],
  ["PPPoE [ses X] IP src.P > dst.P: tcp ...", "10.100.0.0 > 142.250.179.131 tcp 0 ports 57013 > 80"],
  ["<802.11 radiotap fields ...> IP src.P > dst.P: tcp ...", "172.5.5.113 > 14.17.32.211 tcp 0 ports 49417 > 80"],
  ["IP truncated-ip ...", "192.168.1.2 > 192.168.1.1 udp 44 ports 2715 > 53"],
  ["IP6 src > dst: ICMPN ...", ":: > ff02::1:ffd3:fbc2 icmp 24"],
  ["IP6 src > dst: HBH ICMPN", ":: > ff02::16 icmp 28"],
  ["IP src > dst: igmp ...", "0.0.0.0 > 224.0.0.1 other 0"],
  ["UNSUPPORTED", "not graphed: unsupported-link"],
  ["CDPvN, ttl:", "not graphed: non-ip"],
  ["IP6 src > dst: HBH <sport> > <dport>: ...", "2604:1380:4091:ce00::d > 2604:1380:4091:ce00::b tcp 80000 ports 41851 > 43913"],
  ["IP<ver> (invalid)", "not graphed: malformed"],
  ["[|proto] (truncated link layer)", "not graphed: truncated"],
  ["IP6 src > dst: DSTOPT <sport> > <dport>: ...", "2001:db8:1::2 > 2001:db8:1::1 tcp 0 ports 36951 > 80"],
  ["IP6 src > dst: frag <sport> > <dport>: ...", "2001:db8:1::2 > 2001:db8:1::1 tcp 0 ports 59694 > 80"],
  ["IP6 src > dst: RTN ...", "2001:db8:1::2 > 2001:db8:1::1 tcp 0 ports 45805 > 80"],
  ["MAC > MAC Null Unnumbered,", "not graphed: non-ip"],
  ["ARP, Unknown", "not graphed: non-ip"],
  ["IP src.P > dst.P: [|proto] ...", "192.168.1.2 > 147.234.1.253 tcp 0 ports 58657 > 47645"],
  ["IP bad-hlen ...", "not graphed: malformed"],
  ["IPN, wrong", "not graphed: malformed"],
  ["Unknown AF", "not graphed: non-ip"],
  ["IP6 src > dst: HBH frag ICMPN", "2001:db8:1::2 > 2001:db8:1::1 icmp 14"],
  ["IP6 src > dst: AH(..) ICMPN", "2001:db8:1::2 > 2001:db8:1::1 icmp 16"],
  ["IP6 src > dst: HBH frag", "9e37:79b9:: > c612:2:: other 0"],
  ["IP6 src > dst: HBH frag <sport> > <dport>: ...", "9e37:79b9:: > c612:2:: udp 22865 ports 22873 > 22873"],
  ["MPLS (label", "not graphed: non-ip"],
  ["IP src > dst: N.N.N.N.N ...", "10.244.64.154 > 235.0.1.47 other 36"],
  ["IP src > dst: PIMvN ...", "10.0.39.100 > 224.0.0.13 other 24"],
  ["IP6 src > dst: ESP(..) length", "2003:51:6012::2 > 2003:51:6012::4 other 152"],
  ["IP bad-len ...", "not graphed: malformed"],
  ["STP N.Nd,", "not graphed: non-ip"],
  ["IP6 src > dst: frag", "::1 > ::1 other 0"],
  ["IP src > dst: IPN ...", "2001:db8:85a3::8a2e:370:7334 > 2001:db8:85a3::8a2e:370:7335 tcp 12 ports 80 > 80"],
  ["<802.11 radiotap fields ...> (802.11 frame, no IP)", "not graphed: non-ip"],
  ["IP src.P > dst.P: sctp[ForCES ...", "150.140.254.202 > 211.129.72.8 other 0 ports 57077 > 6704"],
  ["IS-IS, LN", "not graphed: non-ip"],
  ["PTPvN, vN", "not graphed: non-ip"],
  ["IP6 src > dst: OSPFvN ...", "fe80::3 > fe80::2 other 36"],
  ["AoE length", "not graphed: non-ip"],
  ["IP src > dst: ESP(..) length", "10.0.33.100 > 10.0.33.1 other 40"],
  ["(empty)", "not graphed: non-ip"],
  ["N.N >", "not graphed: non-ip"],
  ["MAC > MAC NetBeui Information,", "not graphed: non-ip"],
  ["IP6 src > dst: PIMvN ...", "10::2 > ff02::d other 26"],
  ["IP src > dst: EIGRP ...", "10.1.2.2 > 224.0.0.10 other 40"],
  ["IP src > dst: VRRPvN ...", "10.12.64.30 > 198.226.25.53 other 0"],
  ["IP src > dst: OSPFvN ...", "10.0.21.100 > 224.0.0.5 other 44"],
  ["ARP, Ethernet", "not graphed: non-ip"],
  ["MAC > MAC NetBeui Unnumbered,", "not graphed: non-ip"],
  ["IS-IS, pNp", "not graphed: non-ip"],
  ["LLDP, length", "not graphed: non-ip"],
  ["IP6 src > dst: VRRPvN ...", "fe80::2 > ff02::12 other 24"],
  ["STP N.Nw,", "not graphed: non-ip"],
  ["IP6 src > dst: AH(..) OSPFvN", "fe80::1 > ff02::5 other 36"],
  ["MAC > MAC NetBeui Supervisory,", "not graphed: non-ip"],
  ["IEEE N.N.N", "not graphed: non-ip"],
  ["no timestamp: [Invalid header", "not graphed: malformed"],
  ["PPPoE [ses X] IP src.P > dst.P: UDP ...", "66.22.242.132 > 5.36.141.228 udp 52 ports 50001 > 54935"],
  ["IP6 src > dst: mobility: ...", "3030:3030:3030:3030:3030:3030:3030:3030 > 3030:3030:3030:3030:3030:3030:3030:3030 other 0"],
  ["PTPvN", "not graphed: non-ip"],
  ["IP src > dst: IP <inner src> > <inner dst>: ... (IP-in-IP / 6in4)", "10.1.0.3 > 10.1.0.4 tcp 52 ports 80 > 80"],
  ["IPX N.N:Nc:N:dN:N:bN.N", "not graphed: non-ip"],
  ["PPPoE [ses X] PPPoE [ses 0x11]", "not graphed: non-ip"],
  ["IP6 src > dst: frag ICMPN", "2001:db8:1::2 > 2001:db8:1::1 icmp 1232"],
  ["SLARP (length:", "not graphed: non-ip"],
  ["MAC > MAC Unknown DSAP", "not graphed: non-ip"],
  ["unknown PPP", "not graphed: non-ip"],
  ["unknown CHDLC", "not graphed: non-ip"],
  ["UDLDvN, Code", "not graphed: non-ip"],
  ["EAP packet", "not graphed: non-ip"],
  ["IP src.P > dst.P: DCCP ...", "139.133.209.176 > 139.133.209.65 other 0 ports 39420 > 5001"],
  ["GeoNet src:N:Nc:N:Nd:N:db;", "not graphed: non-ip"],
  ["GeoNet src:N:Nc:N:Nd:N:dN;", "not graphed: non-ip"],
  ["EAPOL key", "not graphed: non-ip"],
  ["GeoNet src:N:Nc:N:Nd:N:df;", "not graphed: non-ip"],
  ["STP N.Naq,", "not graphed: non-ip"],
  ["STP N.Ns,", "not graphed: non-ip"],
  ["BRCM tag", "0.0.0.0 > 255.255.255.255 udp 300 ports 68 > 67"],
  ["UI N!", "not graphed: non-ip"],
  ["PPPoE [ses X] PPPoE [ses 0x2]", "not graphed: non-ip"],
  ["LACPvN, length", "not graphed: non-ip"],
  ["IPX N.N:N:N:N:N:aN.N", "not graphed: non-ip"],
  ["MAC > MAC Realtek unknown", "not graphed: non-ip"],
  ["IP6 src > dst: IP <inner src> > <inner dst>: ... (IP-in-IP / 6in4)", "10.1.0.1 > 10.1.0.2 tcp 12 ports 80 > 80"],
  ["IP6 src > dst: DSTOPT ICMPN", "2001:db8:2:0:8e16:45ff:fee5:5ba2 > 2001:db8:1::1 icmp 8"],
  ["Loopback, skipCount", "not graphed: non-ip"],
  ["IPX N.N:N:N:ac:cd:ad.N", "not graphed: non-ip"],
  ["Arista Vendor", "10.136.1.32 > 10.2.23.24 other 0"],
  ["IP6 src.P > dst.P: DCCP ...", "3ffe::1 > 3ffe::2 other 0 ports 55024 > 5001"],
  ["IP src > dst: [|proto] ...", "1.1.1.1 > 2.2.2.2 tcp 0"],
  ["EDSA Nxdada,", "198.18.10.1 > 198.18.10.2 icmp 64"],
  ["TIPC vN.N", "not graphed: non-ip"],
  ["IP src > dst: RSVPvN ...", "10.31.0.1 > 10.33.0.1 other 244"],
  ["PPPoE [ses X] IP6 src > dst: ICMPN ...", "fe80::c801:eff:fe88:8 > ff02::1 icmp 24"],
  ["IP6 src > dst: IPN ...", "2001:db8:85a3::8a2e:370:8334 > 2001:db8:85a3::8a2e:370:8335 tcp 12 ports 80 > 80"],
  ["unknown STP", "not graphed: non-ip"],
  ["endnode-hello endnode", "not graphed: non-ip"],
  ["Q.N, invalid", "not graphed: non-ip"],
  ["IP6 src > dst: [|proto] ...", "fd01::101:101 > fd02::202:202 tcp 0"],
  ["IP src > dst: AH(..) ESP(..) length", "10.0.0.1 > 10.0.0.2 other 136"],
  ["IPX aNfN.N:N:N:N:N:N.N", "not graphed: non-ip"],
  ["IPX N.N:N:N:Nb:cN:aN.N", "not graphed: non-ip"],
  ["VIRTIO N.N", "not graphed: non-ip"],
  ["GeoNet src:N:Nc:N:N:N:be;", "not graphed: non-ip"],
  ["IPX N.N:N:cN:bf:N:N.N", "not graphed: non-ip"],
  ["DTPvN, length", "not graphed: non-ip"],
  ["IP6 src.P > dst.P: sctp ...", "1234::e > 5678:: other 0 ports 57005 > 48879"],
  ["IP6 src > dst: ip-proto-N ...", "1234::50 > 5678:: other 0"],
  ["PPPoE [ses X] IP6 src > dst: HBH ICMPN", "fe80::c801:eff:fe88:8 > ff02::16 icmp 28"],
]);

/** [family, example line] pairs of the catalogue, in its order. */
function catalogue(): [string, string][] {
  const md = readFileSync(dataPath('tcpdump', 'LINE_FORMATS.md'), 'utf8');
  const pairs: [string, string][] = [];
  for (const m of md.matchAll(/^- [\d,]+ lines \/ \d+ files: `(.*)` *\n {2}`(.*)` *$/gm)) pairs.push([m[1], m[2].replaceAll('\\t', '\t')]);
  return pairs;
}

function describeLine(line: string): string {
  const hosts = new HostTable();
  const parser = new TcpdumpTextParser(hosts);
  const records: string[] = [];
  const onBatch = (b: PacketBatch): void => {
    for (let i = 0; i < b.length; i++) {
      if (b.src[i] < 0) continue;
      const ports = b.srcPort[i] < 0 ? '' : ` ports ${b.srcPort[i]} > ${b.dstPort[i]}`;
      records.push(`${hosts.address(b.src[i])} > ${hosts.address(b.dst[i])} ${PROTO_NAMES[b.proto[i]]} ${b.bytes[i]}${ports}`);
    }
  };
  parser.feed(new TextEncoder().encode(line + '\n'), onBatch);
  parser.end(onBatch);
  const skipped = SKIP_REASONS.filter((r) => parser.skipped[r] > 0).map((r) => `not graphed: ${r}`);
  return [...records, ...skipped].join('; ');
}

describeData('the catalogue of tcpdump line families', () => {
  const pairs = catalogue();

  it('has the families of both sections, each with an expectation here', () => {
    expect(pairs.length).toBe(EXPECTED.size);
    expect(pairs.map(([family]) => family).filter((f) => !EXPECTED.has(f))).toEqual([]);
  });

  it.each(pairs)('%s', (family, line) => {
    expect(describeLine(line)).toBe(EXPECTED.get(family));
  });
});
