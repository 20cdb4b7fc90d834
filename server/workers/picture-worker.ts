// Worker thread entry: receives a PictureJob, draws and encodes it as a live frame's PNG
// (GraphPainter.paintFrame: palette indices, and an encoder that reads only the drawn pixels),
// posts the bytes back (transferred, not copied). Heavy work stays off the server's event loop.
import { parentPort } from 'node:worker_threads';
import { GraphPainter } from '../pipeline/graph-picture.js';
import { FramePngEncoder } from '../export/png.js';
import type { PictureJob, PictureReply } from '../pipeline/picture-job.js';

if (!parentPort) throw new Error('picture-worker must run in a worker thread');
const port = parentPort;
const painter = new GraphPainter();
const encoder = new FramePngEncoder();

port.on('message', (job: PictureJob) => {
  try {
    const frame = painter.paintFrame(job.input, encoder);
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
});
