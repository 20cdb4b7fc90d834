// The page's legend follows how the server draws: protocol layers with their ramps (tcp in the
// chosen colormap), active hosts, new edges and the highlighted host.
import { it, expect, afterAll } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { dataPath, HAVE_DATA } from '../helpers/data.js';

(HAVE_DATA ? describeBrowser : describeBrowser.skip)('the legend', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('lists the layers, dots and highlights in use, with the ramps the server shades with', async () => {
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', 'max', '--size', '600',
      '--layers', '--cmap', 'viridis', '--new-edges', '--highlight', '10.0.2.15']);
    context = await launchChromium();
    const page = await context.newPage();
    await page.goto(server.url);
    await waitFor('the legend', async () => (await page.locator('#legend .legend-item').count()) > 0 || undefined);
    expect(await page.locator('#legend .legend-item').allTextContents()).toEqual(['tcp', 'udp', 'icmp', 'other', 'active host', 'new in window', '10.0.2.15']);
    // The tcp swatch ends near viridis's top colour, #fde725 (a yellow; fire would end white).
    const swatch = decodePngForTest(await page.locator('#legend .legend-item:first-child .swatch').screenshot());
    const o = 3 * (Math.floor(swatch.height / 2) * swatch.width + swatch.width - 2);
    const [r, g, b] = [swatch.rgb[o], swatch.rgb[o + 1], swatch.rgb[o + 2]];
    expect(r).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(200);
    expect(b).toBeLessThan(100);
  });
});
