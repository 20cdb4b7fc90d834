import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import type { PacketBatch } from '../../../shared/records.js';
import { CaptureError, openCapture, type CaptureSource } from '../../../server/sources/open-capture.js';
import { dataPath, describeData, REPO_ROOT } from '../../helpers/data.js';
import { ether, ipv4, pcapFile, tcp } from './frames.js';

const dir = mkdtempSync(join(tmpdir(), 'netshade-open-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function drain(source: CaptureSource): Promise<PacketBatch[]> {
  const out: PacketBatch[] = [];
  for await (const b of source.batches()) out.push(b);
  return out;
}
const rowCount = (batches: PacketBatch[]) => batches.reduce((n, b) => n + b.length, 0);

async function failure(path: string): Promise<CaptureError> {
  const err = await openCapture(path, new HostTable()).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CaptureError);
  return err as CaptureError;
}

describe('openCapture: inputs that cannot be read throw a CaptureError naming them', () => {
  it('a missing file', async () => {
    const path = join(dir, 'nope.pcap');
    expect((await failure(path)).message).toBe(`netshade: ${path}: no such file`);
  });

  it('a directory', async () => {
    expect((await failure(dir)).message).toBe(`netshade: ${dir}: is a directory, not a capture file`);
  });

  it('an empty file', async () => {
    const path = join(dir, 'empty.pcap');
    writeFileSync(path, '');
    expect((await failure(path)).message).toBe(`netshade: ${path}: empty file`);
  });

  it('a file that is neither a capture nor tcpdump text', async () => {
    const path = join(REPO_ROOT, 'package.json');
    const first = [...readFileSync(path).subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    expect((await failure(path)).message).toBe(`netshade: ${path}: not a capture or tcpdump text (first bytes ${first})`);
  });
});

describe('openCapture: reading', () => {
  const frame = ether(0x0800, ipv4(6, '10.0.0.1', '10.0.0.2', tcp(1234, 80, 100)));
  const records = Array.from({ length: 10 }, (_, i) => ({ sec: 100 + i, frac: 0, data: frame }));

  it('streams a pcap file in chunks, in batches the consumer may keep', async () => {
    const path = join(dir, 'ten.pcap');
    writeFileSync(path, pcapFile(1, records));
    const source = await openCapture(path, new HostTable(), { batchCapacity: 3, chunkSize: 64 });
    expect(source.format).toBe('pcap');
    const batches = await drain(source);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(batches.flatMap((b) => Array.from(b.time.subarray(0, b.length)))).toEqual(records.map((r) => r.sec));
    expect(source.stats()).toEqual({ packets: 10, skipped: expect.objectContaining({ malformed: 0 }), warning: null });
  });

  it('reads "-" from stdin, sniffing pcap or text', async () => {
    const bytes = pcapFile(1, records);
    const pcap = await openCapture('-', new HostTable(), { stdin: Readable.from([bytes.subarray(0, 5), bytes.subarray(5, 300), bytes.subarray(300)]) });
    expect(pcap.format).toBe('pcap');
    expect(rowCount(await drain(pcap))).toBe(10);

    const lines = '20:20:33.491822 IP 10.0.0.6.21536 > 10.0.0.138.53: UDP, length 34\n\t0x0000:  4500\n20:20:34.0 ARP, Reply 10.0.0.1 is-at 00:00:00:00:00:01, length 28\n';
    const text = await openCapture('-', new HostTable(), { stdin: Readable.from([lines.slice(0, 30), lines.slice(30)]) });
    expect(text.format).toBe('tcpdump-text');
    expect(rowCount(await drain(text))).toBe(2);
    expect(text.stats()).toMatchObject({ packets: 2, lines: 3, skipped: { continuation: 1, 'non-ip': 1 } });
  });

  it('rejects empty or unrecognised stdin', async () => {
    await expect(openCapture('-', new HostTable(), { stdin: Readable.from([]) })).rejects.toThrow('netshade: stdin: empty input');
    await expect(openCapture('-', new HostTable(), { stdin: Readable.from([Buffer.from('PK\u0003\u0004')]) }))
      .rejects.toThrow('netshade: stdin: not a capture or tcpdump text (first bytes 50 4b 03 04)');
  });

  it('validates its options', async () => {
    await expect(openCapture('-', new HostTable(), { batchCapacity: 0 })).rejects.toThrow(RangeError);
    await expect(openCapture('-', new HostTable(), { chunkSize: 1.5 })).rejects.toThrow(RangeError);
  });
});

describeData('openCapture on the shared captures', () => {
  it('a truncated capture keeps its packets and warns with the byte offset', async () => {
    const path = dataPath('pcap', 'suricata-http-mime-truncated.pcap');
    const source = await openCapture(path, new HostTable());
    expect(rowCount(await drain(source))).toBe(2696);
    const offset = statSync(path).size - 1;
    expect(source.stats().warning).toBe(`netshade: ${path}: truncated pcap record at byte offset ${offset} (kept 2696 packets)`);
  });

  it('decides the format from the bytes, not the name', async () => {
    const cases: [string, string][] = [
      [dataPath('pcap', 'ndpi-alexa-app.pcapng'), 'pcapng'],
      [dataPath('pcap', 'stopddos-pkt.TCP.DOMINATE.syn.ecn.cwr.pcapng'), 'pcap'], // a classic pcap named .pcapng
      [dataPath('tcpdump', 'pcpp-example.pcap.txt'), 'tcpdump-text'],
    ];
    for (const [path, format] of cases) {
      const source = await openCapture(path, new HostTable());
      expect(source.format).toBe(format);
      await drain(source);
      expect(source.stats().warning).toBeNull();
    }
  });

  it('a pcap and its tcpdump text give the same hosts', async () => {
    const hostsOf = async (path: string) => {
      const hosts = new HostTable();
      await drain(await openCapture(path, hosts));
      return Array.from({ length: hosts.size }, (_, i) => hosts.address(i)).sort();
    };
    for (const name of ['pcpp-tls2.pcap', 'zeek-erspan.pcap', 'ndpi-gnutella.pcap']) {
      expect(await hostsOf(dataPath('pcap', name))).toEqual(await hostsOf(dataPath('tcpdump', `${name}.txt`)));
    }
  });
});
