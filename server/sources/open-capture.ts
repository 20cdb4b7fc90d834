// The I/O edge of the packet sources: opens a capture file (or '-' for stdin), recognises its
// format from the first bytes, and streams it in chunks through the matching parser as
// PacketBatch batches. Problems that stop a capture from being read at all throw a
// CaptureError naming the input; a capture cut short keeps its packets and reports a warning.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { HostTable } from '../../shared/graph/hosts.js';
import type { CaptureIndex } from './capture-index.js';
import { copyBatch, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { detectCaptureFormat, hexPreview, SNIFF_BYTES, type CaptureFormat } from './capture-format.js';
import { PcapReader, type PcapngSection } from './pcap-reader.js';
import { TcpdumpTextParser } from './tcpdump-text.js';

export class CaptureError extends Error {
  constructor(readonly input: string, readonly problem: string) {
    super(`netshade: ${input}: ${problem}`);
    this.name = 'CaptureError';
  }
}

export interface CaptureStats {
  packets: number;
  /** Text lines read (tcpdump text only). */
  lines?: number;
  skipped: SkipCounts;
  /** Set when the input ended early or turned corrupt: what, where, and how much was kept. */
  warning: string | null;
}

export interface CaptureSource {
  format: CaptureFormat;
  /** The packets, in order; iterate once. Each batch is the consumer's to keep. */
  batches(): AsyncIterable<PacketBatch>;
  stats(): CaptureStats;
  /** Releases the input without reading it (iterating batches() to the end closes it too). */
  close(): Promise<void>;
}

export interface OpenCaptureOptions {
  /** Rows per batch (default 4096). */
  batchCapacity?: number;
  /** Bytes read per chunk (default 256 KiB). */
  chunkSize?: number;
  /** Stream read for '-' (default process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /**
   * Read from this byte offset on (a file only): a record boundary after the pcap file header
   * (which is still read first), a pcapng block boundary (with startSection), or a line start.
   * Offsets come from a CaptureIndex made on an earlier pass.
   */
  startOffset?: number;
  /** Capture time of the row at startOffset, as read from the start: dateless text keeps its day count. */
  startTime?: number;
  /** For pcapng, the section state at startOffset (from the same CaptureIndex entry). */
  startSection?: PcapngSection;
  /** Records a seek index of this pass (reset first; only from the start). */
  index?: CaptureIndex;
}

const PCAP_HEADER_BYTES = 24;

const STDIN_NAME = 'stdin';

export async function openCapture(path: string, hosts: HostTable, opts: OpenCaptureOptions = {}): Promise<CaptureSource> {
  const batchCapacity = opts.batchCapacity ?? 4096;
  const chunkSize = opts.chunkSize ?? 256 * 1024;
  if (!Number.isInteger(batchCapacity) || batchCapacity <= 0) throw new RangeError(`batchCapacity must be a positive integer, got ${batchCapacity}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 64) throw new RangeError(`chunkSize must be an integer >= 64, got ${chunkSize}`);
  const { startOffset, startTime = 0, startSection, index } = opts;
  if (startOffset !== undefined) {
    if (!Number.isInteger(startOffset) || startOffset < 0) throw new RangeError(`startOffset must be a non-negative integer, got ${startOffset}`);
    if (path === '-') throw new RangeError('startOffset needs a file: stdin cannot be read from the middle');
    if (index !== undefined) throw new RangeError('index is made from the start of the file, so it cannot go with startOffset');
  }
  if (!Number.isFinite(startTime)) throw new RangeError(`startTime must be a finite number of seconds, got ${startTime}`);
  const input = path === '-' ? STDIN_NAME : path;
  const reader = path === '-' ? await stdinChunks(opts.stdin ?? process.stdin) : await fileChunks(path, chunkSize);
  const format = detectCaptureFormat(reader.head);
  if (format === null) {
    await reader.close();
    throw new CaptureError(input, `not a capture or tcpdump text (first bytes ${hexPreview(reader.head)})`);
  }
  const parser = format === 'tcpdump-text' ? new TcpdumpTextParser(hosts, batchCapacity) : new PcapReader(hosts, batchCapacity);
  if (startOffset !== undefined) {
    try {
      resumeParser(parser, reader.head, startOffset, startTime, startSection);
    } catch (err) {
      await reader.close();
      throw err;
    }
  }
  const indexing = index ?? null;
  indexing?.reset();
  let sectionVersion = -1;
  let warning: string | null = null;
  let iterated = false;

  async function* batches(): AsyncGenerator<PacketBatch> {
    if (iterated) throw new Error(`${input}: batches() can be iterated only once`);
    iterated = true;
    const ready: PacketBatch[] = [];
    // The parser reuses its batch, and one chunk can fill several: keep copies.
    const onBatch = (b: PacketBatch): void => {
      if (indexing) {
        if (parser instanceof PcapReader && parser.format === 'pcapng' && parser.sectionVersion !== sectionVersion) {
          indexing.sections.push(parser.section());
          sectionVersion = parser.sectionVersion;
        }
        indexing.noteRows(b.time, parser.rowOffsets, b.length, indexing.sections.length - 1);
      }
      ready.push(copyBatch(b));
    };
    try {
      for await (const chunk of reader.chunks(startOffset)) {
        parser.feed(chunk, onBatch);
        for (const b of ready.splice(0)) yield b;
      }
      if (parser instanceof PcapReader) {
        const end = parser.end(onBatch);
        if (end.problem !== null) {
          warning = new CaptureError(input, `${end.problem} at byte offset ${end.truncatedAt} (kept ${parser.packets} packets)`).message;
        }
      } else parser.end(onBatch);
      if (indexing) indexing.complete = true;
      for (const b of ready.splice(0)) yield b;
    } finally {
      await reader.close();
    }
  }

  return {
    format,
    batches,
    close: () => reader.close(),
    stats: () => ({
      packets: parser.packets,
      ...(parser instanceof TcpdumpTextParser ? { lines: parser.lines } : {}),
      skipped: parser.skipped,
      warning,
    }),
  };
}

interface ChunkReader {
  /** The first bytes (at least SNIFF_BYTES unless the input is shorter). */
  head: Uint8Array;
  /** Every byte of the input from the start, head included; or (files only) every byte from `from` on. */
  chunks(from?: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

async function fileChunks(path: string, chunkSize: number): Promise<ChunkReader> {
  let handle: FileHandle;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CaptureError(path, 'is a directory, not a capture file');
    if (!info.isFile() && !info.isFIFO() && !info.isCharacterDevice()) throw new CaptureError(path, 'is not a regular file');
    if (info.isFile() && info.size === 0) throw new CaptureError(path, 'empty file');
    handle = await open(path, 'r');
  } catch (err) {
    throw asCaptureError(path, err);
  }
  const buffer = new Uint8Array(Math.max(chunkSize, SNIFF_BYTES));
  let filled = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled >= SNIFF_BYTES) break;
    }
  } catch (err) {
    await handle.close();
    throw asCaptureError(path, err);
  }
  if (filled === 0) { await handle.close(); throw new CaptureError(path, 'empty file'); }
  const first = buffer.slice(0, filled);
  let closed = false;
  return {
    head: first,
    async *chunks(from?: number) {
      // Reads at explicit positions from `from`; otherwise on from where the head left off.
      let position: number | null = from ?? null;
      if (position === null) yield first;
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, buffer.length, position));
        } catch (err) {
          throw asCaptureError(path, err);
        }
        if (bytesRead === 0) return;
        if (position !== null) position += bytesRead;
        // The parsers copy what they carry over, so the read buffer can be reused.
        yield buffer.subarray(0, bytesRead);
      }
    },
    async close() {
      if (!closed) { closed = true; await handle.close(); }
    },
  };
}

async function stdinChunks(stream: AsyncIterable<Uint8Array | string>): Promise<ChunkReader> {
  const iterator = stream[Symbol.asyncIterator]();
  const early: Uint8Array[] = [];
  let size = 0, done = false;
  while (size < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) { done = true; break; }
    const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
    early.push(chunk); size += chunk.length;
  }
  if (size === 0) throw new CaptureError(STDIN_NAME, 'empty input');
  const head = new Uint8Array(size);
  let o = 0;
  for (const c of early) { head.set(c, o); o += c.length; }
  return {
    head,
    async *chunks() {
      yield head;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
      }
    },
    async close() {
      if (!done) { done = true; await iterator.return?.(); }
    },
  };
}

/**
 * Sets the parser up to read from `offset` on: a classic pcap gets its file header first, a
 * pcapng the section state at the offset.
 */
function resumeParser(parser: PcapReader | TcpdumpTextParser, head: Uint8Array, offset: number, time: number, section: PcapngSection | undefined): void {
  if (parser instanceof TcpdumpTextParser) { parser.resumeAt(offset, time); return; }
  if (detectCaptureFormat(head) === 'pcapng') {
    if (section === undefined) throw new RangeError('startOffset into a pcapng file needs its startSection (from the same index entry)');
    parser.resumeSection(offset, section, time);
    return;
  }
  parser.feed(head.subarray(0, Math.min(head.length, PCAP_HEADER_BYTES)), () => {});
  if (parser.format !== 'pcap') throw new RangeError(`startOffset works for pcap, pcapng and tcpdump text, not ${parser.format ?? 'this input'}`);
  if (offset < PCAP_HEADER_BYTES) throw new RangeError(`startOffset must be >= ${PCAP_HEADER_BYTES} (after the pcap file header), got ${offset}`);
  parser.resumeAt(offset);
}

function asCaptureError(path: string, err: unknown): CaptureError {
  if (err instanceof CaptureError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CaptureError(path, 'no such file');
  if (code === 'EISDIR') return new CaptureError(path, 'is a directory, not a capture file');
  if (code === 'EACCES' || code === 'EPERM') return new CaptureError(path, 'permission denied');
  return new CaptureError(path, `cannot read (${code ?? (err as Error).message})`);
}
