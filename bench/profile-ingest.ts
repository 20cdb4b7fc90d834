// Ingest throughput, for profiling the packet readers in isolation: tcpdump text lines/s
// (beside bench/readline-regex.ts, the baseline the official bench compares with) and pcap
// packets/s, each the median of several in-memory runs, by wall clock and by this process's
// CPU time (steadier on a shared machine).
// Run:     npx tsx bench/profile-ingest.ts [reps] [text|regex|pcap ...]
// Profile: node --cpu-prof --import tsx bench/profile-ingest.ts 5 text
// Input: every .txt of the team's data (or NETSHADE_BENCH_TEXT=a.txt,b.txt) repeated to >= 2M
// lines; every capture, each read whole.
import { readdirSync, readFileSync } from 'node:fs';
import { HostTable } from '../shared/graph/hosts.js';
import type { PacketBatch } from '../shared/records.js';
import { PcapReader } from '../server/sources/pcap-reader.js';
import { TcpdumpTextParser } from '../server/sources/tcpdump-text.js';
import { dataPath } from './data.js';
import { median } from './measure.js';
import { parseWithReadlineRegex } from './readline-regex.js';

const reps = Number(process.argv[2] ?? 7);
const which = new Set(process.argv.length > 3 ? process.argv.slice(3) : ['text', 'regex', 'pcap']);
const MIN_LINES = 2_000_000;
const CHUNK = 1 << 20;

interface Run { wall: number; cpu: number }

let sink = 0;
const onBatch = (b: PacketBatch): void => { sink += b.length; };

function countLines(b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  return n;
}

function chunks(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < b.length; o += CHUNK) out.push(b.subarray(o, o + CHUNK));
  return out;
}

/** Seconds of wall clock and of this process's CPU that `work` took. */
async function measure(work: () => unknown): Promise<Run> {
  const c0 = process.cpuUsage(), t0 = performance.now();
  await work();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function report(label: string, count: number, unit: string, times: number, work: () => unknown): Promise<void> {
  await work(); // warm-up
  const runs: Run[] = [];
  for (let r = 0; r < times; r++) runs.push(await measure(work));
  const rate = (s: number) => `${(count / s / 1e6).toFixed(2)} M`;
  const wall = median(runs.map((r) => r.wall)), cpu = median(runs.map((r) => r.cpu));
  console.log(`${label}: median ${rate(wall)} ${unit}/s wall, ${rate(cpu)} ${unit}/s cpu (runs ${runs.map((r) => rate(r.wall)).join(' ')})`);
}

// The text files, whole, repeated until there are enough lines.
const names = process.env.NETSHADE_BENCH_TEXT?.split(',') ?? readdirSync(dataPath('tcpdump')).filter((n) => n.endsWith('.txt')).sort();
const block = Buffer.concat(names.map((n) => readFileSync(dataPath('tcpdump', n))));
const copies = Math.ceil(MIN_LINES / countLines(block));
const text = new Uint8Array(block.length * copies);
for (let c = 0; c < copies; c++) text.set(block, c * block.length);
const textChunks = chunks(text);
const lines = countLines(text);
console.log(`text: ${names.length} files, ${lines} lines, ${(text.length / 2 ** 20).toFixed(0)} MiB`);

if (which.has('text')) {
  await report('TcpdumpTextParser', lines, 'lines', reps, () => {
    const parser = new TcpdumpTextParser(new HostTable());
    for (const c of textChunks) parser.feed(c, onBatch);
    parser.end(onBatch);
  });
}
if (which.has('regex')) {
  await report('readline + regex', lines, 'lines', Math.min(reps, 3), () => parseWithReadlineRegex(textChunks, new HostTable(), onBatch));
}
if (which.has('pcap')) {
  const files = readdirSync(dataPath('pcap')).filter((n) => /\.pcap(ng)?$/.test(n)).sort().map((n) => new Uint8Array(readFileSync(dataPath('pcap', n))));
  let packets = 0;
  const readAll = () => {
    packets = 0;
    for (const bytes of files) {
      const reader = new PcapReader(new HostTable());
      for (const c of chunks(bytes)) reader.feed(c, onBatch);
      reader.end(onBatch);
      packets += reader.packets;
    }
  };
  readAll();
  await report(`PcapReader (${files.length} captures, ${packets} packets)`, packets, 'packets', reps, readAll);
}
if (sink < 0) console.log(sink);
