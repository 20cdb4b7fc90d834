// Messages between the pipeline and the picture worker (structured-clone + transfer).
import type { GraphPictureInput, RasterOptions } from './graph-picture.js';

/**
 * One graph, drawn once per entry of `views` (each as { ...input, ...view }): the hosts are
 * placed and the edges bundled once for all of them.
 */
export interface PictureJob {
  seq: number;
  input: GraphPictureInput;
  views: RasterOptions[];
  /**
   * Optional reuse of placing and bundling: the worker keeps a painter per `painter` name (its
   * force layout and buffers), and a job whose `stamp` is its painter's last one reuses that
   * job's placing and bundling. The caller gives equal stamps only to equal graphs.
   */
  reuse?: { painter: string; stamp: string };
}

export interface PictureFrameResult {
  /** Encoded PNG of the frame. */
  png: Uint8Array;
  width: number;
  height: number;
  renderMs: number;
  encodeMs: number;
}

export interface PictureResult {
  seq: number;
  /** One per view of the job, in its order. */
  frames: PictureFrameResult[];
  /** Placing and bundling, once for all the frames (0 when reused). */
  bundleMs: number;
  /** The hosts the frames draw, as a host positions message (shared/protocol.ts) of placing 0. */
  hostPositions: Uint8Array;
}

/** What the worker receives: a job, or a request to abandon the current job's bundling. */
export type PictureWorkerMessage = PictureJob | { cancel: true };

/** `cancelled`: the job was abandoned on request (PictureRenderer.cancel), not failed. */
export type PictureReply = { ok: true; result: PictureResult } | { ok: false; seq: number; error: string; cancelled: boolean };

/** The buffers of a job that can be moved to the worker instead of copied. */
export function jobTransferList(job: PictureJob): ArrayBuffer[] {
  const i = job.input;
  const arrays = [i.hostIds, i.edgeSource, i.edgeTarget, i.edgeWeight, i.activeHosts, i.edgeProto, i.highlightEdges];
  // A buffer listed twice cannot be transferred: each once.
  return [...new Set(arrays.filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer))];
}
