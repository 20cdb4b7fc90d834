// `convert` end to end: the built CLI (`node dist/server/cli.js convert FILE --out DIR --format
// parquet`) run as a child process on a generated tcpdump -qns 0 text file, timed by wall clock
// (process start to exit) with the child's peak resident memory (VmHWM, reported by a preloaded
// exit hook; not getrusage's maxrss, which a child inherits from this large process across
// fork and exec). Two input sizes show whether memory stays flat as the input grows, and the
// parser alone on the same file (in this process) shows how much of convert's time is parsing.
//
// The input repeats the real lines of a few captures with their HH:MM:SS.ffffff field rewritten
// to a clock that only moves forward (LINE_STEP_US a line), so it reads as one long capture.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostTable } from '../shared/graph/hosts.js';
import { TcpdumpTextParser } from '../server/sources/tcpdump-text.js';
import { dataPath, REPO_ROOT } from './data.js';
import { median } from './measure.js';
import type { Row } from './report.js';

const CLI = join(REPO_ROOT, 'dist', 'server', 'cli.js');
/** The convert figures' input, and a quarter of it to compare memory against. */
const LINES = 10_000_000;
const SMALL_LINES = 2_500_000;
const RUNS = 3;
/** 10M lines span 500 s of capture time. */
const LINE_STEP_US = 50;
const START_US = 8 * 3600e6;
/** "HH:MM:SS.ffffff " opens every packet line of the source files. */
const STAMP_CHARS = 15;
const STAMP_PATTERN = /^\d\d:\d\d:\d\d\.\d{6} $/;
const WRITE_BYTES = 8 << 20;
/** As convert reads. */
const READ_BYTES = 1 << 20;
const PEAK_TAG = 'bench-vmhwm-kib=';
/** Preloaded into the child: prints its peak resident memory (KiB, Linux's VmHWM) on stderr as it exits. */
const PEAK_HOOK_SOURCE = String.raw`import { readFileSync } from 'node:fs';
process.on('exit', () => {
  const kib = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1];
  process.stderr.write('\n${PEAK_TAG}' + kib + '\n');
});`;
const PEAK_HOOK = `data:text/javascript,${encodeURIComponent(PEAK_HOOK_SOURCE)}`;

interface Block {
  bytes: Buffer;
  /** Offset of each line's start in bytes. */
  lineStarts: Int32Array;
}

/** The files' lines back to back, each checked to open with a time-of-day stamp. */
function sourceBlock(files: readonly string[]): Block {
  const parts = files.map((f) => {
    const text = readFileSync(dataPath('tcpdump', f));
    return text.length > 0 && text[text.length - 1] !== 10 ? Buffer.concat([text, Buffer.from('\n')]) : text;
  });
  const bytes = Buffer.concat(parts);
  const starts: number[] = [];
  for (let s = 0; s < bytes.length;) {
    const nl = bytes.indexOf(10, s);
    if (!STAMP_PATTERN.test(bytes.toString('latin1', s, s + STAMP_CHARS + 1))) {
      throw new Error(`convert bench: line at byte ${s} of ${files.join('+')} does not open with HH:MM:SS.ffffff`);
    }
    starts.push(s);
    s = nl + 1;
  }
  return { bytes, lineStarts: Int32Array.from(starts) };
}

function writeDigits(out: Buffer, at: number, value: number, width: number): void {
  for (let k = width - 1; k >= 0; k--) { out[at + k] = 48 + (value % 10); value = Math.floor(value / 10); }
}

/** Writes `lines` lines of the block, repeated, with increasing timestamps; returns the bytes written. */
function writeInput(path: string, block: Block, lines: number): number {
  const fd = openSync(path, 'w');
  const out = Buffer.allocUnsafe(WRITE_BYTES + block.bytes.length);
  let used = 0, written = 0, us = START_US;
  try {
    for (let line = 0; line < lines;) {
      const take = Math.min(block.lineStarts.length, lines - line);
      const end = take === block.lineStarts.length ? block.bytes.length : block.lineStarts[take];
      block.bytes.copy(out, used, 0, end);
      for (let k = 0; k < take; k++, us += LINE_STEP_US) {
        const at = used + block.lineStarts[k];
        const seconds = Math.floor(us / 1e6);
        writeDigits(out, at, Math.floor(seconds / 3600) % 24, 2);
        writeDigits(out, at + 3, Math.floor(seconds / 60) % 60, 2);
        writeDigits(out, at + 6, seconds % 60, 2);
        writeDigits(out, at + 9, us % 1e6, 6);
      }
      used += end; line += take;
      if (used >= WRITE_BYTES || line === lines) { written += writeSync(fd, out, 0, used); used = 0; }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

interface ConvertRun {
  ms: number;
  maxRssMB: number;
  /** The CLI's summary line. */
  summary: string;
}

function runConvert(input: string, outDir: string): Promise<ConvertRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', PEAK_HOOK, CLI, 'convert', input, '--out', outDir, '--format', 'parquet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      const rss = new RegExp(`${PEAK_TAG}(\\d+)`).exec(stderr);
      if (code !== 0 || rss === null) {
        reject(new Error(`convert exited ${code}: ${stderr.replace(new RegExp(`${PEAK_TAG}\\d+`), '').trim()}`));
        return;
      }
      resolve({ ms, maxRssMB: Number(rss[1]) * 1024 / 1e6, summary: stdout.trim() });
    });
  });
}

/** Packets the CLI reports converting, from its summary line. */
function packetsIn(summary: string): number {
  const m = /: (\d+) packets/.exec(summary);
  if (m === null) throw new Error(`convert summary without a packet count: ${summary}`);
  return Number(m[1]);
}

/** Wall ms of TcpdumpTextParser alone over the file, read as convert reads it. */
function parseFile(path: string): number {
  const t0 = performance.now();
  const fd = openSync(path, 'r');
  const buffer = new Uint8Array(READ_BYTES);
  const parser = new TcpdumpTextParser(new HostTable());
  const ignore = (): void => {};
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) parser.feed(buffer.subarray(0, n), ignore);
    parser.end(ignore);
  } finally {
    closeSync(fd);
  }
  return performance.now() - t0;
}

interface SizeResult {
  ms: number;
  runs: number[];
  maxRssMB: number;
  summary: string;
  /** The parser alone on the same file, when asked for. */
  parseMs: number | null;
}

async function measureSize(block: Block, dir: string, lines: number, parseToo: boolean, log: (line: string) => void): Promise<SizeResult> {
  const input = join(dir, `convert-${lines}.txt`);
  const t0 = performance.now();
  const bytes = writeInput(input, block, lines);
  log(`ingest: convert input ${lines} lines, ${(bytes / 2 ** 20).toFixed(0)} MiB, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const runs: ConvertRun[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await runConvert(input, join(dir, 'out')));
    const summary = runs[runs.length - 1].summary;
    if (packetsIn(summary) !== lines) throw new Error(`convert of ${lines} lines reported: ${summary}`);
    const wall = runs.map((r) => r.ms);
    const parseMs = parseToo ? parseFile(input) : null;
    return { ms: median(wall), runs: wall, maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)), summary, parseMs };
  } finally {
    rmSync(input, { force: true });
  }
}

function runsNote(r: SizeResult): string {
  const graph = /(\d+ nodes, \d+ edges)/.exec(r.summary)?.[1] ?? '';
  return `runs ${r.runs.map((t) => t.toFixed(0)).join('/')} ms; ${graph}`;
}

/** The convert figures, and the same for a quarter of the input; `files` are tcpdump text in the data folder. */
export async function benchConvert(files: readonly string[], log: (line: string) => void): Promise<Row[]> {
  if (!existsSync(CLI)) throw new Error(`convert bench: ${CLI} is missing (npm run build)`);
  const block = sourceBlock(files);
  const dir = mkdtempSync(join(tmpdir(), 'netshade-bench-convert-'));
  try {
    const small = await measureSize(block, dir, SMALL_LINES, false, log);
    const large = await measureSize(block, dir, LINES, true, log);
    const parseMs = large.parseMs!;
    log(`ingest: convert ${large.summary}`);
    return [
      { key: 'convert_lines_per_s', value: LINES / (large.ms / 1000), unit: 'lines/s', note: runsNote(large) },
      { key: 'convert_peak_rss_mb', value: large.maxRssMB, unit: 'MB', note: `max of ${RUNS} runs, ${LINES / 1e6}M lines` },
      {
        label: 'convert: the parser alone, same file', value: LINES / (parseMs / 1000), unit: 'lines/s',
        note: `one run in this process, ${(100 * parseMs / large.ms).toFixed(0)}% of convert's wall time`,
      },
      { label: `convert ${SMALL_LINES / 1e6}M lines`, value: SMALL_LINES / (small.ms / 1000), unit: 'lines/s', note: runsNote(small) },
      { label: `convert ${SMALL_LINES / 1e6}M lines peak RSS`, value: small.maxRssMB, unit: 'MB', note: `max of ${RUNS} runs` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
