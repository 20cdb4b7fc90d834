// Host positions over /ws, through buildApp and real WebSockets, replaying a real capture with
// the whole of it in the window: a viewer whose hello asks for them gets a positions message
// naming every host of the capture at its place on the circle (worked out here from tcpdump's
// text), before the frames that name its placing; a viewer of other colours (the same graph)
// gets the same placing, and a change of colours, drawing the same hosts again, sends no new
// positions; a viewer that does not ask gets none.
import { afterAll, expect, it } from 'vitest';
import { hostPositionAddress, type Stats } from '../../../shared/protocol.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { waitFor } from '../../helpers/cli.js';
import { captureHosts } from '../../helpers/capture-hosts.js';
import { connectViewer, serveWs, wholeCapturePipeline, type WsServer } from '../../helpers/live-viewers.js';

const viewer = (url: string, hostPositions: boolean) => connectViewer(url, hostPositions ? { hostPositions: true } : {});

describeData('host positions over /ws', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const pipeline = wholeCapturePipeline(file, 200, 300);
  let server: WsServer | undefined;
  afterAll(async () => { await (server ? server.close() : pipeline.stop()); });

  it('sends each placing once to the viewers that ask, before the frames that name it', async () => {
    const expected = captureHosts(dataPath('tcpdump', 'ndpi-gnutella.pcap.txt'));
    server = await serveWs(pipeline, { statsIntervalMs: 200 });
    const { app, url, sockets } = server;
    const [page, other, wall] = [await viewer(url, true), await viewer(url, true), await viewer(url, false)];
    sockets.push(page.socket, other.socket, wall.socket);
    other.socket.send(JSON.stringify({ type: 'settings', settings: { cmap: 'viridis' } }));
    await waitFor('the capture read', () => (page.got.sourceDone ? true : undefined), 30_000, 50);
    const stats = (await app.inject('/api/stats')).json() as Stats;
    expect(stats.hosts).toBe(expected.addresses.length);
    const last = () => page.got.frames[page.got.frames.length - 1];
    // The frames after the capture ended: their placing has every host of it.
    const final = await waitFor('a frame of the whole capture', () => {
      const f = last();
      const p = f && page.got.positions.find((x) => x.placing === f.placing);
      return p && p.count === expected.addresses.length ? p : undefined;
    }, 30_000, 50);

    // Each frame follows the positions message it names, and each placing came once.
    for (const f of page.got.frames) {
      if (f.placing === 0) continue;
      expect(page.got.positions.slice(0, f.positionsBefore).some((p) => p.placing === f.placing)).toBe(true);
    }
    const placings = page.got.positions.map((p) => p.placing);
    expect(new Set(placings).size).toBe(placings.length);
    // Every host of the capture, in address order, on the circle by its rank (to 2^-32).
    expect(final.v4Count).toBe(expected.addresses.filter((a) => !a.includes(':')).length);
    for (let i = 0; i < final.count; i++) {
      const address = hostPositionAddress(final, i);
      expect(address).toBe(expected.addresses[i]);
      const [x, y] = expected.place(address);
      expect(Math.abs(final.x[i] - x)).toBeLessThan(1e-9);
      expect(Math.abs(final.y[i] - y)).toBeLessThan(1e-9);
    }
    // The viridis viewer's frames draw the same graph: the same placings, the very same bytes' worth.
    await waitFor('the other viewer at the last placing', () => (other.got.frames.some((f) => f.placing === final.placing) ? true : undefined), 30_000, 50);
    expect(other.got.positions.find((p) => p.placing === final.placing)).toEqual(final);
    expect(wall.got.positions).toEqual([]);
    expect(wall.got.frames.length).toBeGreaterThan(0);

    // New colours, the same hosts: a new frame of the same placing, no new positions message.
    const before = { frames: page.got.frames.length, positions: page.got.positions.length };
    page.socket.send(JSON.stringify({ type: 'settings', settings: { cmap: 'magma' } }));
    await waitFor('a magma frame', () => (page.got.frames.length > before.frames ? true : undefined), 30_000, 50);
    expect(last().placing).toBe(final.placing);
    expect(page.got.positions.length).toBe(before.positions);
  });
});
