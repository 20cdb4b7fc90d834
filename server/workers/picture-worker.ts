// Worker thread entry: receives a PictureJob, draws it, encodes PNG, posts the bytes back
// (transferred, not copied). Heavy work stays off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { GraphPainter } from '../pipeline/graph-picture.js';
import { encodePng } from '../export/png.js';
import type { PictureJob, PictureReply } from '../pipeline/picture-job.js';

if (!parentPort) throw new Error('picture-worker must run in a worker thread');
const port = parentPort;
const painter = new GraphPainter();

port.on('message', (job: PictureJob) => {
  try {
    const picture = painter.paint(job.input);
    const t0 = performance.now();
    const png = encodePng(picture.rgba, picture.width, picture.height);
    const encodeMs = performance.now() - t0;
    // A Buffer may share a pooled ArrayBuffer: transfer only a buffer the PNG owns whole.
    const bytes = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength
      ? new Uint8Array(png.buffer, 0, png.byteLength) : new Uint8Array(png);
    const reply: PictureReply = {
      ok: true,
      result: {
        seq: job.seq, png: bytes, width: picture.width, height: picture.height,
        bundleMs: picture.bundleMs, renderMs: picture.renderMs, encodeMs,
      },
    };
    port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const reply: PictureReply = { ok: false, seq: job.seq, error: err instanceof Error ? err.stack ?? err.message : String(err) };
    port.postMessage(reply);
  }
});
