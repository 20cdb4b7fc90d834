// Live sources for the pipeline: a growing tcpdump text file (or stdin), a tcpdump netshade
// starts itself, and libpcap capture through cap. Each opens once (a live source cannot be
// read again) and is started, or checked, when it is made, so that a capture that cannot
// work fails before anything is served.
import { statSync, type Stats } from 'node:fs';
import { HostTable } from '../../shared/graph/hosts.js';
import { copyBatch, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import type { PipelineSource } from '../pipeline/live-pipeline.js';
import { detectCaptureFormat } from './capture-format.js';
import { FollowedFile } from './follow-file.js';
import { LiveCapture, type LiveCaptureOptions } from './live-capture.js';
import { CaptureError } from './open-capture.js';
import { TcpdumpProcess, type CaptureCounters, type TcpdumpOptions } from './tcpdump-process.js';
import { TcpdumpTextParser } from './tcpdump-text.js';

/** What a live source reports, beyond what every pipeline source does. */
export interface LiveSourceStats {
  packets: number;
  skipped: SkipCounts;
  warning: string | null;
  /** libpcap's counters where the source can read them (tcpdump, cap); absent for text. */
  capture?: CaptureCounters;
}

export interface LiveSource extends PipelineSource {
  open(hosts: HostTable): Promise<{ batches(): AsyncIterable<PacketBatch>; stats(): LiveSourceStats }>;
}

const LF = 10;
const NEWLINE = Uint8Array.of(LF);

export interface FollowSourceOptions {
  /** Stream read for '-' (default process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Fallback poll interval for the followed file (ms, default 250). */
  pollMs?: number;
  /** Told once when the file does not exist yet (following waits for it). */
  onMissing?: (path: string) => void;
}

/** Follows a growing tcpdump text file like `tail -F` (path '-': reads stdin until it ends). */
export function followFileSource(path: string, opts: FollowSourceOptions = {}): LiveSource {
  if (path !== '-') checkFollowable(path);
  const input = path === '-' ? 'stdin' : path;
  return {
    description: path === '-' ? 'stdin' : `following ${path}`,
    reopenable: false,
    open: once(input, async (hosts) => {
      const parser = new TcpdumpTextParser(hosts);
      let restarted = false;
      const file = path === '-' ? null : new FollowedFile(path, {
        pollMs: opts.pollMs,
        onRestart: () => { restarted = true; },
        onMissing: () => opts.onMissing?.(path),
      });
      const takeRestart = (): boolean => { const r = restarted; restarted = false; return r; };
      return {
        batches: () => textBatches(input, file ?? opts.stdin ?? process.stdin, parser, takeRestart),
        stats: () => ({
          packets: parser.packets, skipped: parser.skipped,
          warning: file?.missing ? `${path}: no such file yet (waiting for it)` : null,
        }),
      };
    }),
  };
}

/** A path that exists must be something that can grow; a missing one may appear later. */
function checkFollowable(path: string): void {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new CaptureError(path, code === 'EACCES' ? 'permission denied' : `cannot read (${code})`);
  }
  if (info.isDirectory()) throw new CaptureError(path, 'is a directory, not a tcpdump text file');
  if (!info.isFile()) throw new CaptureError(path, 'is not a regular file (to read a pipe, send it to --follow -)');
}

/** Starts tcpdump now (rejecting with its complaint when it cannot capture); its text is read on open. */
export async function tcpdumpSource(opts: TcpdumpOptions): Promise<LiveSource> {
  const proc = await TcpdumpProcess.start(opts);
  const filter = opts.filter ? ` ${opts.filter}` : '';
  return {
    description: `tcpdump -i ${opts.interface}${filter}`,
    reopenable: false,
    open: once('tcpdump', async (hosts) => {
      const parser = new TcpdumpTextParser(hosts);
      return {
        async *batches() {
          try {
            yield* textBatches('tcpdump', proc.stdout(), parser, () => false);
            // The source's end reports how tcpdump ended: wait for it.
            await proc.whenExited();
          } finally {
            proc.stop();
          }
        },
        stats: () => ({
          packets: parser.packets, skipped: parser.skipped, warning: proc.warning,
          ...(proc.counters ? { capture: { ...proc.counters } } : {}),
        }),
      };
    }),
  };
}

/** Checks now that the interface can be opened (throws a CaptureError saying what to do); captures on open. */
export function liveCaptureSource(opts: LiveCaptureOptions): LiveSource {
  new LiveCapture(opts, new HostTable()).close();
  const filter = opts.filter ? ` (${opts.filter})` : '';
  return {
    description: `live capture on ${opts.interface}${filter}`,
    reopenable: false,
    open: once(`interface ${opts.interface}`, async (hosts) => {
      const capture = new LiveCapture(opts, hosts);
      return { batches: () => capture.batches(), stats: () => capture.stats() };
    }),
  };
}

/**
 * tcpdump text as it arrives: every chunk's complete lines are handed on at once (a live
 * source cannot wait for a batch to fill); a partial line waits for its newline.
 */
async function* textBatches(
  input: string, chunks: AsyncIterable<Uint8Array | string>, parser: TcpdumpTextParser, takeRestart: () => boolean,
): AsyncGenerator<PacketBatch> {
  const ready: PacketBatch[] = [];
  // The parser reuses its batch: keep copies.
  const onBatch = (b: PacketBatch): void => { ready.push(copyBatch(b)); };
  let checked = false;
  for await (const piece of chunks) {
    const chunk = typeof piece === 'string' ? new TextEncoder().encode(piece) : piece;
    if (!checked && chunk.length > 0) {
      checked = true;
      const format = detectCaptureFormat(chunk);
      if (format === 'pcap' || format === 'pcapng') {
        throw new CaptureError(input, `is a ${format} capture: following reads tcpdump text (netshade replay reads ${format})`);
      }
    }
    // A file that was truncated or replaced: its last partial line ends here.
    if (takeRestart()) parser.feed(NEWLINE, onBatch);
    const cut = lastNewline(chunk) + 1;
    if (cut === 0) {
      parser.feed(chunk, onBatch);
    } else {
      parser.feed(chunk.subarray(0, cut), onBatch);
      // No partial line is carried now, so end() only flushes the records parsed so far.
      parser.end(onBatch);
      if (cut < chunk.length) parser.feed(chunk.subarray(cut), onBatch);
    }
    for (const b of ready.splice(0)) yield b;
  }
  parser.end(onBatch);
  for (const b of ready.splice(0)) yield b;
}

function lastNewline(b: Uint8Array): number {
  for (let i = b.length - 1; i >= 0; i--) if (b[i] === LF) return i;
  return -1;
}

/** A live source's open(): it can be read only once. */
function once<T>(input: string, open: (hosts: HostTable) => Promise<T>): (hosts: HostTable) => Promise<T> {
  let opened = false;
  return (hosts) => {
    if (opened) return Promise.reject(new CaptureError(input, 'a live source cannot be read again'));
    opened = true;
    return open(hosts);
  };
}
