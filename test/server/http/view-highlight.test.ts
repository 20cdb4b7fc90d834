// A viewer's highlighted host and its own frame export, through buildApp and real WebSockets on a
// real capture: the host a viewer highlights has its edges and ring in the highlight colour in
// that viewer's frames only; a host not in the window highlights nothing; the `view` message names
// the viewer's view, and GET /api/export/frame.png?view=NAME returns the very PNG that viewer got,
// while the plain route returns the server's own view's.
import { afterAll, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, type TalkersReply } from '../../../shared/protocol.js';
import { HIGHLIGHT_COLOR } from '../../../shared/raster/picture.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { waitFor } from '../../helpers/cli.js';
import { countColour, decodePng } from '../export/decode-png.js';
import { askSettings, connectViewer, serveWs, wholeCapturePipeline, type ViewerLog, type WsServer } from '../../helpers/live-viewers.js';

type Received = ViewerLog;
const viewer = (url: string) => connectViewer(url);
const ask = askSettings;

/** The newest frame after a `view` message whose highlight is `highlight`, and that message. */
function frameHighlighting(got: Received, highlight: string | null) {
  return waitFor(`a frame highlighting ${highlight}`, () => {
    let index = got.views.length - 1;
    while (index >= 0 && got.views[index].settings.highlight !== highlight) index--;
    const frames = got.frames.filter((f) => f.view === index);
    return index < 0 || frames.length === 0 ? undefined : { frame: frames[frames.length - 1], view: got.views[index] };
  }, 30_000, 50);
}

const png = (f: { bytes: Buffer }) => f.bytes.subarray(FRAME_HEADER_BYTES);
/** Pixels of a PNG file exactly of the highlight colour. */
const highlightPixels = (file: Uint8Array) => countColour(file, HIGHLIGHT_COLOR);

describeData('a viewer\'s highlighted host and frame export', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const pipeline = wholeCapturePipeline(file, 240, 500);
  let server: WsServer | undefined;
  afterAll(async () => { await (server ? server.close() : pipeline.stop()); });

  it('highlights a host in its viewer\'s frames only, and exports each viewer\'s own frame', async () => {
    server = await serveWs(pipeline);
    const { app, url, sockets } = server;
    // The whole capture in the graph (SOURCES.md: 3905 packets): from here on it stays as it is.
    await waitFor('the whole capture', () => (pipeline.sourceDone && pipeline.stats().packets === 3905 ? true : undefined));
    const talkers = JSON.parse((await app.inject({ method: 'GET', url: '/api/talkers?top=1' })).body) as TalkersReply;
    const busiest = talkers.hosts[0].address;

    const a = await viewer(url), other = await viewer(url), unseen = await viewer(url);
    sockets.push(a.socket, other.socket, unseen.socket);
    const plain = await frameHighlighting(other.got, null);
    expect(highlightPixels(png(plain.frame))).toBe(0);

    ask(a.socket, { highlight: busiest });
    const lit = await frameHighlighting(a.got, busiest);
    // Its edges (a line to each of its peers) and the ring round its dot: far more than a few pixels.
    const litPixels = highlightPixels(png(lit.frame));
    expect(litPixels).toBeGreaterThan(200);
    expect(lit.view.view).not.toBe(plain.view.view);

    // A host never seen: a view of its own, drawn pixel for pixel as the plain one.
    ask(unseen.socket, { highlight: '203.0.113.77' });
    const none = await frameHighlighting(unseen.got, '203.0.113.77');
    expect(Buffer.compare(Buffer.from(decodePng(png(none.frame)).pixels), Buffer.from(decodePng(png(plain.frame)).pixels))).toBe(0);

    // The other viewer got nothing new, and its newest frame still has no highlight.
    await new Promise((r) => setTimeout(r, 700));
    expect(other.got.frames.filter((f) => f.view === other.got.views.length - 1).at(-1)!.bytes).toBe(plain.frame.bytes);

    // Export: ?view= gives the viewer's own frame as it received it, the plain route the server's.
    const exported = await app.inject({ method: 'GET', url: `/api/export/frame.png?view=${encodeURIComponent(lit.view.view)}` });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(exported.rawPayload, png(lit.frame))).toBe(0);
    const serverView = await app.inject({ method: 'GET', url: '/api/export/frame.png' });
    expect(serverView.statusCode).toBe(200);
    expect(Buffer.compare(serverView.rawPayload, png(plain.frame))).toBe(0);
    expect(highlightPixels(serverView.rawPayload)).toBe(0);
    const unknown = await app.inject({ method: 'GET', url: '/api/export/frame.png?view=nonsense' });
    expect([unknown.statusCode, unknown.json().error]).toEqual([404, 'Not Found']);
    const long = await app.inject({ method: 'GET', url: `/api/export/frame.png?view=${'x'.repeat(2001)}` });
    expect([long.statusCode, long.json().error]).toEqual([400, 'Bad Request']);

    // Highlight off: back to the server's view, its newest frame sent at once.
    ask(a.socket, { highlight: null });
    const off = await frameHighlighting(a.got, null);
    expect(off.view.view).toBe(plain.view.view);
    expect(highlightPixels(png(off.frame))).toBe(0);
    console.log(`[view-highlight] ${busiest}: ${litPixels} highlight pixels of ${240 * 240}; exported ${exported.rawPayload.byteLength} B`);
  });
});
