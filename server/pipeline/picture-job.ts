// Messages between the pipeline and the picture worker (structured-clone + transfer).
import type { GraphPictureInput } from './graph-picture.js';

export interface PictureJob {
  seq: number;
  input: GraphPictureInput;
}

export interface PictureResult {
  seq: number;
  /** Encoded PNG of the frame. */
  png: Uint8Array;
  width: number;
  height: number;
  bundleMs: number;
  renderMs: number;
  encodeMs: number;
}

export type PictureReply = { ok: true; result: PictureResult } | { ok: false; seq: number; error: string };

/** The buffers of a job that can be moved to the worker instead of copied. */
export function jobTransferList(job: PictureJob): ArrayBuffer[] {
  const i = job.input;
  const arrays = [i.hostIds, i.edgeSource, i.edgeTarget, i.edgeWeight, i.activeHosts, i.edgeProto, i.highlightEdges];
  // A buffer listed twice cannot be transferred: each once.
  return [...new Set(arrays.filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer))];
}
