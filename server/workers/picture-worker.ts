// Worker thread entry: receives a PictureJob, draws and encodes it as a live frame's PNG
// (GraphPainter.paintFrameWith: palette indices, and an encoder that reads only the drawn
// pixels), posts the bytes back (transferred, not copied). Bundling runs on two more threads
// (ParallelBundler). Heavy work stays off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { GraphPainter, type BundleFunction } from '../pipeline/graph-picture.js';
import { ParallelBundler } from '../pipeline/parallel-bundle.js';
import { FramePngEncoder } from '../export/png.js';
import type { PictureJob, PictureReply } from '../pipeline/picture-job.js';

if (!parentPort) throw new Error('picture-worker must run in a worker thread');
const BUNDLE_THREADS = 2;
const port = parentPort;
const painter = new GraphPainter();
const encoder = new FramePngEncoder();
/** Two bundling threads (the machines are 2-core); jobs come one at a time (PictureRenderer), as the bundler needs. */
const bundler = new ParallelBundler(BUNDLE_THREADS);
const bundle: BundleFunction = (nodeXY, source, target, weights) => bundler.bundle(nodeXY, source, target, weights);

port.on('message', (job: PictureJob) => void paint(job));

async function paint(job: PictureJob): Promise<void> {
  try {
    const frame = await painter.paintFrameWith(job.input, encoder, bundle);
    const { png } = frame;
    // A Buffer may share a pooled ArrayBuffer: transfer only a buffer the PNG owns whole.
    const bytes = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength
      ? new Uint8Array(png.buffer, 0, png.byteLength) : new Uint8Array(png);
    const reply: PictureReply = {
      ok: true,
      result: {
        seq: job.seq, png: bytes, width: frame.width, height: frame.height,
        bundleMs: frame.bundleMs, renderMs: frame.renderMs, encodeMs: frame.encodeMs,
      },
    };
    port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const reply: PictureReply = { ok: false, seq: job.seq, error: err instanceof Error ? err.stack ?? err.message : String(err) };
    port.postMessage(reply);
  }
}
