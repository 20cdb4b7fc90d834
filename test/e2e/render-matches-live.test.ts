// `netshade render` draws what the live view shows: the same capture with the same picture
// options, replayed with a window longer than the capture, gives a last live frame equal to the
// rendered PNG. Straight edges match pixel for pixel; bundled edges match up to the order in
// which the live view's two bundling threads add up the density grid (float sums), so there the
// host dots match pixel for pixel and the lit pixels' layout matches block by block.
import { it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { describeData, dataPath } from '../helpers/data.js';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { decodePng, type DecodedPng } from '../server/export/decode-png.js';
import { readFrameHeader, FRAME_HEADER_BYTES } from '../../shared/protocol.js';

const CAPTURE = 'ndpi-gnutella.pcap';
const SIZE = 400;
const work = mkdtempSync(join(tmpdir(), 'netshade-render-live-'));

/** The time of the capture's last packet, seconds, read off tcpdump's text of it (`HH:MM:SS.ffffff`, counted from 0). */
function lastPacketTime(): number {
  const lines = readFileSync(dataPath('tcpdump', `${CAPTURE}.txt`), 'utf8').trimEnd().split('\n');
  const [h, m, s] = lines[lines.length - 1].split(' ')[0].split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** The first frame the server sends whose newest packet is at capture time `t` (to the microsecond), as a PNG. */
function frameAt(url: string, t: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
    const timer = setTimeout(() => { ws.close(); reject(new Error(`no frame at capture time ${t} within 60 s`)); }, 60_000);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const bytes = new Uint8Array(data as Buffer);
      if (Math.abs(readFrameHeader(bytes).captureTime - t) > 5e-7) return;
      clearTimeout(timer);
      ws.close();
      resolve(bytes.subarray(FRAME_HEADER_BYTES));
    });
    ws.on('error', reject);
  });
}

/** Pixel i's red, green and blue. */
const rgbAt = (img: DecodedPng, i: number) => { const o = img.channels * i; return [img.pixels[o], img.pixels[o + 1], img.pixels[o + 2]]; };
const isRed = (img: DecodedPng, i: number) => { const [r, g, b] = rgbAt(img, i); return r === 255 && g === 0 && b === 0; };
const brightness = (img: DecodedPng, i: number) => { const [r, g, b] = rgbAt(img, i); return r + g + b; };

/** Pearson correlation of the two pictures' brightness summed over `block` x `block` squares. */
function blockCorrelation(a: DecodedPng, b: DecodedPng, block: number): number {
  const n = Math.ceil(a.width / block), m = Math.ceil(a.height / block);
  const sa = new Float64Array(n * m), sb = new Float64Array(n * m);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const k = Math.floor(y / block) * n + Math.floor(x / block);
      sa[k] += brightness(a, y * a.width + x);
      sb[k] += brightness(b, y * a.width + x);
    }
  }
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(sa), mb = mean(sb);
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < sa.length; k++) { ab += (sa[k] - ma) * (sb[k] - mb); aa += (sa[k] - ma) ** 2; bb += (sb[k] - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
}

describeData('render and the live view draw the same picture', () => {
  let server: RunningServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  async function both(options: string[], name: string): Promise<{ rendered: DecodedPng; live: DecodedPng }> {
    const out = join(work, `${name}.png`);
    const r = runCli(['render', dataPath('pcap', CAPTURE), '-o', out, '--size', String(SIZE), ...options]);
    expect(r.status, r.stderr).toBe(0);
    // A window far longer than the capture (600 s) keeps every packet in the live graph.
    server = await startServer(['replay', dataPath('pcap', CAPTURE), '--speed', 'max', '--window', '100000', '--size', String(SIZE), ...options]);
    const live = decodePng(await frameAt(server.url, lastPacketTime()));
    return { rendered: decodePng(readFileSync(out)), live };
  }

  it('straight edges (--no-bundle --layers): pixel for pixel', async () => {
    const { rendered, live } = await both(['--no-bundle', '--layers'], 'straight');
    expect([live.width, live.height]).toEqual([SIZE, SIZE]);
    let differ = 0, lit = 0;
    for (let i = 0; i < SIZE * SIZE; i++) {
      if (brightness(rendered, i) > 0) lit++;
      if (rgbAt(rendered, i).join() !== rgbAt(live, i).join()) differ++;
    }
    expect(lit).toBeGreaterThan(10_000);
    expect(differ).toBe(0);
  });

  it('bundled (--cmap viridis --how log): the same host dots, and the same bundles block by block', async () => {
    const { rendered, live } = await both(['--cmap', 'viridis', '--how', 'log'], 'bundled');
    let red = 0, redDiffer = 0;
    for (let i = 0; i < SIZE * SIZE; i++) {
      if (isRed(rendered, i)) red++;
      if (isRed(rendered, i) !== isRed(live, i)) redDiffer++;
    }
    expect(red).toBeGreaterThan(1000);
    expect(redDiffer).toBe(0);
    // Measured 0.994 at 8 px; against render's picture of the same capture drawn straight it is
    // 0.24, drawn as lines instead of points 0.96.
    expect(blockCorrelation(rendered, live, 8)).toBeGreaterThan(0.98);
  });
});
