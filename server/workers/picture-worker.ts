// Worker thread entry: receives a PictureJob, draws and encodes its views as live frames' PNGs
// (GraphPainter.paintFramesWith: palette indices, and an encoder that reads only the drawn
// pixels), posts the bytes back (transferred, not copied). Bundling runs on two more threads
// (ParallelBundler). Heavy work stays off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadPriority } from './background-priority.js';
import { GraphPainter, PictureBufferPool, type EdgeBundler } from '../pipeline/graph-picture.js';
import { BundleCancelled, ParallelBundler } from '../pipeline/parallel-bundle.js';
import { FramePngEncoder } from '../export/png.js';
import type { PictureJob, PictureReply, PictureWorkerMessage } from '../pipeline/picture-job.js';
import { encodeHostPositions } from '../../shared/protocol.js';

if (!parentPort) throw new Error('picture-worker must run in a worker thread');
lowerThisThreadPriority();
const BUNDLE_THREADS = 2;
/**
 * Painters kept by name (each holds its force layout and its last placing and bundling), the
 * least recently used dropped beyond this: as many as the graphs the pipeline draws in a round.
 */
const MAX_PAINTERS = 8;
/** Raster buffer sets kept, by picture size, shared by the painters (a wall's set is hundreds of MB). */
const MAX_BUFFER_SETS = 2;
const port = parentPort;
const pool = new PictureBufferPool(MAX_BUFFER_SETS);
const painters = new Map<string, GraphPainter>();
const anonymous = new GraphPainter(pool);
const encoder = new FramePngEncoder();
/** Two bundling threads (the machines are 2-core); jobs come one at a time (PictureRenderer), as the bundler needs. */
const bundler = new ParallelBundler(BUNDLE_THREADS);
const edgeBundler: EdgeBundler = {
  bundle: (nodeXY, source, target, weights, warm) => bundler.bundle(nodeXY, source, target, weights, undefined, warm),
  release: (state) => bundler.release(state),
};

port.on('message', (message: PictureWorkerMessage) => {
  // A cancel abandons the job's bundling, if under way (its reply then says so); else nothing.
  if ('cancel' in message) bundler.cancel();
  else void paint(message);
});

function painterNamed(name: string): GraphPainter {
  let painter = painters.get(name);
  if (painter !== undefined) painters.delete(name);
  else painter = new GraphPainter(pool);
  painters.set(name, painter);
  for (const old of painters.keys()) {
    if (painters.size <= MAX_PAINTERS) break;
    painters.delete(old);
  }
  return painter;
}

async function paint(job: PictureJob): Promise<void> {
  try {
    const painter = job.reuse ? painterNamed(job.reuse.painter) : anonymous;
    const { frames, bundleMs, hosts } = await painter.paintFramesWith(job.input, job.views, encoder, edgeBundler, job.reuse?.stamp);
    const hostPositions = encodeHostPositions(0, hosts.ids, hosts.xy, job.input.hostFamily, job.input.hostWords);
    const transfer: ArrayBuffer[] = [hostPositions.buffer as ArrayBuffer];
    const reply: PictureReply = {
      ok: true,
      result: {
        seq: job.seq, bundleMs, hostPositions,
        frames: frames.map((frame) => {
          const { png } = frame;
          // A Buffer may share a pooled ArrayBuffer: transfer only a buffer the PNG owns whole.
          const bytes = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength
            ? new Uint8Array(png.buffer, 0, png.byteLength) : new Uint8Array(png);
          transfer.push(bytes.buffer as ArrayBuffer);
          return { png: bytes, width: frame.width, height: frame.height, renderMs: frame.renderMs, encodeMs: frame.encodeMs };
        }),
      },
    };
    port.postMessage(reply, transfer);
  } catch (err) {
    const reply: PictureReply = {
      ok: false, seq: job.seq, cancelled: err instanceof BundleCancelled,
      error: err instanceof Error ? err.stack ?? err.message : String(err),
    };
    port.postMessage(reply);
  }
}
