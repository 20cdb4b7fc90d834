// CaptureIndex: entries about a second of capture time apart, at rows' byte offsets; a seek
// finds the last entry strictly before its target. On real captures the index made while
// openCapture reads holds record boundaries (found by walking the file independently).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { CaptureIndex } from '../../../server/sources/capture-index.js';
import { openCapture } from '../../../server/sources/open-capture.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { pcapRecordStarts, pcapRecordTime } from './pcap-walk.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('CaptureIndex', () => {
  it('adds an entry per second of capture time, or per rowsApart rows', () => {
    const index = new CaptureIndex(1, 3);
    // Rows at byte 100 + 10 i: times 0, 0.5, 1.0 (a second on), 1.1, 1.2, 1.3 (three rows on), 5.
    index.noteRows(f64([0, 0.5, 1.0, 1.1, 1.2, 1.3, 5]), f64([100, 110, 120, 130, 140, 150, 160]), 7);
    expect(Array.from(index.times.subarray(0, index.size))).toEqual([0, 1.0, 1.3, 5]);
    expect(Array.from(index.offsets.subarray(0, index.size))).toEqual([100, 120, 150, 160]);
  });

  it('finds the last entry strictly before a time', () => {
    const index = new CaptureIndex();
    index.noteRows(f64([0, 1, 2, 3]), f64([24, 40, 56, 72]), 4);
    expect(index.entryBefore(0)).toBe(-1);
    expect(index.entryBefore(0.5)).toBe(0);
    // Equal is not before: rows stamped 2 ahead of the entry at 2 would be lost.
    expect(index.entryBefore(2)).toBe(1);
    expect(index.entryBefore(99)).toBe(3);
  });

  it('stops adding entries where times go backwards, keeping those before; grows past its first arrays', () => {
    const back = new CaptureIndex();
    back.noteRows(f64([0, 5, 4, 7, 9]), f64([24, 40, 56, 72, 88]), 5);
    expect(back.monotone).toBe(false);
    // Rows before the entry at 5 are all earlier than 5; none past the step back is indexed.
    expect(Array.from(back.offsets.subarray(0, back.size))).toEqual([24, 40]);
    expect(back.entryBefore(10)).toBe(1);
    const many = new CaptureIndex();
    const n = 1000;
    many.noteRows(f64(Array.from({ length: n }, (_, i) => i)), f64(Array.from({ length: n }, (_, i) => 24 + i)), n);
    expect(many.size).toBe(n);
    expect(many.offsets[n - 1]).toBe(24 + n - 1);
    many.reset();
    expect(many.size).toBe(0);
  });

  it('validates its spacing', () => {
    expect(() => new CaptureIndex(0)).toThrow(/secondsApart/);
    expect(() => new CaptureIndex(1, 0)).toThrow(/rowsApart/);
  });
});

describeData('CaptureIndex made on a first pass through real captures', () => {
  for (const name of ['ndpi-gnutella.pcap', 'pcpp-tls2.pcap']) {
    it(`${name}: rising offsets at record boundaries, stamped with those records' times`, async () => {
      const path = dataPath('pcap', name);
      const file = readFileSync(path);
      const starts = pcapRecordStarts(file);
      const times = starts.map((o) => pcapRecordTime(file, o));
      const monotone = times.every((t, i) => i === 0 || t >= times[i - 1]);
      const index = new CaptureIndex();
      const source = await openCapture(path, new HostTable(), { index, chunkSize: 8192 });
      for await (const _ of source.batches());
      expect(index.complete).toBe(true);
      expect(index.monotone).toBe(monotone);
      expect(index.size).toBeGreaterThan(1);
      const boundaries = new Set(starts);
      expect(index.offsets[0]).toBe(24);
      for (let i = 0; i < index.size; i++) {
        const o = index.offsets[i];
        expect(boundaries.has(o)).toBe(true);
        expect(index.times[i]).toBe(pcapRecordTime(file, o));
        if (i > 0) {
          expect(o).toBeGreaterThan(index.offsets[i - 1]);
          expect(index.times[i]).toBeGreaterThanOrEqual(index.times[i - 1]);
        }
      }
    });
  }
});
