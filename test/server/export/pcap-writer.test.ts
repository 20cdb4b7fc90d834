import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  pcapFileHeader, pcapRecordsByteLength, writePcapRecords, PCAP_MAX_RECORD_BYTES, type Ipv4Packets,
} from '../../../server/export/pcap-writer.js';
import { Proto } from '../../../shared/records.js';

const HAVE_TCPDUMP = spawnSync('tcpdump', ['--version']).status === 0;
if (!HAVE_TCPDUMP) {
  if (process.env.CI) throw new Error('tcpdump is required under CI (install tcpdump)');
  console.warn('[netshade tests] skipping tcpdump checks of the pcap writer: tcpdump not found on PATH');
}

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
type Row = [time: number, src: string, dst: string, sp: number, dp: number, proto: number, flags: number, bytes: number];

function packets(rows: Row[]): Ipv4Packets {
  const n = rows.length;
  const p: Ipv4Packets = {
    length: n, time: new Float64Array(n), srcAddr: new Uint32Array(n), dstAddr: new Uint32Array(n),
    srcPort: new Uint16Array(n), dstPort: new Uint16Array(n), proto: new Uint8Array(n), flags: new Uint8Array(n), bytes: new Uint32Array(n),
  };
  rows.forEach(([t, s, d, sp, dp, pr, fl, b], i) => {
    p.time[i] = t; p.srcAddr[i] = ip(s); p.dstAddr[i] = ip(d); p.srcPort[i] = sp; p.dstPort[i] = dp;
    p.proto[i] = pr; p.flags[i] = fl; p.bytes[i] = b;
  });
  return p;
}

function encode(p: Ipv4Packets): Uint8Array {
  const out = new Uint8Array(p.length * PCAP_MAX_RECORD_BYTES);
  return out.slice(0, writePcapRecords(p, 0, p.length, out, 0));
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const T0 = 1331901000; // 2012-03-16 12:30:00 UTC

describe('pcapFileHeader', () => {
  it('is the classic little-endian microsecond header, snaplen 96, Ethernet', () => {
    expect(hex(pcapFileHeader())).toBe('d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 60 00 00 00 01 00 00 00');
  });
});

describe('writePcapRecords', () => {
  it('writes the textbook IPv4 header (checksum 0xb861) for a UDP datagram of 87 payload bytes', () => {
    // The worked example of the IPv4 header checksum (Wikipedia, "Internet checksum"):
    // 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7.
    const rec = encode(packets([[T0 + 0.25, '192.168.0.1', '192.168.0.199', 53, 40000, Proto.udp, 0, 87]]));
    expect(rec.length).toBe(16 + 14 + 20 + 8);
    expect(hex(rec.subarray(0, 16))).toBe(
      '48 32 63 4f 90 d0 03 00 2a 00 00 00 81 00 00 00', // 1331901000 = 0x4f633248 s, 250000 us, incl 42, orig 14 + 115
    );
    expect(hex(rec.subarray(16, 30))).toBe('02 00 c0 a8 00 c7 02 00 c0 a8 00 01 08 00');
    expect(hex(rec.subarray(30, 50))).toBe('45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7');
    // UDP: ports 53 -> 40000, length 8 + 87 = 95.
    expect(hex(rec.subarray(50, 56))).toBe('00 35 9c 40 00 5f');
  });

  it('writes TCP with data offset 5 and the full IP total length, capturing only headers', () => {
    const rec = encode(packets([[T0, '10.0.0.1', '10.0.0.2', 1038, 80, Proto.tcp, 0x18, 1380]]));
    const v = new DataView(rec.buffer);
    expect(v.getUint32(8, true)).toBe(54);
    expect(v.getUint32(12, true)).toBe(14 + 20 + 20 + 1380);
    expect(v.getUint16(30 + 2)).toBe(20 + 20 + 1380);
    expect(rec[30 + 9]).toBe(6);
    expect(rec[50 + 12]).toBe(0x50);
    expect(rec[50 + 13]).toBe(0x18);
  });

  it('writes ICMP with the message length as the IP payload', () => {
    const rec = encode(packets([[T0, '10.0.0.1', '10.0.0.2', 0x1234, 7, Proto.icmp, 8, 8]]));
    const v = new DataView(rec.buffer);
    expect(v.getUint32(8, true)).toBe(42);
    expect(v.getUint32(12, true)).toBe(42);
    expect(v.getUint16(32)).toBe(28);
    // type 8 code 0, checksum = ~(0x0800 + 0x1234 + 0x0007) = ~0x1a3b, id, seq
    expect(hex(rec.subarray(50, 58))).toBe('08 00 e5 c4 12 34 00 07');
  });

  it('rounds times to the microsecond, carrying into the next second', () => {
    const rec = encode(packets([
      [T0 + 0.9999996, '10.0.0.1', '10.0.0.2', 1, 2, Proto.udp, 0, 0],
      [T0 + 12.000001, '10.0.0.1', '10.0.0.2', 1, 2, Proto.udp, 0, 0],
    ]));
    const v = new DataView(rec.buffer);
    expect([v.getUint32(0, true), v.getUint32(4, true)]).toEqual([T0 + 1, 0]);
    expect([v.getUint32(58, true), v.getUint32(62, true)]).toEqual([T0 + 12, 1]); // after a 16 + 42-byte record
  });

  it('gives the same bytes written in chunks as in one call', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 50; i++) rows.push([T0 + i / 7, '192.168.1.' + (i + 1), '192.168.2.9', 1000 + i, 443, i % 3 === 0 ? Proto.udp : i % 3 === 1 ? Proto.tcp : Proto.icmp, 8, 8 + i * 10]);
    const p = packets(rows);
    const whole = encode(p);
    const chunked = new Uint8Array(whole.length + 10);
    let o = 0;
    for (let from = 0; from < p.length; from += 16) o = writePcapRecords(p, from, Math.min(p.length, from + 16), chunked, o);
    expect(o).toBe(whole.length);
    expect(pcapRecordsByteLength(p, 0, p.length)).toBe(whole.length);
    expect(chunked.subarray(0, o)).toEqual(whole);
  });

  it('rejects what it cannot encode, naming the row or parameter', () => {
    const base: Row = [T0, '10.0.0.1', '10.0.0.2', 1, 2, Proto.tcp, 0, 0];
    const out = new Uint8Array(1000);
    const bad = (row: Row) => () => writePcapRecords(packets([row]), 0, 1, out);
    expect(bad([...base.slice(0, 5), Proto.other, 0, 0] as Row)).toThrow(/proto\[0\]/);
    expect(bad([...base.slice(0, 7), 65496] as Row)).toThrow(/bytes\[0\]/);
    expect(bad([...base.slice(0, 5), Proto.udp, 0, 65508] as Row)).toThrow(/bytes\[0\]/);
    expect(bad([...base.slice(0, 5), Proto.icmp, 8, 7] as Row)).toThrow(/bytes\[0\]/);
    expect(bad([-1, ...base.slice(1)] as Row)).toThrow(/time\[0\]/);
    expect(() => writePcapRecords(packets([base]), 0, 1, new Uint8Array(53))).toThrow(RangeError);
    expect(() => writePcapRecords(packets([base]), 0, 2, out)).toThrow(/from\/to/);
    expect(() => writePcapRecords(packets([base]), 0, 1, out, -1)).toThrow(RangeError);
    expect(() => writePcapRecords({ ...packets([base]), bytes: undefined } as unknown as Ipv4Packets, 0, 1, out)).toThrow(/packets\.bytes/);
    // The largest packets that fit are accepted.
    expect(writePcapRecords(packets([[...base.slice(0, 7), 65495] as Row]), 0, 1, out)).toBe(70);
  });
});

describe.skipIf(!HAVE_TCPDUMP)('tcpdump reads what the writer writes', () => {
  let dir: string, file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netshade-pcap-'));
    file = join(dir, 'hand.pcap');
    const rows: Row[] = [
      [T0, '192.168.202.68', '192.168.24.100', 8080, 1038, Proto.tcp, 0x18, 1380],
      [T0 + 0.000001, '192.168.24.100', '192.168.202.68', 1038, 8080, Proto.tcp, 0x10, 0],
      [T0 + 0.5, '192.168.0.1', '192.168.0.199', 53, 40000, Proto.udp, 0, 87],
      [T0 + 1, '192.168.202.130', '192.168.207.97', 4660, 1, Proto.icmp, 8, 8],
      [T0 + 1.00025, '192.168.207.97', '192.168.202.130', 4660, 1, Proto.icmp, 0, 64],
      [T0 + 61.5, '8.8.8.8', '10.1.2.3', 443, 50000, Proto.tcp, 0x10, 65495],
    ];
    const body = encode(packets(rows));
    writeFileSync(file, Buffer.concat([pcapFileHeader(), body]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the full payload lengths although payloads are not stored', () => {
    const r = spawnSync('tcpdump', ['-qns', '0', '-r', file], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '12:30:00.000000 IP 192.168.202.68.8080 > 192.168.24.100.1038: tcp 1380',
      '12:30:00.000001 IP 192.168.24.100.1038 > 192.168.202.68.8080: tcp 0',
      '12:30:00.500000 IP 192.168.0.1.53 > 192.168.0.199.40000: UDP, length 87',
      '12:30:01.000000 IP 192.168.202.130 > 192.168.207.97: ICMP echo request, id 4660, seq 1, length 8',
      '12:30:01.000250 IP 192.168.207.97 > 192.168.202.130: ICMP echo reply, id 4660, seq 1, length 64',
      '12:31:01.500000 IP 8.8.8.8.443 > 10.1.2.3.50000: tcp 65495',
    ]);
  });

  it('finds the IP and TCP checksums correct', () => {
    const r = spawnSync('tcpdump', ['-vvns', '0', '-r', file], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/incorrect|wrong|bad cksum/i);
    // Only the payload-less TCP segment can be verified from captured bytes.
    expect(r.stdout).toMatch(/Flags \[\.\], cksum 0x[0-9a-f]{4} \(correct\)/);
  });
});
