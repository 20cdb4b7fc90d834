// openCapture({ startOffset }): reading a classic pcap or tcpdump text from a record or line
// boundary yields exactly the rows a read from the start yields from that point on. The
// boundaries are found here by walking the files independently (pcap record headers; lines).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import type { PacketBatch } from '../../../shared/records.js';
import { openCapture, type OpenCaptureOptions } from '../../../server/sources/open-capture.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { pcapRecordStarts } from './pcap-walk.js';

interface Rows { time: number[]; src: number[]; dst: number[]; srcPort: number[]; dstPort: number[]; proto: number[]; bytes: number[] }

async function readRows(path: string, hosts: HostTable, opts: OpenCaptureOptions = {}): Promise<Rows> {
  const rows: Rows = { time: [], src: [], dst: [], srcPort: [], dstPort: [], proto: [], bytes: [] };
  const source = await openCapture(path, hosts, { chunkSize: 4096, ...opts });
  for await (const b of source.batches()) append(rows, b);
  return rows;
}

function append(rows: Rows, b: PacketBatch): void {
  for (let i = 0; i < b.length; i++) {
    rows.time.push(b.time[i]); rows.src.push(b.src[i]); rows.dst.push(b.dst[i]);
    rows.srcPort.push(b.srcPort[i]); rows.dstPort.push(b.dstPort[i]); rows.proto.push(b.proto[i]); rows.bytes.push(b.bytes[i]);
  }
}

function suffix(rows: Rows, from: number): Rows {
  const out = {} as Rows;
  for (const k of Object.keys(rows) as (keyof Rows)[]) out[k] = rows[k].slice(from);
  return out;
}

/** Start offsets of the packet lines of tcpdump text (those not continuing the line before). */
function packetLineStarts(text: Uint8Array): number[] {
  const starts: number[] = [];
  for (let s = 0; s < text.length;) {
    const nl = text.indexOf(10, s);
    const e = nl < 0 ? text.length : nl;
    if (e > s && text[s] !== 0x20 && text[s] !== 0x09) starts.push(s);
    s = e + 1;
  }
  return starts;
}

describeData('openCapture from an offset, on real captures', () => {
  const pcap = dataPath('pcap', 'pcpp-example.pcap');
  const text = dataPath('tcpdump', 'pcpp-example.pcap.txt');

  it('classic pcap: from record k on, the rows are the full read\'s rows k..', async () => {
    const hosts = new HostTable();
    const full = await readRows(pcap, hosts);
    const starts = pcapRecordStarts(readFileSync(pcap));
    expect(full.time.length).toBe(starts.length);
    // The same HostTable: hosts keep the ids the full read gave them.
    for (const k of [1, 1000, Math.floor(starts.length / 2), starts.length - 3]) {
      const part = await readRows(pcap, hosts, { startOffset: starts[k] });
      expect(part.time.length).toBe(starts.length - k);
      expect(part).toEqual(suffix(full, k));
    }
  });

  it('tcpdump text: from packet line k on, the rows are the full read\'s rows k..', async () => {
    const hosts = new HostTable();
    const full = await readRows(text, hosts);
    const starts = packetLineStarts(readFileSync(text));
    expect(full.time.length).toBe(starts.length);
    for (const k of [1, 777, Math.floor(starts.length / 2), starts.length - 1]) {
      const part = await readRows(text, hosts, { startOffset: starts[k], startTime: full.time[k] });
      expect(part).toEqual(suffix(full, k));
    }
  });

  it('refuses a pcapng offset without its section state, and a pcap offset inside the file header', async () => {
    const hosts = new HostTable();
    await expect(openCapture(dataPath('pcap', 'ndpi-alexa-app.pcapng'), hosts, { startOffset: 100 })).rejects.toThrow(/needs its startSection/);
    await expect(openCapture(pcap, hosts, { startOffset: 10 })).rejects.toThrow(/startOffset must be >= 24/);
  });
});

describe('openCapture from an offset: dateless text keeps the days counted before it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netshade-offset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a line after midnight, resumed with the time the full read gave it', async () => {
    const line1 = '23:59:59.500000 IP 10.0.0.1.1000 > 10.0.0.2.53: UDP, length 10\n';
    const line2 = '00:00:00.250000 IP 10.0.0.2.53 > 10.0.0.1.1000: UDP, length 20\n';
    const path = join(dir, 'midnight.txt');
    writeFileSync(path, line1 + line2);
    const hosts = new HostTable();
    // By hand: the second line is a day (86400 s) after its own 0.25 s of day.
    const part = await readRows(path, hosts, { startOffset: line1.length, startTime: 86400.25 });
    expect(part.time).toEqual([86400.25]);
    expect(part.bytes).toEqual([20]);
  });

  it('rejects stdin and a bad offset', async () => {
    await expect(openCapture('-', new HostTable(), { startOffset: 0 })).rejects.toThrow(RangeError);
    await expect(openCapture(join(dir, 'x'), new HostTable(), { startOffset: -1 })).rejects.toThrow(/startOffset/);
  });
});
