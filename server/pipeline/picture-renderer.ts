// Main-thread side of the picture worker: one worker thread, one job at a time.
// The caller decides what to drop (the pipeline uses exhaustMap: newest graph wins), and may
// abandon a job whose graph is no longer wanted (cancel).
import type { Worker } from 'node:worker_threads';
import { type PictureJob, type PictureReply, type PictureResult, type PictureWorkerMessage, jobTransferList } from './picture-job.js';
import { startWorker } from './worker-thread.js';

/** A job abandoned by PictureRenderer.cancel(). */
export class PictureCancelled extends Error {
  constructor(seq: number) {
    super(`picture job ${seq} abandoned: its graph is no longer wanted`);
    this.name = 'PictureCancelled';
  }
}

export class PictureRenderer {
  private worker: Worker | null = null;
  private pending: { seq: number; resolve: (r: PictureResult) => void; reject: (e: Error) => void } | null = null;

  render(job: PictureJob): Promise<PictureResult> {
    if (this.pending) return Promise.reject(new Error('picture worker is busy'));
    const worker = this.ensureWorker();
    return new Promise<PictureResult>((resolve, reject) => {
      this.pending = { seq: job.seq, resolve, reject };
      worker.postMessage(job, jobTransferList(job));
    });
  }

  /**
   * Asks the worker to abandon the job under way: while it is bundling, the bundling stops
   * within milliseconds and render() rejects with PictureCancelled; a job past its bundling
   * finishes. Returns whether a job was under way.
   */
  cancel(): boolean {
    if (this.pending === null || this.worker === null) return false;
    const message: PictureWorkerMessage = { cancel: true };
    this.worker.postMessage(message);
    return true;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.pending?.reject(new Error('picture worker closed'));
    this.pending = null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker('picture-worker');
    w.on('message', (reply: PictureReply) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (reply.ok) p.resolve(reply.result);
      else if (reply.cancelled) p.reject(new PictureCancelled(reply.seq));
      else p.reject(new Error(`picture worker failed on frame ${reply.seq}: ${reply.error}`));
    });
    w.on('error', (err) => {
      this.worker = null;
      this.pending?.reject(err);
      this.pending = null;
    });
    w.unref();
    this.worker = w;
    return w;
  }
}
