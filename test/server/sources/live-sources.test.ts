import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { NO_PORT, Proto, type PacketBatch } from '../../../shared/records.js';
import { CaptureError } from '../../../server/sources/open-capture.js';
import { followFileSource, liveCaptureSource, tcpdumpSource } from '../../../server/sources/live-sources.js';
import { describeCap, describeTcpdump, udpTarget } from './live-env.js';

const dir = mkdtempSync(join(tmpdir(), 'netshade-live-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `tcpdump -l -n -q -tt` lines, written by hand; the expected fields are read off the text.
const TCP_LINE = '1700000000.000001 IP 10.0.0.1.1234 > 10.0.0.2.80: tcp 100\n';
const UDP_LINE = '1700000000.250000 IP 10.0.0.3.53 > 10.0.0.4.5353: UDP, length 42\n';
const ICMP_LINE = '1700000001.500000 IP 10.0.0.5 > 10.0.0.6: ICMP echo request, id 1, seq 1, length 64\n';

interface Row { time: number; src: string; dst: string; srcPort: number; dstPort: number; proto: number; bytes: number }

function rows(b: PacketBatch, hosts: HostTable): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < b.length; i++) {
    out.push({
      time: b.time[i], src: hosts.address(b.src[i]), dst: hosts.address(b.dst[i]),
      srcPort: b.srcPort[i], dstPort: b.dstPort[i], proto: b.proto[i], bytes: b.bytes[i],
    });
  }
  return out;
}

/** Pulls batches until `count` rows have come (failing after 10 s instead of hanging). */
async function take(it: AsyncIterator<PacketBatch>, hosts: HostTable, count: number): Promise<Row[]> {
  const out: Row[] = [];
  const deadline = Date.now() + 10_000;
  while (out.length < count) {
    const next = await Promise.race([
      it.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${out.length} of ${count} rows within 10 s`)), Math.max(1, deadline - Date.now()))),
    ]);
    if (next.done) throw new Error(`ended after ${out.length} of ${count} rows`);
    out.push(...rows(next.value, hosts));
  }
  return out;
}

const tcpRow: Row = { time: 1700000000.000001, src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1234, dstPort: 80, proto: Proto.tcp, bytes: 100 };
const udpRow: Row = { time: 1700000000.25, src: '10.0.0.3', dst: '10.0.0.4', srcPort: 53, dstPort: 5353, proto: Proto.udp, bytes: 42 };
const icmpRow: Row = { time: 1700000001.5, src: '10.0.0.5', dst: '10.0.0.6', srcPort: NO_PORT, dstPort: NO_PORT, proto: Proto.icmp, bytes: 64 };

describe('followFileSource', () => {
  it('hands on each complete line as it is written; a partial line waits for its newline', async () => {
    const path = join(dir, 'growing.txt');
    writeFileSync(path, TCP_LINE + UDP_LINE.slice(0, 30));
    const hosts = new HostTable();
    const source = followFileSource(path, { pollMs: 50 });
    expect(source.description).toBe(`following ${path}`);
    expect(source.reopenable).toBe(false); // no loop, no seek
    const capture = await source.open(hosts);
    const it = capture.batches()[Symbol.asyncIterator]();
    // The first batch holds the complete line only: the half-written one is not parsed early.
    expect(await take(it, hosts, 1)).toEqual([tcpRow]);
    appendFileSync(path, UDP_LINE.slice(30));
    expect(await take(it, hosts, 1)).toEqual([udpRow]);
    appendFileSync(path, ICMP_LINE);
    expect(await take(it, hosts, 1)).toEqual([icmpRow]);
    expect(capture.stats().packets).toBe(3);
    await it.return?.(undefined);
  });

  it('keeps following across truncation and rotation', async () => {
    const path = join(dir, 'rotating.txt');
    writeFileSync(path, TCP_LINE);
    const hosts = new HostTable();
    const capture = await followFileSource(path, { pollMs: 50 }).open(hosts);
    const it = capture.batches()[Symbol.asyncIterator]();
    expect(await take(it, hosts, 1)).toEqual([tcpRow]);
    writeFileSync(path, ''); // truncated ...
    appendFileSync(path, UDP_LINE); // ... and written again
    expect(await take(it, hosts, 1)).toEqual([udpRow]);
    renameSync(path, `${path}.1`);
    // The old file's last line lacks its newline: rotation ends it.
    appendFileSync(`${path}.1`, ICMP_LINE.trimEnd());
    writeFileSync(path, TCP_LINE);
    expect(await take(it, hosts, 2)).toEqual([icmpRow, tcpRow]);
    await it.return?.(undefined);
  });

  it('reads stdin ("-") until it ends, lines split anywhere between chunks', async () => {
    const text = TCP_LINE + UDP_LINE + ICMP_LINE;
    const stdin = Readable.from([text.slice(0, 10), text.slice(10, 70), text.slice(70, 71), text.slice(71)].map((s) => Buffer.from(s)));
    const hosts = new HostTable();
    const source = followFileSource('-', { stdin });
    expect(source.description).toBe('stdin');
    const capture = await source.open(hosts);
    const got: Row[] = [];
    for await (const b of capture.batches()) got.push(...rows(b, hosts));
    expect(got).toEqual([tcpRow, udpRow, icmpRow]);
  });

  it('can be opened once only', async () => {
    const source = followFileSource('-', { stdin: Readable.from([]) });
    await source.open(new HostTable());
    await expect(source.open(new HostTable())).rejects.toThrow('stdin: a live source cannot be read again');
  });

  it('refuses a directory, and a pcap file', async () => {
    expect(() => followFileSource(dir)).toThrow(new CaptureError(dir, 'is a directory, not a tcpdump text file'));
    const path = join(dir, 'capture.pcap');
    writeFileSync(path, Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]));
    const capture = await followFileSource(path, { pollMs: 50 }).open(new HostTable());
    const it = capture.batches()[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow(`netshade: ${path}: is a pcap capture: following reads tcpdump text (netshade replay reads pcap)`);
  });

  it('says it is waiting for a file that does not exist yet', async () => {
    const path = join(dir, 'not-yet.txt');
    const told: string[] = [];
    const capture = await followFileSource(path, { pollMs: 50, onMissing: (p) => told.push(p) }).open(new HostTable());
    const it = capture.batches()[Symbol.asyncIterator]();
    const first = it.next();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(told).toEqual([path]);
    expect(capture.stats().warning).toBe(`${path}: no such file yet (waiting for it)`);
    writeFileSync(path, TCP_LINE);
    expect((await first).value!.length).toBe(1);
    expect(capture.stats().warning).toBeNull();
    await it.return?.(undefined);
  });
});

describe('tcpdumpSource with a stand-in tcpdump that dies', () => {
  it('hands on what it printed, then ends with how it ended as the warning', async () => {
    const binary = join(dir, 'fake-tcpdump');
    writeFileSync(binary, `#!/bin/sh
echo "listening on eth9, link-type EN10MB (Ethernet), snapshot length 262144 bytes" >&2
printf '%s' '${TCP_LINE}${UDP_LINE}'
echo "tcpdump: pcap_loop: The interface disappeared" >&2
exit 1
`, { mode: 0o755 });
    const hosts = new HostTable();
    const capture = await (await tcpdumpSource({ interface: 'eth9', binary, statsEveryMs: 0 })).open(hosts);
    const got: Row[] = [];
    for await (const b of capture.batches()) got.push(...rows(b, hosts));
    expect(got).toEqual([tcpRow, udpRow]);
    expect(capture.stats().warning).toBe('tcpdump exited with status 1: tcpdump: pcap_loop: The interface disappeared');
  });
});

const SIZES = [1, 300, 1200];

describeTcpdump('tcpdumpSource on lo', () => {
  it('sees the datagrams sent to 127.0.0.1 with their addresses, ports and UDP payload lengths', async () => {
    const target = await udpTarget();
    try {
      const source = await tcpdumpSource({ interface: 'lo', filter: `udp and port ${target.port}`, statsEveryMs: 100 });
      expect(source.description).toBe(`tcpdump -i lo udp and port ${target.port}`);
      expect(source.reopenable).toBe(false);
      const hosts = new HostTable();
      const capture = await source.open(hosts);
      const before = Date.now() / 1000;
      const srcPort = await target.send(SIZES);
      const it = capture.batches()[Symbol.asyncIterator]();
      const got = await take(it, hosts, SIZES.length);
      expect(got.map(({ time, ...rest }) => rest)).toEqual(SIZES.map((bytes) => ({
        src: '127.0.0.1', dst: '127.0.0.1', srcPort, dstPort: target.port, proto: Proto.udp, bytes,
      })));
      // Epoch stamps: within a minute of now whatever the time zone (a local-time reading would be hours off).
      for (const r of got) expect(Math.abs(r.time - before)).toBeLessThan(60);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stats = capture.stats();
      expect(stats.capture?.received).toBeGreaterThanOrEqual(SIZES.length);
      expect(stats.capture?.dropped).toBe(0);
      await it.return?.(undefined);
    } finally {
      target.close();
    }
  });
});

describeCap('liveCaptureSource on lo', () => {
  it('checks the interface when made, and captures once opened', async () => {
    expect(() => liveCaptureSource({ interface: 'netshade-nope0' })).toThrow(/^netshade: interface netshade-nope0: no such interface \(there are: .*\blo\b/);
    const target = await udpTarget();
    try {
      const source = liveCaptureSource({ interface: 'lo', filter: `udp and port ${target.port}` });
      expect(source.description).toBe(`live capture on lo (udp and port ${target.port})`);
      expect(source.reopenable).toBe(false);
      const hosts = new HostTable();
      const capture = await source.open(hosts);
      const srcPort = await target.send(SIZES);
      const it = capture.batches()[Symbol.asyncIterator]();
      const got = await take(it, hosts, SIZES.length);
      expect(got.map(({ time, ...rest }) => rest)).toEqual(SIZES.map((bytes) => ({
        src: '127.0.0.1', dst: '127.0.0.1', srcPort, dstPort: target.port, proto: Proto.udp, bytes,
      })));
      await it.return?.(undefined);
      await expect(source.open(hosts)).rejects.toThrow('a live source cannot be read again');
    } finally {
      target.close();
    }
  });
});
