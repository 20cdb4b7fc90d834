// Text parsed in segments (each thread with hosts of its own, days counted from zero) and
// joined in order must give what one pass from the start gives: the same records, host ids in
// the same order, the same dateless times across midnight, the same counts.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HostTable } from '../../../shared/graph/hosts.js';
import { emptySkipCounts, NO_HOST, type PacketBatch } from '../../../shared/records.js';
import { TcpdumpTextParser } from '../../../server/sources/tcpdump-text.js';
import { SegmentJoiner, TextSegmentParser } from '../../../server/sources/text-segment.js';
import { TextParsePool } from '../../../server/sources/parallel-text.js';
import { dataPath, describeData } from '../../helpers/data.js';

/** Every record as text (addresses, not ids) plus the ids themselves, in order. */
function recorder(hosts: HostTable, out: string[]) {
  return (b: PacketBatch): void => {
    for (let i = 0; i < b.length; i++) {
      const a = b.src[i], z = b.dst[i];
      out.push(`${b.time[i]} ${a}:${a === NO_HOST ? '-' : hosts.address(a)} ${z}:${z === NO_HOST ? '-' : hosts.address(z)} ${b.srcPort[i]} ${b.dstPort[i]} ${b.proto[i]} ${b.bytes[i]}`);
    }
  };
}

function onePass(text: Uint8Array) {
  const hosts = new HostTable(), rows: string[] = [];
  const parser = new TcpdumpTextParser(hosts);
  parser.feed(text, recorder(hosts, rows));
  parser.end(recorder(hosts, rows));
  return { rows, hosts: hosts.size, lines: parser.lines, skipped: { ...parser.skipped } };
}

/** Cuts text after every `linesEach` lines and joins the segments, sources taking turns. */
function inSegments(text: Uint8Array, linesEach: number, sources = 2) {
  const parsers = Array.from({ length: sources }, () => new TextSegmentParser());
  const hosts = new HostTable(), rows: string[] = [];
  const joiner = new SegmentJoiner(hosts, emptySkipCounts());
  let start = 0, k = 0, lines = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && (text[i] !== 10 || ++lines % linesEach !== 0)) continue;
    const end = Math.min(text.length, i + 1);
    if (end > start) {
      recorder(hosts, rows)(joiner.join(parsers[k % sources].parse(text.slice(start, end)), k % sources));
      k++;
    }
    start = end;
  }
  return { rows, hosts: hosts.size, lines: joiner.lines, skipped: { ...joiner.skipped } };
}

const encode = (lines: string[]) => new TextEncoder().encode(lines.join('\n') + '\n');

describe('text in segments, joined', () => {
  const line = (stamp: string, a: string, b: string) => `${stamp} IP ${a}.1000 > ${b}.80: tcp 10`;

  it('counts midnight passed in an earlier segment, and at a segment boundary', () => {
    const text = encode([
      line('23:59:58.000000', '10.0.0.1', '10.0.0.2'),
      line('00:00:01.500000', '10.0.0.3', '10.0.0.1'), // next day: 86400 + 1.5
      line('12:00:00.000000', '10.0.0.2', '10.0.0.3'), // still that day
      line('23:00:00.000000', '10.0.0.4', '10.0.0.1'),
      line('01:00:00.000000', '10.0.0.1', '10.0.0.4'), // third day: 2 * 86400 + 3600
    ]);
    for (const each of [1, 2, 3]) {
      const { rows } = inSegments(text, each);
      expect(rows.map((r) => Number(r.split(' ')[0]))).toEqual([86398, 86401.5, 86400 + 43200, 86400 + 82800, 2 * 86400 + 3600]);
    }
  });

  it('gives host ids in order of first appearance across segments and sources', () => {
    const text = encode([
      line('10:00:00.000000', '10.0.0.9', '10.0.0.5'),
      line('10:00:01.000000', '10.0.0.7', '10.0.0.9'),
      line('10:00:02.000000', '10.0.0.5', '10.0.0.8'),
      line('10:00:03.000000', '10.0.0.7', '10.0.0.6'),
    ]);
    const { rows } = inSegments(text, 1);
    const ids = rows.map((r) => r.split(' ').slice(1, 3).join(' '));
    expect(ids).toEqual(['0:10.0.0.9 1:10.0.0.5', '2:10.0.0.7 0:10.0.0.9', '1:10.0.0.5 3:10.0.0.8', '2:10.0.0.7 4:10.0.0.6']);
  });

  it('shifts only the dateless rows of a segment that mixes -tt and dateless stamps', () => {
    const text = encode([
      line('23:00:00.000000', '10.0.0.1', '10.0.0.2'),
      line('01:00:00.000000', '10.0.0.1', '10.0.0.2'), // next day: 90000
      line('1367526033.000000', '10.0.0.1', '10.0.0.2'), // dated: as it is
      line('02:00:00.000000', '10.0.0.1', '10.0.0.2'), // same day as 01:00: 93600
    ]);
    const { rows } = inSegments(text, 2);
    expect(rows.map((r) => Number(r.split(' ')[0]))).toEqual([82800, 90000, 1367526033, 93600]);
  });
});

describeData('text in segments, on real text', () => {
  const files = readdirSync(dataPath('tcpdump')).filter((f) => f.endsWith('.txt'));

  it.each(files)('%s: segments of 1000 and 37 lines give what one pass gives', (file) => {
    const text = readFileSync(dataPath('tcpdump', file));
    const expected = onePass(text);
    expect(inSegments(text, 1000)).toEqual(expected);
    expect(inSegments(text, 37, 3)).toEqual(expected);
  });
});

describeData('TextParsePool (worker threads)', () => {
  const pool = new TextParsePool(2);
  afterAll(() => pool.close());

  it('parses real text cut anywhere into the records one pass gives, in order, and can parse again', async () => {
    const text = Buffer.concat(['zeek-echo-connections.pcap.txt', 'ndpi-gnutella.pcap.txt', 'pcpp-tls2.pcap.txt'].map((f) => readFileSync(dataPath('tcpdump', f))));
    const expected = onePass(text);
    for (const chunk of [1 << 20, 65521]) {
      const chunks: Uint8Array[] = [];
      for (let o = 0; o < text.length; o += chunk) chunks.push(text.subarray(o, o + chunk));
      const hosts = new HostTable(), rows: string[] = [];
      const totals = await pool.parse(chunks, hosts, recorder(hosts, rows));
      expect(rows).toEqual(expected.rows);
      expect(hosts.size).toBe(expected.hosts);
      expect(totals.lines).toBe(expected.lines);
      expect(totals.packets).toBe(expected.rows.length);
      expect(totals.skipped).toEqual(expected.skipped);
    }
  });
});
