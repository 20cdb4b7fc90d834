// tcpdump text parsed on every core: the text is cut into segments of whole lines, worker
// threads parse them side by side (server/sources/text-segment.ts), and the results are
// joined in text order, so records, host ids, times and counts are those of one pass.
// For long inputs (convert, the bench); a stream that must be paced is read by
// TcpdumpTextParser directly.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { HostTable } from '../../shared/graph/hosts.js';
import { emptySkipCounts, type PacketBatch, type SkipCounts } from '../../shared/records.js';
import { startWorker } from '../pipeline/worker-thread.js';
import { SegmentJoiner, type TextSegment, type TextSegmentJob } from './text-segment.js';

/** Bytes a segment holds at least (it ends at the first line end after): a few milliseconds of parsing. */
export const SEGMENT_BYTES = 2 << 20;
/** Segments in flight per worker: one parsing, one queued. */
const QUEUED_PER_WORKER = 2;

export interface TextTotals {
  /** Non-empty lines, packets and skip counts, as TcpdumpTextParser counts them. */
  lines: number;
  packets: number;
  skipped: SkipCounts;
}

/** A segment sent to worker `source`, in text order. */
interface InFlight { source: number; segment: Promise<TextSegment> }

/** A worker and the segments it was given, answered in order. */
interface ParseWorker {
  worker: Worker;
  waiting: { resolve: (s: TextSegment) => void; reject: (e: Error) => void }[];
}

export class TextParsePool {
  private workers: ParseWorker[] = [];
  private spare: ArrayBuffer[] = [];

  constructor(readonly workerCount = availableParallelism()) {
    if (!Number.isInteger(workerCount) || workerCount < 1) throw new RangeError(`workerCount must be a positive integer, got ${workerCount}`);
  }

  /**
   * Parses all of `chunks` (text in pieces cut anywhere; each piece is copied before the next
   * is asked for) and hands the records to onBatch in text order, host ids from `hosts`.
   */
  async parse(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, hosts: HostTable, onBatch: (b: PacketBatch) => void): Promise<TextTotals> {
    this.start();
    const inFlight: InFlight[] = [];
    // Idle workers do not keep the process alive; busy ones must, or it would exit mid-parse.
    for (const w of this.workers) w.worker.ref();
    try {
      return await this.feedAll(chunks, new SegmentJoiner(hosts, emptySkipCounts()), onBatch, inFlight);
    } finally {
      for (const w of this.workers) w.worker.unref();
      // After a failure, segments still out settle unobserved.
      for (const f of inFlight) f.segment.catch(() => undefined);
    }
  }

  private async feedAll(
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, joiner: SegmentJoiner, onBatch: (b: PacketBatch) => void,
    inFlight: InFlight[],
  ): Promise<TextTotals> {
    // Each worker starts this parse with hosts of its own, as the joiner does.
    const fresh = this.workers.map(() => true);
    let next = 0;
    const receive = async (): Promise<void> => {
      const { source, segment } = inFlight.shift()!;
      const s = await segment;
      onBatch(joiner.join(s, source));
      this.spare.push(s.text.buffer as ArrayBuffer);
    };
    const send = async (text: Uint8Array): Promise<void> => {
      if (inFlight.length >= QUEUED_PER_WORKER * this.workers.length) await receive();
      inFlight.push({ source: next, segment: this.run(this.workers[next], { text, fresh: fresh[next] }) });
      fresh[next] = false;
      next = (next + 1) % this.workers.length;
    };
    let segment = this.buffer(SEGMENT_BYTES * 2), used = 0;
    for await (const chunk of chunks) {
      if (used + chunk.length > segment.length) {
        const grown = this.buffer(Math.max(used + chunk.length, SEGMENT_BYTES * 2));
        grown.set(segment.subarray(0, used));
        segment = grown;
      }
      segment.set(chunk, used);
      used += chunk.length;
      if (used < SEGMENT_BYTES) continue;
      const cut = segment.lastIndexOf(10, used - 1) + 1;
      if (cut === 0) continue; // one line longer than a segment: wait for its end
      const rest = this.buffer(Math.max(SEGMENT_BYTES * 2, used - cut));
      rest.set(segment.subarray(cut, used));
      await send(segment.subarray(0, cut));
      segment = rest; used -= cut;
    }
    if (used > 0) await send(segment.subarray(0, used));
    while (inFlight.length > 0) await receive();
    return { lines: joiner.lines, packets: joiner.packets, skipped: joiner.skipped };
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.worker.terminate()));
    for (const w of workers) for (const p of w.waiting) p.reject(new Error('text parse pool closed'));
  }

  private start(): void {
    while (this.workers.length < this.workerCount) {
      const w: ParseWorker = { worker: startWorker('text-parse-worker'), waiting: [] };
      w.worker.on('message', (s: TextSegment) => w.waiting.shift()?.resolve(s));
      w.worker.on('error', (err) => { for (const p of w.waiting.splice(0)) p.reject(err); });
      w.worker.unref();
      this.workers.push(w);
    }
  }

  private run(w: ParseWorker, job: TextSegmentJob): Promise<TextSegment> {
    return new Promise((resolve, reject) => {
      w.waiting.push({ resolve, reject });
      // A subarray's whole buffer goes over; the worker sees just the segment's bytes.
      w.worker.postMessage(job, [job.text.buffer as ArrayBuffer]);
    });
  }

  /** A buffer of at least `bytes`, reusing one a segment came back in. */
  private buffer(bytes: number): Uint8Array {
    const spare = this.spare.pop();
    return spare !== undefined && spare.byteLength >= bytes ? new Uint8Array(spare) : new Uint8Array(bytes);
  }
}
