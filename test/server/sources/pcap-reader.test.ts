import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_HOST, PROTO_NAMES, type PacketBatch } from '../../../shared/records.js';
import { PcapReader, timestampSeconds, type PcapEnd } from '../../../server/sources/pcap-reader.js';
import { TcpdumpTextParser } from '../../../server/sources/tcpdump-text.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { concat, ether, fields, ipv4, ipv6, pcapFile, pcapngBlock, tcp, udp } from './frames.js';

interface Row { time: number; src: string | null; dst: string | null; sport: number; dport: number; proto: string; bytes: number }

function rowsOf(hosts: HostTable, out: Row[]) {
  return (b: PacketBatch): void => {
    for (let i = 0; i < b.length; i++) {
      out.push({
        time: b.time[i],
        src: b.src[i] === NO_HOST ? null : hosts.address(b.src[i]),
        dst: b.dst[i] === NO_HOST ? null : hosts.address(b.dst[i]),
        sport: b.srcPort[i], dport: b.dstPort[i], proto: PROTO_NAMES[b.proto[i]], bytes: b.bytes[i],
      });
    }
  };
}

function readPcap(bytes: Uint8Array, chunkSize = 65536, hosts = new HostTable()): { rows: Row[]; reader: PcapReader; end: PcapEnd } {
  const reader = new PcapReader(hosts, 500);
  const rows: Row[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) reader.feed(bytes.subarray(i, i + chunkSize), rowsOf(hosts, rows));
  const end = reader.end(rowsOf(hosts, rows));
  return { rows, reader, end };
}

function readText(bytes: Uint8Array): Row[] {
  const hosts = new HostTable();
  const parser = new TcpdumpTextParser(hosts, 500);
  const rows: Row[] = [];
  parser.feed(bytes, rowsOf(hosts, rows));
  parser.end(rowsOf(hosts, rows));
  return rows;
}

describeData('PcapReader agrees with tcpdump\'s own text of the same capture', () => {
  // Files whose stamps are nanoseconds: tcpdump prints them truncated to microseconds.
  const NANO = new Set(['pcpp-nanosecs_big_endian.pcap', 'ndpi-telegram_videocall.pcapng']);
  const FILES = [
    // the required set
    'pcpp-example.pcap', 'ndpi-gnutella.pcap', 'pcpp-tls2.pcap', 'suricata-decode-sll2-02.pcap', 'pcpp-sll.pcap',
    'suricata-smb-length-5770.pcap', 'pcpp-raw_ip.pcap', 'suricata-filestore-filecontainer-smb.pcap',
    'pcpp-nanosecs_big_endian.pcap', 'ndpi-alexa-app.pcapng', 'stopddos-amp.TCP.reflection.SYNACK.pcap',
    'suricata-http-mime-truncated.pcap',
    // and every other capture tcpdump could read
    'arkime-80211http.pcap', 'brim-bad.pcapng', 'ndpi-fuzz-2006-06-26-2594.pcap', 'ndpi-telegram_videocall.pcapng',
    'pcpp-ip-frag.pcap', 'pcpp-many-protocols.pcap', 'pcpp-microsecs_big_endian.pcap', 'pcpp-null_loopback.pcap',
    'stopddos-pkt.TCP.DOMINATE.syn.ecn.cwr.pcapng', 'suricata-pppoe-session-http.pcap', 'tcpdump-bigtcp-ipv6-hbh.pcap',
    'zeek-erspan.pcap', 'zeek-ipv6-http-atomic-frag.pcap',
  ];

  for (const name of FILES) {
    it(name, () => {
      const text = readText(readFileSync(dataPath('tcpdump', `${name}.txt`)));
      const { rows } = readPcap(readFileSync(dataPath('pcap', name)));
      expect(rows.length).toBe(text.length);
      const mismatches: string[] = [];
      for (let i = 0; i < rows.length; i++) {
        const p = rows[i], t = text[i];
        // Non-IP packets: both without hosts (their "length" is tcpdump's per-protocol choice).
        const same = t.src === null
          ? p.src === null && p.dst === null
          : p.src === t.src && p.dst === t.dst && p.sport === t.sport && p.dport === t.dport && p.proto === t.proto && p.bytes === t.bytes;
        // Text time is UTC seconds of the day (plus whole days); tcpdump truncates to microseconds.
        const diff = (p.time % 86400) - (t.time % 86400);
        const timeOk = NANO.has(name) ? diff > -3e-7 && diff < 1e-6 + 3e-7 : Math.abs(diff) < 3e-7;
        if (!same || !timeOk) mismatches.push(`#${i}: pcap ${JSON.stringify(p)} text ${JSON.stringify(t)}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  }

  it('keeps the 2696 packets of a pcap cut inside a record header, and says where', () => {
    const path = dataPath('pcap', 'suricata-http-mime-truncated.pcap');
    const { rows, end } = readPcap(readFileSync(path));
    expect(rows).toHaveLength(2696);
    // tcpdump: "tried to read 16 header bytes, only got 1": the last record starts one byte before the end.
    expect(end).toEqual({ truncatedAt: statSync(path).size - 1, problem: 'truncated pcap record' });
  });

  it('keeps the 27 packets of a truncated pcapng', () => {
    const path = dataPath('pcap', 'brim-bad.pcapng');
    const { rows, end } = readPcap(readFileSync(path));
    expect(rows).toHaveLength(27);
    expect(end).toEqual({ truncatedAt: statSync(path).size - 1, problem: 'truncated pcapng block' });
  });

  it('reads a pcapng whose interfaces have different link types (tcpdump refuses it)', () => {
    const hosts = new HostTable();
    const { rows, reader, end } = readPcap(readFileSync(dataPath('pcap', 'pcpp-many_interfaces-1.pcapng')), 65536, hosts);
    expect(end.problem).toBeNull();
    expect(rows).toHaveLength(64); // capinfos
    expect(reader.linkTypes).toEqual(expect.arrayContaining([1, 0, 12])); // Ethernet, NULL, raw IP interfaces
    expect(hosts.size).toBe(8); // tshark: 8 distinct IPs
    expect(rows.every((r) => r.src !== null)).toBe(true);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    for (const [name, chunk] of [['pcpp-nanosecs_big_endian.pcap', 1], ['ndpi-alexa-app.pcapng', 997], ['pcpp-sll.pcap', 4093]] as const) {
      const bytes = readFileSync(dataPath('pcap', name));
      expect(readPcap(bytes, chunk).rows).toEqual(readPcap(bytes, bytes.length).rows);
    }
  });
});

describe('PcapReader: classic pcap variants', () => {
  const frame = ether(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1234, 80, 100)));
  const expected = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1234, dport: 80, proto: 'tcp', bytes: 100 };

  for (const bigEndian of [false, true]) {
    it(`${bigEndian ? 'big' : 'little'}-endian, micro- and nanosecond stamps`, () => {
      const usec = readPcap(pcapFile(1, [{ sec: 1000, frac: 250000, data: frame }], { bigEndian }));
      expect(usec.rows).toEqual([{ time: 1000.25, ...expected }]);
      expect(usec.reader.format).toBe('pcap');
      const nsec = readPcap(pcapFile(1, [{ sec: 1000, frac: 250000001, data: frame }], { bigEndian, nano: true }));
      expect(nsec.rows[0].time).toBeCloseTo(1000.250000001, 9);
    });
  }

  it('uses the header link type, and counts non-IP and unsupported-link packets', () => {
    const raw = readPcap(pcapFile(101, [{ sec: 1, frac: 0, data: ipv6(17, '2001:db8::1', 'ff02::fb', udp(5353, 5353, 40)) }]));
    expect(raw.rows[0]).toMatchObject({ src: '2001:db8::1', dst: 'ff02::fb', proto: 'udp', bytes: 40 });
    expect(raw.reader.linkTypes).toEqual([101]);
    const arp = readPcap(pcapFile(1, [{ sec: 1, frac: 0, data: ether(0x0806, new Uint8Array(28)) }]));
    expect(arp.rows[0].src).toBeNull();
    expect(arp.reader.skipped['non-ip']).toBe(1);
    const netlink = readPcap(pcapFile(253, [{ sec: 1, frac: 0, data: new Uint8Array(40) }, { sec: 2, frac: 0, data: new Uint8Array(20) }]));
    expect(netlink.reader.packets).toBe(2);
    expect(netlink.reader.skipped['unsupported-link']).toBe(2);
  });

  it('stops at an absurd record length, keeping what came before', () => {
    const good = pcapFile(1, [{ sec: 1, frac: 0, data: frame }]);
    const bad = fields(true, [[2, 4], [0, 4], [300000, 4], [300000, 4]]);
    const { rows, end } = readPcap(concat(good, bad, new Uint8Array(100)));
    expect(rows).toHaveLength(1);
    expect(end).toEqual({ truncatedAt: good.length, problem: 'invalid pcap record length 300000' });
  });

  it('reports input that is not a capture, an empty input, and a cut file header', () => {
    expect(readPcap(new TextEncoder().encode('hello world')).end).toEqual({ truncatedAt: 0, problem: 'not a pcap or pcapng file' });
    expect(readPcap(new Uint8Array(0)).end).toEqual({ truncatedAt: 0, problem: 'empty input' });
    expect(readPcap(pcapFile(1, []).subarray(0, 10)).end).toEqual({ truncatedAt: 0, problem: 'truncated pcap file header' });
  });
});

describe('PcapReader: pcapng', () => {
  const shb = (le: boolean) => pcapngBlock(0x0a0d0d0a, fields(le, [[0x1a2b3c4d, 4], [1, 2], [0, 2], [0xffffffff, 4], [0xffffffff, 4]]), le);
  /** Interface Description Block; options as [code, bytes] pairs. */
  const idb = (le: boolean, linkType: number, options: [number, number[]][] = []) => {
    const opts = options.flatMap(([code, value]) => [...fields(le, [[code, 2], [value.length, 2]]), ...value, ...new Array((4 - (value.length % 4)) % 4).fill(0)]);
    return pcapngBlock(1, fields(le, [[linkType, 2], [0, 2], [0, 4]], [...opts, ...fields(le, [[0, 2], [0, 2]])]), le);
  };
  const split64 = (v: bigint): [number, number] => [Number(v >> 32n), Number(v & 0xffffffffn)];
  const epb = (le: boolean, iface: number, ts: bigint, data: Uint8Array) => {
    const [hi, lo] = split64(ts);
    return pcapngBlock(6, fields(le, [[iface, 4], [hi, 4], [lo, 4], [data.length, 4], [data.length, 4]], data), le);
  };
  const udpFrame = ether(0x0800, ipv4(17, '192.0.2.1', '192.0.2.2', udp(1000, 53, 30)));
  const rawV6 = ipv6(6, '2001:db8::1', '2001:db8::2', tcp(443, 50000, 10));

  it('several interfaces with their own link type and timestamp resolution; EPB, OPB, SPB; unknown blocks skipped', () => {
    const le = true;
    const file = concat(
      shb(le),
      idb(le, 1, [[9, [9]]]), // Ethernet, nanoseconds
      idb(le, 101, [[14, [100, 0, 0, 0, 0, 0, 0, 0]]]), // raw IP, microseconds, +100 s offset
      pcapngBlock(0x0bad, new Uint8Array(12)),
      epb(le, 0, 1_600_000_000_123_456_789n, udpFrame),
      epb(le, 1, 1_600_000_000_500_000n, rawV6),
      pcapngBlock(2, fields(le, [[0, 2], [0, 2], ...split64(2_000_000_000_000_000_000n).map((v) => [v, 4] as [number, 4]), [udpFrame.length, 4], [udpFrame.length, 4]], udpFrame)),
      pcapngBlock(3, fields(le, [[udpFrame.length, 4]], udpFrame)),
    );
    const { rows, reader, end } = readPcap(file);
    expect(end.problem).toBeNull();
    expect(reader.format).toBe('pcapng');
    expect(reader.linkTypes).toEqual([1, 101]);
    expect(rows.map((r) => r.src)).toEqual(['192.0.2.1', '2001:db8::1', '192.0.2.1', '192.0.2.1']);
    expect(rows[0]).toMatchObject({ proto: 'udp', sport: 1000, dport: 53, bytes: 30 });
    // Exact to the microsecond although 1.6e18 ns does not fit a double's mantissa.
    expect(Math.floor((rows[0].time - 1_600_000_000) * 1e6)).toBe(123456);
    expect(rows[1]).toMatchObject({ proto: 'tcp', sport: 443, dport: 50000, bytes: 10 });
    expect(rows[1].time).toBeCloseTo(1_600_000_100.5, 6);
    expect(rows[2].time).toBeCloseTo(2_000_000_000, 6);
    expect(rows[3].time).toBe(rows[2].time); // a simple packet block has no stamp of its own
  });

  it('a big-endian section after a little-endian one, with a power-of-two resolution', () => {
    const file = concat(shb(true), idb(true, 1), epb(true, 0, 1_000_000n, udpFrame),
      shb(false), idb(false, 0, [[9, [0x80 | 6]]]), epb(false, 0, 64n * 10n + 16n, concat([2, 0, 0, 0], ipv4(17, '10.9.8.7', '10.9.8.6', udp(1, 2, 3)))));
    const { rows, reader, end } = readPcap(file, 13);
    expect(end.problem).toBeNull();
    expect(reader.linkTypes).toEqual([1, 0]);
    expect(rows.map((r) => [r.time, r.src, r.bytes])).toEqual([[1, '192.0.2.1', 30], [10.25, '10.9.8.7', 3]]);
  });

  it('a packet on an undeclared interface is a malformed packet; a bad block length stops the file', () => {
    const { rows, reader } = readPcap(concat(shb(true), idb(true, 1), epb(true, 3, 0n, udpFrame), epb(true, 0, 0n, udpFrame)));
    expect(rows.map((r) => r.src)).toEqual([null, '192.0.2.1']);
    expect(reader.skipped.malformed).toBe(1);
    const head = concat(shb(true), idb(true, 1), epb(true, 0, 0n, udpFrame));
    const broken = readPcap(concat(head, fields(true, [[6, 4], [13, 4], [0, 4]])));
    expect(broken.rows).toHaveLength(1);
    expect(broken.end).toEqual({ truncatedAt: head.length, problem: 'invalid pcapng block length 13' });
  });
});

describe('timestampSeconds', () => {
  it('divides a 64-bit count exactly for decimal and binary units', () => {
    expect(timestampSeconds(0, 1_500_000, 1e6)).toBe(1.5);
    // Same double as whole seconds + fraction computed with exact integer (BigInt) arithmetic.
    for (const ns of [1_700_000_000_999_999_999n, 1_600_000_000_123_456_789n, 18_446_744_073_709_551_615n]) {
      const exact = Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
      expect(timestampSeconds(Number(ns >> 32n), Number(ns & 0xffffffffn), 1e9)).toBe(exact);
    }
    expect(timestampSeconds(1, 0, 2 ** 20)).toBe(2 ** 12);
  });
});
