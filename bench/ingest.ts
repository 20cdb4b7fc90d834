// Ingest group: packet records decoded in memory, fed in 1 MiB chunks as a file or socket
// would deliver them.
// - tcpdump -q text: the real lines of four captures of different families (DNS over UDP,
//   TLS over IPv4 and IPv6, Gnutella with ICMPv6 and non-IP lines, a SYN-ACK reflection flood)
//   repeated to >= 2M lines, through TextParsePool (a worker thread per core, as convert
//   reads long text), through TcpdumpTextParser on one thread and through the readline + regex
//   baseline.
// - pcap: a seeded demo capture of >= 1M packets, and the real zeek-echo-connections.pcap.
// - convert: the built CLI converting the same text files' lines, repeated to 10M lines with
//   increasing timestamps, to Parquet end to end (bench/convert.ts).
import { readFileSync } from 'node:fs';
import { HostTable } from '../shared/graph/hosts.js';
import type { PacketBatch } from '../shared/records.js';
import { TcpdumpTextParser } from '../server/sources/tcpdump-text.js';
import { TextParsePool } from '../server/sources/parallel-text.js';
import { PcapReader } from '../server/sources/pcap-reader.js';
import { generateDemoTraffic, mulberry32 } from '../server/sources/demo-traffic.js';
import { PCAP_FILE_HEADER_BYTES, pcapFileHeader, pcapRecordsByteLength, writePcapRecords } from '../server/export/pcap-writer.js';
import { benchConvert } from './convert.js';
import { dataPath } from './data.js';
import { time } from './measure.js';
import { parseWithReadlineRegex } from './readline-regex.js';
import type { Row } from './report.js';

const CHUNK_BYTES = 1 << 20;
const TEXT_FILES = [
  'pcpp-example.pcap.txt', 'pcpp-tls2.pcap.txt', 'ndpi-gnutella.pcap.txt', 'stopddos-amp.TCP.reflection.SYNACK.pcap.txt',
];
const TEXT_MIN_LINES = 2_000_000;
const DEMO_SEED = 2012;
/** 600 s at 1750 packets/s: 1.05M packets. */
const DEMO_OPTIONS = { durationS: 600, hosts: 3000, packetsPerSecond: 1750 };
const REAL_PCAP = 'zeek-echo-connections.pcap';

/** What a parse hands back for checking that both parsers saw the same packets. */
interface Tally { records: number; bytes: number }

function chunks(input: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < input.length; o += CHUNK_BYTES) out.push(input.subarray(o, Math.min(input.length, o + CHUNK_BYTES)));
  return out;
}

function tallier(): { tally: Tally; onBatch: (b: PacketBatch) => void } {
  const tally: Tally = { records: 0, bytes: 0 };
  return {
    tally,
    onBatch: (b) => {
      tally.records += b.length;
      for (let i = 0; i < b.length; i++) tally.bytes += b.bytes[i];
    },
  };
}

function countLines(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  return n;
}

/** The text files' lines, repeated whole until there are at least minLines. */
export function textInput(minLines = TEXT_MIN_LINES): { bytes: Buffer; lines: number } {
  const block = Buffer.concat(TEXT_FILES.map((f) => {
    const text = readFileSync(dataPath('tcpdump', f));
    return text.length > 0 && text[text.length - 1] !== 10 ? Buffer.concat([text, Buffer.from('\n')]) : text;
  }));
  const blockLines = countLines(block);
  const repeats = Math.ceil(minLines / blockLines);
  const bytes = Buffer.allocUnsafe(block.length * repeats);
  for (let r = 0; r < repeats; r++) bytes.set(block, r * block.length);
  return { bytes, lines: blockLines * repeats };
}

/** The seeded demo capture as one in-memory pcap file. */
export function demoPcap(): { bytes: Uint8Array; packets: number } {
  const traffic = generateDemoTraffic(mulberry32(DEMO_SEED), DEMO_OPTIONS);
  const bytes = new Uint8Array(PCAP_FILE_HEADER_BYTES + pcapRecordsByteLength(traffic, 0, traffic.length));
  bytes.set(pcapFileHeader(), 0);
  writePcapRecords(traffic, 0, traffic.length, bytes, PCAP_FILE_HEADER_BYTES);
  return { bytes, packets: traffic.length };
}

async function parseTextParallel(pool: TextParsePool, input: readonly Uint8Array[]): Promise<Tally> {
  const { tally, onBatch } = tallier();
  await pool.parse(input, new HostTable(), onBatch);
  return tally;
}

function parseText(input: readonly Uint8Array[]): Tally {
  const { tally, onBatch } = tallier();
  const parser = new TcpdumpTextParser(new HostTable());
  for (const c of input) parser.feed(c, onBatch);
  parser.end(onBatch);
  return tally;
}

async function parseBaseline(input: readonly Uint8Array[]): Promise<Tally> {
  const { tally, onBatch } = tallier();
  await parseWithReadlineRegex(input, new HostTable(), onBatch);
  return tally;
}

function readPcap(input: readonly Uint8Array[]): Tally {
  const { tally, onBatch } = tallier();
  const reader = new PcapReader(new HostTable());
  for (const c of input) reader.feed(c, onBatch);
  const end = reader.end(onBatch);
  if (end.problem !== null) throw new Error(`pcap reader stopped at byte ${end.truncatedAt}: ${end.problem}`);
  return tally;
}

function spread(runs: number[]): string {
  return `runs ${runs.map((t) => t.toFixed(0)).join('/')} ms`;
}

export async function benchIngest(log: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];

  const text = textInput();
  const textChunks = chunks(text.bytes);
  log(`ingest: text input ${text.lines} lines, ${(text.bytes.length / 2 ** 20).toFixed(0)} MiB (${TEXT_FILES.join(', ')})`);
  // The figure: a worker thread per core, as convert parses long text. Beside it, one thread.
  const pool = new TextParsePool();
  const parallel = await time(() => parseTextParallel(pool, textChunks), 5, 2).finally(() => pool.close());
  const parser = await time(() => parseText(textChunks), 3, 1);
  // The baseline takes seconds a run: warm it up on an eighth of the input.
  const baseline = await time(() => parseBaseline(textChunks), 3, 1, () => parseBaseline(textChunks.slice(0, textChunks.length >> 3)));
  const fast = parser.result, slow = baseline.result, both = parallel.result;
  log(`ingest: records ${fast.records} (${pool.workerCount} threads ${both.records}, baseline ${slow.records}), bytes ${fast.bytes} (${both.bytes}, baseline ${slow.bytes})`);
  if (fast.records !== slow.records || both.records !== fast.records || both.bytes !== fast.bytes) log('ingest: WARNING the parsers disagree on the records');
  const parallelRate = text.lines / (parallel.ms / 1000);
  const parserRate = text.lines / (parser.ms / 1000), baselineRate = text.lines / (baseline.ms / 1000);
  rows.push({ key: 'parse_text_lines_per_s', value: parallelRate, unit: 'lines/s', note: `${pool.workerCount} worker threads, ${spread(parallel.runs)}, cpu ${parallel.cpuMs.toFixed(0)} ms` });
  rows.push({ label: 'text parser, one thread', value: parserRate, unit: 'lines/s', note: `${spread(parser.runs)}, cpu ${parser.cpuMs.toFixed(0)} ms` });
  rows.push({ label: 'readline + regex baseline', value: baselineRate, unit: 'lines/s', note: `${spread(baseline.runs)}, cpu ${baseline.cpuMs.toFixed(0)} ms` });
  // The parser as netshade runs it on long text (a worker per core) against the baseline as
  // one would write it; one thread against one beside it.
  rows.push({
    key: 'parse_text_vs_readline_regex', value: parallelRate / baselineRate, unit: 'x',
    note: `one thread against one: ${(parserRate / baselineRate).toFixed(2)} x (by cpu time ${(baseline.cpuMs / parser.cpuMs).toFixed(2)} x)`,
  });

  const t0 = performance.now();
  const demo = demoPcap();
  const demoChunks = chunks(demo.bytes);
  log(`ingest: demo pcap ${demo.packets} packets, ${(demo.bytes.length / 2 ** 20).toFixed(0)} MiB (seed ${DEMO_SEED}), generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const pcap = await time(() => readPcap(demoChunks), 5, 1);
  if (pcap.result.records !== demo.packets) throw new Error(`pcap reader returned ${pcap.result.records} of ${demo.packets} demo packets`);
  rows.push({ key: 'pcap_packets_per_s', value: demo.packets / (pcap.ms / 1000), unit: 'packets/s', note: `${spread(pcap.runs)}, cpu ${pcap.cpuMs.toFixed(0)} ms` });

  const real = readFileSync(dataPath('pcap', REAL_PCAP));
  const realChunks = chunks(real);
  const realTiming = await time(() => readPcap(realChunks), 9, 2);
  const realPackets = realTiming.result.records;
  rows.push({ label: `pcap ${REAL_PCAP} (${realPackets} packets)`, value: realPackets / (realTiming.ms / 1000), unit: 'packets/s' });

  rows.push(...await benchConvert(TEXT_FILES, log));
  return rows;
}
