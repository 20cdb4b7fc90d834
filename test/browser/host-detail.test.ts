// Top talkers, host detail and host search on the analyst page, in real Chromium, replaying a
// real capture with the whole of it in the window.
import { it, expect, afterAll } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { dataPath, HAVE_DATA, REPO_ROOT } from '../helpers/data.js';

/** The host on the most bytes of tcpdump's text (the number ending each IP line), and its peers. */
function busiestHost(): { address: string; peers: Set<string> } {
  const total = new Map<string, number>(), peers = new Map<string, Set<string>>();
  for (const line of readFileSync(dataPath('tcpdump', 'ndpi-gnutella.pcap.txt'), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[1] !== 'IP') continue;
    const a = f[2].split('.').slice(0, 4).join('.'), b = f[4].slice(0, -1).split('.').slice(0, 4).join('.');
    const n = Number(/(?:tcp|length) (\d+)$/.exec(line)?.[1] ?? 0);
    for (const [h, o] of [[a, b], [b, a]]) {
      total.set(h, (total.get(h) ?? 0) + n);
      if (!peers.has(h)) peers.set(h, new Set());
      peers.get(h)!.add(o);
    }
  }
  const address = [...total].sort((x, y) => y[1] - x[1])[0][0];
  return { address, peers: peers.get(address)! };
}

(HAVE_DATA ? describeBrowser : describeBrowser.skip)('top talkers and host detail on the page', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('lists the busiest host first, opens its detail with a chart, and finds hosts by address', async () => {
    const busiest = busiestHost();
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', 'max', '--window', '100000', '--size', '600']);
    context = await launchChromium({ width: 1400, height: 1000 });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitFor('the talkers table', async () => (await page.locator('#talk-hosts tr').count()) >= 5 || undefined, 30_000);
    await waitFor('the whole capture', async () => (await page.textContent('#talk-hosts tr:first-child td.host')) === busiest.address || undefined, 30_000);
    expect(await page.locator('#talk-pairs tr').count()).toBeGreaterThan(3);

    // Charts per protocol (tcp orange, udp blue) and of new hosts.
    const colours = async (selector: string, targets: number[][]) => {
      const img = decodePngForTest(await page.locator(`${selector} canvas`).first().screenshot());
      const found = targets.map(() => 0);
      for (let i = 0; i < img.width * img.height; i++) {
        targets.forEach(([r, g, b], k) => {
          if (Math.abs(img.rgb[3 * i] - r) + Math.abs(img.rgb[3 * i + 1] - g) + Math.abs(img.rgb[3 * i + 2] - b) < 40) found[k]++;
        });
      }
      return found;
    };
    await waitFor('tcp and udp lines in the bytes chart', async () => ((await colours('#chart-bytes', [[255, 140, 26], [76, 195, 255]])).every((n) => n > 10) ? true : undefined));
    expect((await colours('#chart-new-hosts', [[225, 87, 89]]))[0]).toBeGreaterThan(10);

    await page.click('#talk-hosts tr:first-child td.host');
    await waitFor('the detail panel', async () => (await page.isVisible('#host-detail')) || undefined);
    await waitFor('its peers', async () => (await page.locator('#host-detail .peers tr').count()) > 0 || undefined);
    expect(await page.textContent('#host-detail .address')).toBe(busiest.address);
    const peers = await page.locator('#host-detail .peers td.host').allTextContents();
    for (const p of peers) expect(busiest.peers.has(p), p).toBe(true);
    const chart = decodePngForTest(await page.locator('#host-detail .series canvas').first().screenshot());
    let orange = 0;
    for (let i = 0; i < chart.width * chart.height; i++) if (chart.rgb[3 * i] > 200 && chart.rgb[3 * i + 1] > 100 && chart.rgb[3 * i + 1] < 180 && chart.rgb[3 * i + 2] < 80) orange++;
    expect(orange).toBeGreaterThan(20);
    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'test-output', 'host-detail.png'), await page.screenshot());

    // A peer's address typed into the search box opens that peer.
    await page.fill('#search-input', peers[0]);
    await page.click('#search button');
    await waitFor('the peer', async () => (await page.textContent('#host-detail .address')) === peers[0] || undefined);
    await page.fill('#search-input', 'not an address');
    await page.click('#search button');
    await waitFor('the complaint', async () => (await page.textContent('#search-message'))?.includes('not an IPv4 or IPv6 address') || undefined);
    // A block lists its hosts in the window; a click opens one.
    const block = busiest.address.split('.').slice(0, 3).join('.') + '.0/24';
    await page.fill('#search-input', block);
    await page.click('#search button');
    await waitFor('the block\'s hosts', async () => (await page.isVisible('#search-table')) || undefined);
    const found = await page.locator('#search-results td.host').allTextContents();
    expect(found).toContain(busiest.address);
    for (const a of found) expect(a.startsWith(block.slice(0, -4))).toBe(true);
    await page.locator('#search-results td.host', { hasText: busiest.address }).first().click();
    await waitFor('the busiest again', async () => (await page.textContent('#host-detail .address')) === busiest.address || undefined);

    await page.fill('#search-input', '203.0.113.99');
    await page.click('#search button');
    await waitFor('no traffic', async () => (await page.textContent('#search-message'))?.includes('no traffic to or from 203.0.113.99') || undefined);
    expect(await page.isHidden('#host-detail')).toBe(true);

    // The export links download the window's tables and the newest frame.
    const download = async (text: string, index = 0) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#export a', { hasText: text }).nth(index).click()]);
      return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
    };
    const csv = await download('CSV');
    expect(csv.name).toMatch(/^netshade-.*-edges\.csv$/);
    expect(csv.bytes.toString('utf8').split('\n')[0]).toBe('source,target,protocol,weight,packets');
    const frame = await download('frame PNG');
    expect(frame.name).toMatch(/^netshade-.*-frame\.png$/);
    expect(Array.from(frame.bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
