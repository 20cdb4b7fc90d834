// Hover and click on the live picture's hosts, in real Chromium, replaying a real capture with the
// whole of it in the window. Where a host's dot is drawn is worked out here (its rank by address
// among the capture's hosts, read from tcpdump's text, on the circle; the frame fitted into the
// canvas; when zoomed, the region the page asked for over its WebSocket): there the picture is red,
// hovering there shows that host's tooltip with the numbers /api/host gives, and a click opens
// its panel with its chart drawn and rings it green. While the panel is open, this page's frames
// draw the host's edges in green (and the frame export link gives that frame); closed, they go.
import { it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { countColour } from '../server/export/decode-png.js';
import { dataPath, HAVE_DATA, REPO_ROOT } from '../helpers/data.js';
import { captureHosts } from '../helpers/capture-hosts.js';
import type { HostDetailReply, Stats } from '../../shared/protocol.js';
import { HIGHLIGHT_COLOR } from '../../shared/raster/picture.js';
import type { PictureRegion } from '../../shared/raster/view-region.js';

const OUT = join(REPO_ROOT, 'test-output');
const FRAME = 600;
const TEXT = () => dataPath('tcpdump', 'ndpi-gnutella.pcap.txt');

/** The IPv4 host on the most bytes of tcpdump's text (the number ending each IP line). */
function busiestHost(): string {
  const total = new Map<string, number>();
  for (const line of readFileSync(TEXT(), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[1] !== 'IP') continue;
    const n = Number(/(?:tcp|length) (\d+)$/.exec(line)?.[1] ?? 0);
    for (const e of [f[2], f[4]]) {
      const h = e.split('.').slice(0, 4).join('.').replace(/:$/, '');
      total.set(h, (total.get(h) ?? 0) + n);
    }
  }
  return [...total].sort((x, y) => y[1] - x[1])[0][0];
}

/** Layout ranges of a square frame showing `region` (null: all of it): the region widened to a square about its centre. */
function rangesOf(region: PictureRegion | null): { x: [number, number]; y: [number, number] } {
  if (region === null) return { x: [-0.01, 1.01], y: [-0.01, 1.01] };
  const span = Math.max(region.x1 - region.x0, region.y1 - region.y0), mx = (region.x0 + region.x1) / 2, my = (region.y0 + region.y1) / 2;
  return { x: [mx - span / 2, mx + span / 2], y: [my - span / 2, my + span / 2] };
}

/** Where the page draws layout point (x, y): the square frame fitted and centred in the canvas (CSS pixels of the page). */
async function pagePoint(page: Page, region: PictureRegion | null, [x, y]: [number, number]): Promise<{ x: number; y: number }> {
  const box = (await page.locator('#picture').boundingBox())!;
  const side = Math.min(box.width, box.height);
  const r = rangesOf(region);
  return {
    x: box.x + (box.width - side) / 2 + ((x - r.x[0]) / (r.x[1] - r.x[0])) * side,
    y: box.y + (box.height - side) / 2 + ((r.y[1] - y) / (r.y[1] - r.y[0])) * side,
  };
}

/** Pixels of a page screenshot within `radius` of (x, y) matching `test`. */
function countNear(shot: Buffer, at: { x: number; y: number }, radius: number, test: (r: number, g: number, b: number) => boolean): number {
  const img = decodePngForTest(shot);
  let n = 0;
  for (let y = Math.floor(at.y - radius); y <= Math.ceil(at.y + radius); y++) {
    for (let x = Math.floor(at.x - radius); x <= Math.ceil(at.x + radius); x++) {
      if (Math.hypot(x + 0.5 - at.x, y + 0.5 - at.y) > radius) continue;
      const i = y * img.width + x;
      if (test(img.rgb[3 * i], img.rgb[3 * i + 1], img.rgb[3 * i + 2])) n++;
    }
  }
  return n;
}
const isRed = (r: number, g: number, b: number) => r > 200 && g < 60 && b < 60;
const isWhite = (r: number, g: number, b: number) => r > 220 && g > 220 && b > 220;
const isGreen = (r: number, g: number, b: number) => r < 120 && g > 200 && b < 100;

/** Pixels of a page screenshot inside `box` but farther than `radius` from (x, y) matching `test`. */
function countAway(shot: Buffer, box: { x: number; y: number; width: number; height: number }, at: { x: number; y: number }, radius: number, test: (r: number, g: number, b: number) => boolean): number {
  const img = decodePngForTest(shot);
  let n = 0;
  for (let y = Math.ceil(box.y); y < Math.floor(box.y + box.height); y++) {
    for (let x = Math.ceil(box.x); x < Math.floor(box.x + box.width); x++) {
      if (Math.hypot(x + 0.5 - at.x, y + 0.5 - at.y) <= radius) continue;
      const i = y * img.width + x;
      if (test(img.rgb[3 * i], img.rgb[3 * i + 1], img.rgb[3 * i + 2])) n++;
    }
  }
  return n;
}
/** Pixels of a PNG file exactly of the highlight colour. */
const highlightPixels = (file: Uint8Array) => countColour(file, HIGHLIGHT_COLOR);

const frames = async (page: Page) => Number(await page.getAttribute('#picture', 'data-frames'));

(HAVE_DATA ? describeBrowser : describeBrowser.skip)('hover and click on the picture\'s hosts', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('shows the tooltip of the host under the pointer and opens its panel on a click, whole and zoomed', async () => {
    const hosts = captureHosts(TEXT());
    const target = busiestHost();
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', 'max', '--window', '100000', '--size', String(FRAME), '--rebundle', '0.5']);
    const url = server.url;
    context = await launchChromium({ width: 1400, height: 1000 });
    const page = await context.newPage();
    // The regions the page asks for, as it sends them.
    const regions: (PictureRegion | null)[] = [];
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { type: string; settings?: { region?: PictureRegion | null } };
      if (m.type === 'settings' && m.settings?.region !== undefined) regions.push(m.settings.region);
    }));
    await page.goto(url);
    const stats = await waitFor('the whole capture read', async () => {
      const s = (await (await fetch(`${url}/api/stats`)).json()) as Stats;
      return s.sourceDone && s.hosts === hosts.addresses.length ? s : undefined;
    }, 30_000);
    expect(stats.hosts).toBe(hosts.addresses.length);
    // The last frame: none comes for a second (the graph no longer changes).
    let seen = -1;
    await waitFor('the last frame', async () => { const n = await frames(page); const still = n === seen && n > 0; seen = n; return still || undefined; }, 30_000, 1500);

    /** Hovers `address` at its dot (checking the picture is red there), checks its tooltip against /api/host, then clicks it. */
    const hoverAndClick = async (address: string, region: PictureRegion | null, shotName: string) => {
      const at = await pagePoint(page, region, hosts.place(address));
      const before = await page.screenshot();
      expect(countNear(before, at, 2, isRed), `red dot of ${address} at (${at.x.toFixed(1)}, ${at.y.toFixed(1)})`).toBeGreaterThan(0);
      await page.mouse.move(at.x + 1, at.y - 1);
      await waitFor(`the tooltip of ${address}`, async () => (await page.getAttribute('#host-tip', 'data-address')) === address || undefined, 10_000, 50);
      await waitFor('its numbers', async () => (await page.isVisible('#host-tip .tip-numbers')) || undefined, 10_000, 50);
      const api = (await (await fetch(`${url}/api/host/${encodeURIComponent(address)}?top=3`)).json()) as HostDetailReply;
      const text = (sel: string) => page.textContent(`#host-tip ${sel}`);
      expect(await text('.tip-address')).toBe(address);
      expect(await text('.tip-bytes-out')).toBe(api.bytesOut.toLocaleString('en-US'));
      expect(await text('.tip-bytes-in')).toBe(api.bytesIn.toLocaleString('en-US'));
      expect(await text('.tip-packets-out')).toBe(api.packetsOut.toLocaleString('en-US'));
      expect(await text('.tip-packets-in')).toBe(api.packetsIn.toLocaleString('en-US'));
      const names = (sel: string) => page.locator(`#host-tip ${sel} .tip-item`).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name));
      expect(await names('.tip-peers')).toEqual(api.peers.map((p) => p.address));
      expect(await names('.tip-local-ports')).toEqual(api.localPorts.map((p) => `${p.port}/${p.protocol}`));
      expect(await names('.tip-remote-ports')).toEqual(api.remotePorts.map((p) => `${p.port}/${p.protocol}`));
      expect(api.peers.length).toBeGreaterThan(0);
      // The hovered host is ringed in white on the overlay.
      const hovered = await page.screenshot();
      writeFileSync(join(OUT, `${shotName}.png`), hovered);
      expect(countNear(hovered, at, 9, isWhite)).toBeGreaterThan(10);

      await page.mouse.click(at.x + 1, at.y - 1);
      await waitFor(`the panel of ${address}`, async () => ((await page.isVisible('#host-detail')) && (await page.textContent('#host-detail .address')) === address) || undefined, 10_000, 50);
      await waitFor('its chart', async () => {
        const chart = decodePngForTest(await page.locator('#host-detail .series canvas').first().screenshot());
        let lines = 0;
        for (let i = 0; i < chart.width * chart.height; i++) {
          const [r, g, b] = [chart.rgb[3 * i], chart.rgb[3 * i + 1], chart.rgb[3 * i + 2]];
          if ((r > 200 && g > 100 && g < 180 && b < 80) || (r < 110 && g > 90 && g < 150 && b > 140)) lines++;
        }
        return lines > 20 || undefined;
      }, 10_000);
      // Selected: ringed in green; moving away leaves that ring and hides the tooltip.
      await page.mouse.move(at.x + 60, at.y + 200);
      await waitFor('the tooltip gone', async () => (await page.isHidden('#host-tip')) || undefined, 5_000, 50);
      const selected = await page.screenshot();
      writeFileSync(join(OUT, `${shotName}-selected.png`), selected);
      expect(countNear(selected, at, 9, isGreen)).toBeGreaterThan(10);
    };

    mkdirSync(OUT, { recursive: true });
    await hoverAndClick(target, null, 'host-hover');

    // The panel's host is highlighted in this page's own next frame: green edges far from its dot,
    // a line saying so, and the export link giving that very picture (the server's own has none).
    const box = (await page.locator('#picture').boundingBox())!;
    const dot = await pagePoint(page, null, hosts.place(target));
    const greenEdges = async () => countAway(await page.screenshot(), box, dot, 15, isGreen);
    const lit = await waitFor('green edges of the highlighted host', async () => { const n = await greenEdges(); return n > 500 ? n : undefined; }, 30_000, 200);
    writeFileSync(join(OUT, 'host-highlight.png'), await page.screenshot());
    expect(await page.textContent('#view-summary')).toContain(`highlighting ${target}`);
    const href = (await page.getAttribute('#export-frame', 'href'))!;
    expect(href).toMatch(/^\/api\/export\/frame\.png\?view=/);
    const own = Buffer.from(await (await fetch(url + href)).arrayBuffer());
    const servers = Buffer.from(await (await fetch(`${url}/api/export/frame.png`)).arrayBuffer());
    expect(highlightPixels(own)).toBeGreaterThan(500);
    expect(highlightPixels(servers)).toBe(0);
    // Closed: the next frame has no green edges, and no ring is left.
    await page.click('#host-detail .close');
    const gone = await waitFor('the highlight gone', async () => { const n = await greenEdges(); return n === 0 ? n : undefined; }, 30_000, 200);
    const closed = await page.screenshot();
    writeFileSync(join(OUT, 'host-highlight-closed.png'), closed);
    expect(countNear(closed, dot, 9, isGreen)).toBe(0);
    expect(await page.textContent('#view-summary')).not.toContain('highlighting');
    console.log(`[host-hover] ${target} highlighted: ${lit} green picture pixels on the page, ${highlightPixels(own)} in its exported ${FRAME}x${FRAME} frame; closed: ${gone}`);

    // Zoomed 4x about the target: the picture is drawn again for the region; a host three ranks on is hovered and clicked.
    const at = await pagePoint(page, null, hosts.place(target));
    await page.mouse.move(at.x, at.y);
    const shown = await frames(page);
    for (let k = 0; k < 4; k++) { await page.mouse.wheel(0, -115); await page.waitForTimeout(30); }
    await waitFor('the zoom asked', async () => Number(await page.getAttribute('#view-summary', 'data-zoom')) > 3 || undefined, 30_000);
    await waitFor('a frame of the region', async () => ((await frames(page)) > shown && (await page.getAttribute('#picture', 'data-preview')) === 'false') || undefined, 30_000);
    const region = regions[regions.length - 1];
    expect(region).not.toBeNull();
    const neighbour = hosts.addresses[hosts.rank.get(target)! + 3];
    await hoverAndClick(neighbour, region, 'host-hover-zoomed');
  });
});
