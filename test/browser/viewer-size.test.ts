// `--size viewer`: frames are drawn at the picture area's size in device pixels, and follow
// the window when it is resized.
import { it, expect, afterAll } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';

describeBrowser('frames at the viewer size', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('draws frames at the picture area size and follows a resize', async () => {
    server = await startServer(['serve', '--size', 'viewer', '--rebundle', '1']);
    context = await launchChromium({ width: 900, height: 600 });
    const page = await context.newPage();
    await page.goto(server.url);
    const area = async () => page.$eval('#view', (el) => `${el.clientWidth}x${el.clientHeight}`);
    const first = await area();
    await waitFor(`a ${first} frame`, async () => (await page.getAttribute('#picture', 'data-frame-size')) === first || undefined, 30_000);

    await page.setViewportSize({ width: 1100, height: 700 });
    const second = await area();
    expect(second).not.toBe(first);
    await waitFor(`a ${second} frame`, async () => (await page.getAttribute('#picture', 'data-frame-size')) === second || undefined, 30_000);
  });
});
