// `netshade convert FILE --out DIR`: a whole capture -> node and edge tables (Parquet, Arrow IPC,
// CSV). With --compat, the reference converter's tables instead, exactly, from tcpdump's text
// (read directly, or made by running tcpdump on a pcap/pcapng input).
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { open, stat, mkdir, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HostTable } from '../../shared/graph/hosts.js';
import { SKIP_REASONS, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { CaptureError, openCapture } from '../sources/open-capture.js';
import { detectCaptureFormat, hexPreview, SNIFF_BYTES, type CaptureFormat } from '../sources/capture-format.js';
import { PcapReader } from '../sources/pcap-reader.js';
import { TcpdumpTextParser } from '../sources/tcpdump-text.js';
import { TextParsePool } from '../sources/parallel-text.js';
import { EdgeTotals } from '../export/edge-totals.js';
import { graphTables } from '../export/tables.js';
import { TABLE_FORMATS as FORMATS, tableWriter, type TableFormat as Format } from '../export/table-writers.js';
import {
  ReferenceConverter, referenceEdgesCsv, referenceNodesCsv, referenceTables, type ReferenceTables,
} from '../export/reference-compat.js';
import { UsageError } from './args.js';

const CONVERT_OPTIONS = { out: { type: 'string', short: 'o' }, format: { type: 'string' }, compat: { type: 'boolean' } } as const;
const STDIN_NAME = 'stdin';
/** Bytes read at a time: large enough that per-chunk costs vanish, small enough to stay in cache while parsed. */
const READ_BYTES = 1 << 20;
const PROGRESS_AFTER_MS = 1000;
/** Text from this size up is parsed on every core (below it, starting the threads costs more than they save). */
const PARALLEL_TEXT_BYTES = 8 << 20;
const PROGRESS_EVERY_MS = 100;

export async function runConvert(argv: string[]): Promise<void> {
  const { values: v, positionals } = parseArgs({ args: argv, options: CONVERT_OPTIONS, allowPositionals: true });
  const file = positionals[0];
  if (!file) throw new UsageError('convert needs a FILE (pcap, pcapng, tcpdump text, or - for stdin)');
  if (positionals.length > 1) throw new UsageError(`convert takes one FILE, got ${positionals.length}`);
  if (!v.out) throw new UsageError('convert needs --out DIR');
  const out = v.out;
  const formats = parseFormats(v.format);
  const name = file === '-' ? STDIN_NAME : basename(file);
  const shown = file === '-' ? STDIN_NAME : file;
  const input = await openInput(file);
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  const write = async (fileName: string, data: Uint8Array | string): Promise<void> => {
    await writeFile(join(out, fileName), data);
    written.push(fileName);
  };
  const progress = new Progress(name, input.size);
  const chunks = counted(input.chunks, progress);

  if (v.compat) {
    const { all, tcp, warning } = await convertCompat(file, chunks).finally(() => progress.finish());
    for (const [label, t] of [['all', all], ['tcp', tcp]] as const) {
      // The reference's CSV layout always; other formats of the same tables when asked for.
      await write(`${name}.${label}_nodes.csv`, referenceNodesCsv(t));
      await write(`${name}.${label}_edges.csv`, referenceEdgesCsv(t));
      const tables = referenceTables(t);
      for (const f of formats.filter((x) => x !== 'csv')) {
        const writer = await tableWriter(f);
        await write(`${name}.${label}_nodes.${f}`, writer(tables.nodes));
        await write(`${name}.${label}_edges.${f}`, writer(tables.edges));
      }
    }
    if (warning) console.error(`netshade: warning: ${shown}: ${warning}`);
    console.log(`netshade: ${shown}: reference tables: all lines ${all.nodeCount} nodes, ${all.edgeCount} edges; tcp lines ${tcp.nodeCount} nodes, ${tcp.edgeCount} edges -> ${out}: ${written.join(' ')}`);
    return;
  }

  const { tables, packets, skipped, warning } = await convertGraph(file, chunks, input.size).finally(() => progress.finish());
  for (const f of formats) {
    const writer = await tableWriter(f);
    await write(`${name}.nodes.${f}`, writer(tables.nodes));
    await write(`${name}.edges.${f}`, writer(tables.edges));
  }
  if (warning) console.error(`netshade: warning: ${warning.replace(/^netshade: /, '')}`);
  const notGraphed = skipped ? ` (not graphed: ${skipped})` : '';
  console.log(`netshade: ${shown}: ${packets} packets${notGraphed}, ${tables.nodes.rows} nodes, ${tables.edges.rows} edges -> ${out}: ${written.join(' ')}`);
}

function parseFormats(text: string | undefined): Format[] {
  if (text === undefined) return [...FORMATS];
  const list = text.split(',').map((s) => s.trim());
  for (const f of list) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes a comma-separated list of ${FORMATS.join(', ')}, got "${text}"`);
  }
  return FORMATS.filter((f) => list.includes(f));
}

interface Input {
  /** Bytes in all, when known (a regular file). */
  size: number | null;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * The input's bytes as a stream we read ourselves (so that progress can count them). A path
 * that cannot be streamed is handed to openCapture, which throws the CaptureError for it.
 */
async function openInput(path: string): Promise<Input> {
  if (path === '-') return { size: null, chunks: process.stdin };
  const info = await stat(path).catch(() => null);
  const streamable = info !== null && (info.isFile() ? info.size > 0 : info.isFIFO() || info.isCharacterDevice());
  const handle = streamable ? await open(path, 'r').catch(() => null) : null;
  if (handle === null) {
    // openCapture fails on this path too, with the message every command gives.
    await openCapture(path, new HostTable());
    throw new CaptureError(path, 'cannot be read');
  }
  return { size: info!.isFile() ? info!.size : null, chunks: readChunks(handle) };
}

/**
 * The file's bytes, READ_BYTES at a time, in two buffers used in turn (fresh memory for every
 * chunk costs page faults): the next chunk is read while the consumer works on this one, which
 * stays valid until the consumer asks for the one after.
 */
async function* readChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(READ_BYTES), new Uint8Array(READ_BYTES)];
  let pending = fill(handle, buffers[0]);
  try {
    for (let k = 1; ; k ^= 1) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      const last = chunk.length < READ_BYTES;
      if (!last) pending = fill(handle, buffers[k]);
      yield chunk;
      if (last) return;
    }
  } finally {
    // A consumer that stops early leaves a read in flight: let it settle before closing.
    await pending.catch(() => undefined);
    await handle.close();
  }
}

/** Reads until `buffer` is full or the input ends (a pipe may hand over less at a time); the bytes read. */
async function fill(handle: FileHandle, buffer: Uint8Array): Promise<Uint8Array> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

interface GraphResult {
  tables: ReturnType<typeof graphTables>;
  packets: number;
  /** Non-zero skip counts, as text ('' when none). */
  skipped: string;
  warning: string | null;
}

/**
 * The capture's packets folded into edge totals as the parser hands them over (no copies, no
 * per-packet state beyond the edges), then the node and edge tables. Long text (or text of
 * unknown length) is parsed by worker threads, one per core.
 */
async function convertGraph(file: string, chunks: AsyncIterable<Uint8Array>, size: number | null): Promise<GraphResult> {
  const input = file === '-' ? STDIN_NAME : file;
  const { format, all } = await sniff(input, chunks);
  const hosts = new HostTable();
  const totals = new EdgeTotals();
  const onBatch = (b: PacketBatch): void => totals.add(b);
  if (format === 'tcpdump-text' && (size === null || size >= PARALLEL_TEXT_BYTES)) {
    const pool = new TextParsePool();
    const parsed = await pool.parse(all, hosts, onBatch).finally(() => pool.close());
    return { tables: graphTables(totals.edges(), hosts), packets: parsed.packets, skipped: skipText(parsed.skipped), warning: null };
  }
  const parser = format === 'tcpdump-text' ? new TcpdumpTextParser(hosts) : new PcapReader(hosts);
  for await (const c of all) parser.feed(c, onBatch);
  let warning: string | null = null;
  if (parser instanceof PcapReader) {
    const end = parser.end(onBatch);
    // Worded as openCapture words it for the other commands.
    if (end.problem !== null) warning = new CaptureError(input, `${end.problem} at byte offset ${end.truncatedAt} (kept ${parser.packets} packets)`).message;
  } else parser.end(onBatch);
  return { tables: graphTables(totals.edges(), hosts), packets: parser.packets, skipped: skipText(parser.skipped), warning };
}

function skipText(skipped: SkipCounts): string {
  return SKIP_REASONS.filter((r) => skipped[r] > 0).map((r) => `${r} ${skipped[r]}`).join(', ');
}

interface CompatResult {
  all: ReferenceTables;
  tcp: ReferenceTables;
  warning: string | null;
}

/** Text is read as it is; a pcap/pcapng capture goes through `tcpdump -qns 0` first. */
async function convertCompat(file: string, chunks: AsyncIterable<Uint8Array>): Promise<CompatResult> {
  const input = file === '-' ? STDIN_NAME : file;
  const { format, all: bytes } = await sniff(input, chunks);
  const all = new ReferenceConverter();
  const tcp = new ReferenceConverter({ lineFilter: 'tcp' });
  const decoder = new TextDecoder();
  const feed = (bytes: Uint8Array): void => {
    const text = decoder.decode(bytes, { stream: true });
    all.feed(text); tcp.feed(text);
  };
  const warning = format === 'tcpdump-text' ? await eachChunk(bytes, feed) : await tcpdumpText(input, bytes, feed);
  const rest = decoder.decode();
  all.feed(rest); tcp.feed(rest);
  return { all: all.end(), tcp: tcp.end(), warning };
}

async function eachChunk(chunks: AsyncIterable<Uint8Array>, onChunk: (c: Uint8Array) => void): Promise<null> {
  for await (const c of chunks) onChunk(c);
  return null;
}

/**
 * Runs `tcpdump -qns 0 -r -` (TZ=UTC, as the reference's text was made) with the capture on
 * its stdin, handing its output to onText. Returns tcpdump's complaint when it stopped early
 * on a truncated capture; throws when it read nothing for another reason (not a capture).
 */
async function tcpdumpText(input: string, chunks: AsyncIterable<Uint8Array>, onText: (c: Uint8Array) => void): Promise<string | null> {
  const child = spawn('tcpdump', ['-qns', '0', '-r', '-'], { env: { ...process.env, TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let spawnError: Error | null = null;
  child.once('error', (err) => { spawnError = err; });
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => { stderr += d; });
  // tcpdump may stop reading early (a corrupt capture): its exit status says what happened.
  const fed = pipeline(Readable.from(copies(chunks)), child.stdin).catch(() => undefined);
  let printed = 0;
  for await (const out of child.stdout as AsyncIterable<Uint8Array>) { printed += out.length; onText(out); }
  const [code] = await Promise.all([closed, fed]);
  if (spawnError !== null) {
    throw new CaptureError(input, `--compat needs tcpdump to read a capture (${(spawnError as Error).message}); give it tcpdump -qns 0 text instead`);
  }
  const complaint = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('reading from file')).join('; ');
  if (code === 0) return complaint || null;
  // A capture cut short (even before its first packet) is a warning, as openCapture makes it.
  if (printed === 0 && !/truncated/.test(complaint)) throw new CaptureError(input, `tcpdump failed (exit ${code}): ${complaint || 'no message'}`);
  return `tcpdump stopped early (exit ${code}): ${complaint || 'no message'}; kept the lines it printed`;
}

/** Each chunk copied: a writer may still hold one when the next is read into the same buffer. */
async function* copies(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) yield c.slice();
}

/**
 * The input's format, from a copy of its first SNIFF_BYTES (or all of a shorter input, whose
 * chunks may share a buffer); `all` yields every byte again from the start. Throws a
 * CaptureError naming `input` when it is empty or not a capture.
 */
async function sniff(input: string, chunks: AsyncIterable<Uint8Array>): Promise<{ format: CaptureFormat; all: AsyncIterable<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head = new Uint8Array(0), done = false;
  while (head.length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) { done = true; break; }
    const grown = new Uint8Array(head.length + next.value.length);
    grown.set(head); grown.set(next.value, head.length);
    head = grown;
  }
  if (head.length === 0) throw new CaptureError(input, 'empty input');
  const format = detectCaptureFormat(head);
  if (format === null) throw new CaptureError(input, `not a capture or tcpdump text (first bytes ${hexPreview(head)})`);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    while (!done) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { format, all: all() };
}

async function* counted(chunks: AsyncIterable<Uint8Array | string>, progress: Progress): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const c of chunks) {
    const chunk = typeof c === 'string' ? new TextEncoder().encode(c) : c;
    bytes += chunk.length;
    progress.update(bytes);
    yield chunk;
  }
}

/** A progress bar on stderr (bytes read / size), shown only on a terminal once a second has passed. */
class Progress {
  private readonly started = Date.now();
  private drawnAt = 0;
  private shown = false;

  constructor(private readonly label: string, private readonly total: number | null) {}

  update(bytes: number): void {
    if (this.total === null || !process.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.started < PROGRESS_AFTER_MS || now - this.drawnAt < PROGRESS_EVERY_MS) return;
    this.drawnAt = now;
    this.shown = true;
    const fraction = Math.min(1, bytes / this.total);
    const width = Math.max(10, Math.min(40, (process.stderr.columns ?? 80) - this.label.length - 40));
    const filled = Math.round(fraction * width);
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    process.stderr.write(`\r\x1b[Knetshade: ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}% ${mb(bytes)}/${mb(this.total)} MB`);
  }

  /** Clears the bar, if it was drawn. */
  finish(): void {
    if (this.shown) { process.stderr.write('\r\x1b[K'); this.shown = false; }
  }
}
