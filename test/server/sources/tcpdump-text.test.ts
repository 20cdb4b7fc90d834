import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_HOST, PROTO_NAMES, type PacketBatch } from '../../../shared/records.js';
import { TcpdumpTextParser } from '../../../server/sources/tcpdump-text.js';
import { dataPath, describeData } from '../../helpers/data.js';

interface Row { time: number; src: string | null; dst: string | null; sport: number; dport: number; proto: string; bytes: number }

function collect(hosts: HostTable, rows: Row[]) {
  return (b: PacketBatch): void => {
    for (let i = 0; i < b.length; i++) {
      rows.push({
        time: b.time[i],
        src: b.src[i] === NO_HOST ? null : hosts.address(b.src[i]),
        dst: b.dst[i] === NO_HOST ? null : hosts.address(b.dst[i]),
        sport: b.srcPort[i], dport: b.dstPort[i], proto: PROTO_NAMES[b.proto[i]], bytes: b.bytes[i],
      });
    }
  };
}

function parse(text: string | Uint8Array, chunkSize = 1 << 20, capacity = 64): { rows: Row[]; parser: TcpdumpTextParser; hosts: HostTable } {
  const hosts = new HostTable();
  const parser = new TcpdumpTextParser(hosts, capacity);
  const rows: Row[] = [];
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length; i += chunkSize) parser.feed(bytes.subarray(i, i + chunkSize), collect(hosts, rows));
  parser.end(collect(hosts, rows));
  return { rows, parser, hosts };
}

/** The one record a single line gives, without its time. */
function one(line: string): Omit<Row, 'time'> {
  const { rows } = parse(line + '\n');
  expect(rows).toHaveLength(1);
  const { time: _time, ...rest } = rows[0];
  return rest;
}

const flow = (src: string, sport: number, dst: string, dport: number, proto: string, bytes: number) => ({ src, dst, sport, dport, proto, bytes });
const noPorts = (src: string, dst: string, proto: string, bytes: number) => ({ src, dst, sport: -1, dport: -1, proto, bytes });
const nonIp = (bytes: number) => ({ src: null, dst: null, sport: -1, dport: -1, proto: 'other', bytes });

describe('TcpdumpTextParser: one line per family', () => {
  it('IPv4 TCP, UDP and ICMP', () => {
    expect(one('15:42:03.826851 IP 104.123.204.164.443 > 192.168.10.120.62576: tcp 31')).toEqual(flow('104.123.204.164', 443, '192.168.10.120', 62576, 'tcp', 31));
    expect(one('20:20:33.491822 IP 10.0.0.6.21536 > 10.0.0.138.53: UDP, length 34')).toEqual(flow('10.0.0.6', 21536, '10.0.0.138', 53, 'udp', 34));
    expect(one('16:00:27.958387 IP 172.16.42.1 > 172.16.42.216: ICMP redirect 173.194.223.188 to host 172.16.42.42, length 60')).toEqual(noPorts('172.16.42.1', '172.16.42.216', 'icmp', 60));
    // "tcp" inside an ICMP line does not make it TCP.
    expect(one('10:00:00.000000 IP 10.0.0.1 > 10.0.0.2: ICMP 173.194.40.20 tcp port 443 unreachable, length 36')).toEqual(noPorts('10.0.0.1', '10.0.0.2', 'icmp', 36));
    expect(one('09:33:02.254242 IP 192.168.1.2.2715 > 192.168.1.1.53: UDP, bad length 546 > 34')).toEqual(flow('192.168.1.2', 2715, '192.168.1.1', 53, 'udp', 546));
  });

  it('IPv6 TCP, UDP and ICMP6 (port after the last dot)', () => {
    expect(one('15:07:37.375051 IP6 ::1.49888 > ::1.81: tcp 403')).toEqual(flow('::1', 49888, '::1', 81, 'tcp', 403));
    expect(one('00:00:12.461875 IP6 fe80::c50d:519f:96a4:e108.546 > ff02::1:2.547: UDP, length 91')).toEqual(flow('fe80::c50d:519f:96a4:e108', 546, 'ff02::1:2', 547, 'udp', 91));
    expect(one('16:00:22.731312 IP6 :: > ff02::1:ffd3:fbc2: ICMP6, neighbor solicitation, who has fe80::7af8:82ff:fed3:fbc2, length 24')).toEqual(noPorts('::', 'ff02::1:ffd3:fbc2', 'icmp', 24));
    expect(one('10:00:00.000000 IP6 ::ffff:10.0.0.1.80 > ::ffff:10.0.0.2.8080: tcp 5')).toEqual(flow('::ffff:10.0.0.1', 80, '::ffff:10.0.0.2', 8080, 'tcp', 5));
  });

  it('IPv6 with ports after extension headers', () => {
    expect(one('14:13:27.172200 IP6 2604:1380:4091:ce00::d > 2604:1380:4091:ce00::b: HBH 41851 > 43913: tcp 80000')).toEqual(flow('2604:1380:4091:ce00::d', 41851, '2604:1380:4091:ce00::b', 43913, 'tcp', 80000));
    expect(one('16:44:13.354053 IP6 2001:db8:1::2 > 2001:db8:1::1: frag (0|20) 59694 > 80: tcp 0')).toEqual(flow('2001:db8:1::2', 59694, '2001:db8:1::1', 80, 'tcp', 0));
    expect(one('16:44:12.497486 IP6 2001:db8:1::2 > 2001:db8:1::1: DSTOPT 36951 > 80: tcp 0')).toEqual(flow('2001:db8:1::2', 36951, '2001:db8:1::1', 80, 'tcp', 0));
    expect(one('16:44:14.322735 IP6 2001:db8:1::2 > 2001:db8:1::1: RT6 (len=0, type=0 [Deprecated], segleft=0) 45805 > 80: tcp 0')).toEqual(flow('2001:db8:1::2', 45805, '2001:db8:1::1', 80, 'tcp', 0));
    expect(one('16:00:22.741105 IP6 :: > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28')).toEqual(noPorts('::', 'ff02::16', 'icmp', 28));
    expect(one('12:18:12.002000 IP6 9e37:79b9:: > c612:2::: HBH frag (0|8) 22873 > 22873: UDP, length 22865')).toEqual(flow('9e37:79b9::', 22873, 'c612:2::', 22873, 'udp', 22865));
    expect(one('09:05:28.395377 IP6 ::1 > ::1: frag (440|440)')).toEqual(noPorts('::1', '::1', 'other', 0));
  });

  it('prefixes before IP: interface and direction, PPPoE session, radiotap fields', () => {
    expect(one('00:11:23.614884 ifb0  In  IP 192.168.1.21.80 > 192.168.1.253.56478: tcp 0')).toEqual(flow('192.168.1.21', 80, '192.168.1.253', 56478, 'tcp', 0));
    expect(one('08:06:51.178354 PPPoE  [ses 0x2d] IP 10.100.0.0.57013 > 142.250.179.131.80: tcp 1418')).toEqual(flow('10.100.0.0', 57013, '142.250.179.131', 80, 'tcp', 1418));
    expect(one('02:45:53.739049 677964584us tsft 11.0 Mb/s 2462 MHz 11b -70dBm signal -70dBm signal antenna 0 IP 172.5.5.113.49417 > 14.17.32.211.80: tcp 580')).toEqual(flow('172.5.5.113', 49417, '14.17.32.211', 80, 'tcp', 580));
  });

  it('tunnels: the inner flow when it is IP, else the outer one as "other"', () => {
    expect(one('09:38:53.472798 IP 10.200.0.3 > 10.200.0.224: GREv0, key=0x0, length 82: IP 192.168.69.10 > 192.168.69.2: ICMP echo request, id 1, seq 779, length 40')).toEqual(noPorts('192.168.69.10', '192.168.69.2', 'icmp', 40));
    expect(one('09:38:55.344542 IP 10.200.0.3 > 10.200.0.224: GREv0, key=0x0, length 68: ARP, Request who-has 192.168.69.2 (00:50:56:82:08:d1) tell 192.168.69.10, length 46')).toEqual(noPorts('10.200.0.3', '10.200.0.224', 'other', 46));
    expect(one('09:39:00.000000 IP 10.200.0.3 > 10.200.0.224: GREv0, key=0x0, length 1514: IP truncated-ip - 1436 bytes missing! 192.168.69.10.22 > 192.168.69.2.5000: tcp 1448')).toEqual(flow('192.168.69.10', 22, '192.168.69.2', 5000, 'tcp', 1448));
    expect(one('00:00:05.000000 IP 10.1.0.1 > 10.1.0.2: IP 10.1.0.3.80 > 10.1.0.4.80: tcp 52')).toEqual(flow('10.1.0.3', 80, '10.1.0.4', 80, 'tcp', 52));
    expect(one('00:00:03.000000 IP 10.1.0.1 > 10.1.0.2: IP6 2001:db8:85a3::8a2e:370:7334.80 > 2001:db8:85a3::8a2e:370:7335.80: tcp 12')).toEqual(flow('2001:db8:85a3::8a2e:370:7334', 80, '2001:db8:85a3::8a2e:370:7335', 80, 'tcp', 12));
  });

  it('only the reported endpoints become hosts (not a tunnel\'s outer header, not half-parsed lines)', () => {
    const { hosts } = parse(['09:38:53.472798 IP 10.200.0.3 > 10.200.0.224: GREv0, key=0x0, length 82: IP 192.168.69.10 > 192.168.69.2: ICMP echo request, id 1, seq 779, length 40',
      '10:00:00.000000 IP 10.9.9.9.5 > 10.9.9.x.6: tcp 1', '10:00:00.000000 IP6 2001:db8::9.5 > zz: tcp 1'].join('\n'));
    expect(Array.from({ length: hosts.size }, (_, i) => hosts.address(i))).toEqual(['192.168.69.10', '192.168.69.2']);
  });

  it('fragments and other protocols', () => {
    expect(one('00:57:40.000000 IP 10.118.213.211 > 10.118.213.212: ip-proto-17')).toEqual(noPorts('10.118.213.211', '10.118.213.212', 'udp', 0));
    expect(one('18:36:43.923524 IP6 1234::50 > 5678:::  ip-proto-99 0')).toEqual(noPorts('1234::50', '5678::', 'other', 0));
    expect(one('16:00:55.356710 IP 0.0.0.0 > 224.0.0.1: igmp')).toEqual(noPorts('0.0.0.0', '224.0.0.1', 'other', 0));
    expect(one('00:57:48.001704 IP 10.118.213.211.2940 > 10.118.213.212.2940: sctp (1) [INIT] [init tag: 195930882] [rwnd: 102400] ')).toEqual(flow('10.118.213.211', 2940, '10.118.213.212', 2940, 'other', 0));
    expect(one('03:16:21.466743 IP 10.1.2.2 > 224.0.0.10: EIGRP Hello, length: 40')).toEqual(noPorts('10.1.2.2', '224.0.0.10', 'other', 40));
    expect(one('12:38:46.994809 IP 10.0.0.1 > 10.0.0.2: AH(spi=0x8179b705,seq=0x1,icv=0x27cfc0a5e43d69b3728ec5b0): ESP(spi=0x48dac2e4,seq=0x1), length 136')).toEqual(noPorts('10.0.0.1', '10.0.0.2', 'other', 136));
  });

  it('truncated and broken IP', () => {
    expect(one('09:33:02.254242 IP truncated-ip - 46 bytes missing! 192.168.1.2.2715 > 192.168.1.1.53: UDP, length 44')).toEqual(flow('192.168.1.2', 2715, '192.168.1.1', 53, 'udp', 44));
    expect(one('02:09:03.116889 IP 1.1.1.1 > 2.2.2.2: [|tcp]')).toEqual(noPorts('1.1.1.1', '2.2.2.2', 'tcp', 0));
    expect(one('09:33:55.152721 IP 192.168.1.2.58657 > 147.234.1.253.47645:  [|tcp]')).toEqual(flow('192.168.1.2', 58657, '147.234.1.253', 47645, 'tcp', 0));
    const { rows, parser } = parse(['09:33:54.896583 IP5 (invalid)', '09:43:19.678387 IP bad-hlen 4', '09:57:37.345430 IP6, wrong link-layer encapsulation (invalid)', '00:00:00.000022  [|ether]', '09:42:01.274636  [|arp]'].join('\n'));
    expect(rows.map((r) => r.src)).toEqual([null, null, null, null, null]);
    expect(parser.skipped).toMatchObject({ malformed: 3, truncated: 2 });
  });

  it('non-IP packets are packets without hosts', () => {
    const { rows, parser } = parse(['16:00:24.790604 ARP, Request who-has 172.16.42.1 tell 172.16.42.216, length 28', '21:03:44.864984 UNSUPPORTED', '23:29:18.254386 LLDP, length 48'].join('\n'));
    expect(rows.map(({ time: _t, ...r }) => r)).toEqual([nonIp(28), nonIp(0), nonIp(48)]);
    expect(parser.skipped).toMatchObject({ 'non-ip': 2, 'unsupported-link': 1 });
    expect(parser.packets).toBe(3);
  });

  it('continuation lines are counted, not packets; garbage lines are malformed, never thrown', () => {
    const text = ['19:41:50.969363 CDPv2, ttl: 180s, Device-ID \'R1\'', '\t0x0000:  0004 0338 0000 0000', '  0x0000:  01, length 349',
      'hello world', '[Invalid header: len(4093509168) > 262144]', '', '20:20:33.491822 IP 10.0.0.6.21536 > 10.0.0.138.53: UDP, length 34'].join('\n');
    const { rows, parser } = parse(text);
    expect(rows).toHaveLength(2);
    expect(parser.packets).toBe(2);
    expect(parser.lines).toBe(6); // the empty line is not counted
    expect(parser.skipped).toMatchObject({ continuation: 2, malformed: 2, 'non-ip': 1 });
  });
});

describe('TcpdumpTextParser: timestamps', () => {
  it('HH:MM:SS.ffffff is seconds of the day; 9 fractional digits (--nano) are kept', () => {
    const { rows } = parse('00:05:26.167647291 IP 1.2.3.4 > 5.6.7.8: igmp\n20:20:33.491822 IP 1.2.3.4 > 5.6.7.8: igmp\n');
    expect(rows[0].time).toBeCloseTo(5 * 60 + 26.167647291, 9);
    expect(rows[1].time).toBeCloseTo(20 * 3600 + 20 * 60 + 33.491822, 9);
  });

  it('adds a day each time the clock goes back past midnight by more than 12 hours', () => {
    const lines = ['23:59:59.500000', '00:00:00.250000', '00:00:00.100000', '23:00:00.000000', '01:00:00.000000'];
    const { rows } = parse(lines.map((t) => `${t} IP 1.2.3.4 > 5.6.7.8: igmp`).join('\n'));
    expect(rows.map((r) => r.time)).toEqual([86399.5, 86400.25, 86400.1, 86400 + 82800, 2 * 86400 + 3600]);
  });

  it('-tt epoch seconds and -tttt dates (as UTC)', () => {
    const { rows } = parse('1367526033.491822 IP 1.2.3.4 > 5.6.7.8: igmp\n2013-05-02 20:20:33.491822 IP 1.2.3.4 > 5.6.7.8: igmp\n');
    const expected = Date.UTC(2013, 4, 2, 20, 20, 33) / 1000 + 0.491822;
    expect(rows[0].time).toBeCloseTo(expected, 6);
    expect(rows[1].time).toBeCloseTo(expected, 6);
  });

  it('CRLF line endings and a last line without a newline', () => {
    const { rows } = parse('20:20:33.491822 IP 10.0.0.6.1 > 10.0.0.1.53: UDP, length 34\r\n20:20:34.000000 IP 10.0.0.6.1 > 10.0.0.1.53: UDP, length 35');
    expect(rows.map((r) => r.bytes)).toEqual([34, 35]);
  });
});

describeData('TcpdumpTextParser on the shared tcpdump text', () => {
  const names = readdirSync(dataPath('tcpdump')).filter((n) => n.endsWith('.txt'));
  const read = (name: string) => readFileSync(dataPath('tcpdump', name));

  it('one packet per line that is not an indented continuation line, for every file', () => {
    expect(names.length).toBeGreaterThanOrEqual(28);
    for (const name of names) {
      const lines = read(name).toString('latin1').split('\n').filter((l) => l !== '');
      const continuation = lines.filter((l) => l[0] === '\t' || l[0] === ' ').length;
      const { parser } = parse(read(name), 65536, 4096);
      expect({ name, packets: parser.packets, continuation: parser.skipped.continuation, lines: parser.lines })
        .toEqual({ name, packets: lines.length - continuation, continuation, lines: lines.length });
    }
  });

  it('bytes per protocol equal a plain whitespace split of simple files', () => {
    for (const name of ['pcpp-example.pcap.txt', 'zeek-echo-connections.pcap.txt', 'pcpp-tls2.pcap.txt', 'stopddos-amp.TCP.reflection.SYNACK.pcap.txt', 'pcpp-sll.pcap.txt']) {
      // "<time> IP|IP6 <src> > <dst>: tcp N" / "... UDP, length N" / "... ICMP ..., length N";
      // a later IPv4 fragment "... ip-proto-6|17" counts as a TCP/UDP packet of 0 bytes.
      const expected = { tcp: 0, udp: 0, icmp: 0, packets: { tcp: 0, udp: 0, icmp: 0 } };
      for (const line of read(name).toString('latin1').split('\n')) {
        const f = line.split(' ');
        if (f[1] !== 'IP' && f[1] !== 'IP6') continue;
        if (f[5] === 'tcp') { expected.tcp += Number(f[6]); expected.packets.tcp++; }
        if (f[5] === 'UDP,' && f[6] === 'length') { expected.udp += Number(f[7]); expected.packets.udp++; }
        if (f[5] === 'ICMP' || f[5] === 'ICMP6,') { expected.icmp += Number(f[f.length - 1]); expected.packets.icmp++; }
        if (f[5] === 'ip-proto-6') expected.packets.tcp++;
        if (f[5] === 'ip-proto-17') expected.packets.udp++;
      }
      const got = { tcp: 0, udp: 0, icmp: 0, packets: { tcp: 0, udp: 0, icmp: 0 } };
      for (const r of parse(read(name), 65536, 4096).rows) {
        if (r.proto === 'tcp' || r.proto === 'udp' || r.proto === 'icmp') { got[r.proto] += r.bytes; got.packets[r.proto]++; }
      }
      expect({ name, ...got }).toEqual({ name, ...expected });
    }
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = read('ndpi-gnutella.pcap.txt');
    const whole = parse(text, text.length, 4096).rows;
    expect(parse(text, 1, 7).rows).toEqual(whole);
    expect(parse(text, 997, 100).rows).toEqual(whole);
  });
});
