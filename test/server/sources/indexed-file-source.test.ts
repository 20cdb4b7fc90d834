// indexedFileSource: a pass from the start records the index; openBefore(t) then starts past
// most of the file, and from t on it yields the very rows a read from the start yields.
// pcpp-tls2.pcap has times that step back (its index covers the part read in time order).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import type { PacketBatch } from '../../../shared/records.js';
import { indexedFileSource } from '../../../server/sources/indexed-file-source.js';
import { dataPath, describeData } from '../../helpers/data.js';

type Capture = { batches(): AsyncIterable<PacketBatch> };

/**
 * [time, src, dst, bytes] of every row from the first at or after `from` on (as replay
 * releases them after a seek), and how many rows were dropped before that one.
 */
async function rowsFrom(capture: Capture, from: number): Promise<{ rows: number[][]; before: number }> {
  const rows: number[][] = [];
  let before = 0;
  for await (const b of capture.batches()) {
    for (let i = 0; i < b.length; i++) {
      if (rows.length === 0 && b.time[i] < from) before++;
      else rows.push([b.time[i], b.src[i], b.dst[i], b.bytes[i]]);
    }
  }
  return { rows, before };
}

describeData('indexedFileSource on real captures', () => {
  const files = [
    ['pcap', 'pcpp-example.pcap'], ['tcpdump', 'pcpp-example.pcap.txt'], ['pcap', 'ndpi-gnutella.pcap'], ['pcap', 'pcpp-tls2.pcap'],
    ['pcap', 'ndpi-alexa-app.pcapng'], ['pcap', 'ndpi-telegram_videocall.pcapng'], ['pcap', 'brim-bad.pcapng'],
  ];
  for (const [dir, name] of files) {
    it(`${name}: a seek near the end reads from the index, and matches a full read`, async () => {
      const source = indexedFileSource(dataPath(dir, name));
      const hosts = new HostTable();
      const fullRead = await rowsFrom(await source.open(hosts), -Infinity);
      expect(source.index.complete).toBe(true);
      const times = fullRead.rows.map((r) => r[0]);
      const target = times[Math.floor(times.length * 0.9)];
      const expected = await rowsFrom(await source.open(hosts), target);
      const near = await source.openBefore(hosts, target);
      expect(near).not.toBeNull();
      const got = await rowsFrom(near!, target);
      expect(got.rows).toEqual(expected.rows);
      // Only what lies between the entry and the target is read and dropped.
      expect(got.before).toBeLessThan(expected.before);
    });
  }

  it('a pcapng of two sections with different timestamp units: a seek into the second reads it in its own units', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'netshade-index-')), 'two-sections.pcapng');
    // Concatenated pcapng files are one file of several sections: microseconds (2017), then nanoseconds (2022).
    writeFileSync(path, Buffer.concat(['ndpi-alexa-app.pcapng', 'ndpi-telegram_videocall.pcapng'].map((f) => readFileSync(dataPath('pcap', f)))));
    const source = indexedFileSource(path);
    const hosts = new HostTable();
    const fullRead = await rowsFrom(await source.open(hosts), -Infinity);
    const index = source.index, last = index.size - 1;
    expect(index.sectionAt(0)!.unit).toEqual([1e6]);
    expect(index.sectionAt(last)!.unit).toEqual([1e9]);
    // tcpdump -tt: the telegram capture's last packet is at 1648032378.336597 (to the microsecond).
    const target = fullRead.rows[fullRead.rows.length - 1][0] - 0.5;
    expect(target).toBeCloseTo(1648032377.836597, 5);
    const expected = await rowsFrom(await source.open(hosts), target);
    const got = await rowsFrom((await source.openBefore(hosts, target))!, target);
    expect(got.rows).toEqual(expected.rows);
    expect(got.before).toBeLessThan(expected.before);
  });
});

describe('indexedFileSource', () => {
  it('refuses stdin', () => {
    expect(() => indexedFileSource('-')).toThrow(/stdin/);
  });
});
