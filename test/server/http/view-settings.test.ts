// Per-viewer settings end to end, through buildApp and real WebSockets: two viewers with
// different settings get different frames, each drawn with its own settings; a third with the
// first one's settings shares its render (the very same frame); a change shows in that viewer's
// next frame and no other's; a bad settings message closes the viewer that sent it.
import { afterAll, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, type ServerMessage, type ViewerSettings, type Stats } from '../../../shared/protocol.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { waitFor } from '../../helpers/cli.js';
import { decodePng } from '../export/decode-png.js';
import { askSettings, connectViewer, serveWs, wholeCapturePipeline, type ViewerLog, type WsServer } from '../../helpers/live-viewers.js';

type Received = ViewerLog;
const viewer = (url: string) => connectViewer(url, { viewport: { width: 300, height: 300 } });
const ask = askSettings;

/** The first frame after the last `view` message whose settings have the given fields. */
function frameOfView(got: Received, fields: Partial<ViewerSettings>) {
  return waitFor(`a frame drawn with ${JSON.stringify(fields)}`, () => {
    let index = got.views.length - 1;
    const matches = (v: Received['views'][number]) => Object.entries(fields).every(([k, value]) => JSON.stringify(v.settings[k as keyof ViewerSettings]) === JSON.stringify(value));
    while (index >= 0 && !matches(got.views[index])) index--;
    return index < 0 ? undefined : got.frames.find((f) => f.view === index);
  }, 30_000, 50);
}

describeData('per-viewer settings over /ws', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const pipeline = wholeCapturePipeline(file, 240, 500);
  let server: WsServer | undefined;
  afterAll(async () => { await (server ? server.close() : pipeline.stop()); });

  it('draws each viewer its own picture, shares equal settings, and keeps one viewer\'s changes from the others', async () => {
    server = await serveWs(pipeline);
    const { app, url, sockets } = server;
    // The whole capture in the graph (SOURCES.md: 3905 packets): from here on it stays as it is.
    await waitFor('the whole capture', () => (pipeline.sourceDone && pipeline.stats().packets === 3905 ? true : undefined));

    const a = await viewer(url), b = await viewer(url), plain = await viewer(url);
    sockets.push(a.socket, b.socket, plain.socket);
    const aSettings = { cmap: 'viridis', protocols: ['tcp'] } as const;
    ask(a.socket, { ...aSettings, protocols: [...aSettings.protocols] });
    ask(b.socket, { cmap: 'magma', protocols: ['udp'], how: 'linear' });
    const aFrame = await frameOfView(a.got, { cmap: 'viridis', protocols: ['tcp'] });
    const bFrame = await frameOfView(b.got, { cmap: 'magma', protocols: ['udp'], how: 'linear' });
    // The hello gives the server's settings; a viewer that asked for nothing is drawn with them.
    const defaults = (plain.got.hello as Extract<ServerMessage, { type: 'hello' }>).defaults;
    expect(defaults).toMatchObject({ windowSeconds: 1e9, protocols: ['tcp', 'udp', 'icmp', 'other'], cmap: 'fire', mode: 'lines', rebundleSeconds: 0.5, region: null });
    const plainFrame = await frameOfView(plain.got, { cmap: 'fire' });
    expect(plain.got.views.map((v) => v.settings)).toEqual([defaults]);

    const pixels = (f: { bytes: Buffer }) => decodePng(f.bytes.subarray(FRAME_HEADER_BYTES)).pixels;
    const [pa, pb, pp] = [pixels(aFrame), pixels(bFrame), pixels(plainFrame)];
    expect(Buffer.compare(Buffer.from(pa), Buffer.from(pb))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(pa), Buffer.from(pp))).not.toBe(0);
    // Only tcp edges in a's picture, only udp in b's: 130 and 483 of the capture's edges, so b lights more pixels.
    const lit = (p: Uint8Array) => { let n = 0; for (let i = 0; i < p.length; i += 3) if (p[i] + p[i + 1] + p[i + 2] > 0) n++; return n; };
    expect(lit(pb)).toBeGreaterThan(lit(pa));

    // A third viewer with a's settings gets a's frame: the same render, not a new one.
    const c = await viewer(url);
    sockets.push(c.socket);
    ask(c.socket, { protocols: ['tcp'], cmap: 'viridis' });
    const cFrame = await frameOfView(c.got, { cmap: 'viridis', protocols: ['tcp'] });
    expect(cFrame.seq).toBe(aFrame.seq);
    expect(Buffer.compare(cFrame.bytes, aFrame.bytes)).toBe(0);
    const stats = JSON.parse((await app.inject({ method: 'GET', url: '/api/stats' })).body) as Stats;
    expect(stats.views).toBe(3);
    expect(stats.viewers).toBe(4);

    // a changes its colours: its next frame has them, b and c get nothing new (the graph stands still).
    const bSeen = b.got.frames.length, cSeen = c.got.frames.length;
    ask(a.socket, { cmap: 'inferno' });
    const aNext = await frameOfView(a.got, { cmap: 'inferno', protocols: ['tcp'] });
    expect(aNext.seq).toBeGreaterThan(aFrame.seq);
    expect(Buffer.compare(Buffer.from(pixels(aNext)), Buffer.from(pa))).not.toBe(0);
    await new Promise((r) => setTimeout(r, 700));
    expect([b.got.frames.length, c.got.frames.length]).toEqual([bSeen, cSeen]);

    // A zoomed region: a frame of the same size, with fewer hosts (red dot pixels) in view.
    ask(c.socket, { region: { x0: 0.6, y0: 0.6, x1: 1.01, y1: 1.01 } });
    const zoomed = await frameOfView(c.got, { region: { x0: 0.6, y0: 0.6, x1: 1.01, y1: 1.01 } });
    const red = (p: Uint8Array) => { let n = 0; for (let i = 0; i < p.length; i += 3) if (p[i] === 255 && p[i + 1] === 0 && p[i + 2] === 0) n++; return n; };
    const z = decodePng(zoomed.bytes.subarray(FRAME_HEADER_BYTES));
    expect([z.width, z.height]).toEqual([240, 240]);
    expect(red(z.pixels)).toBeLessThan(red(pixels(cFrame)));

    // Settings outside the contract close the viewer that sent them, and only it.
    ask(b.socket, { topEdges: -1 });
    await waitFor('b closed', () => b.got.closed, 5000, 20);
    expect(b.got.closed).toBe(1008);
    expect(a.got.closed).toBeUndefined();
  });
});
