// A server listening beyond loopback, in real Chromium: without the token the page is refused;
// opened once with ?token=, the page, its files and its WebSocket work, and keep working on a
// plain reload (the cookie carries the token).
import { it, expect, afterAll } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';

const TOKEN = 'wall-display-token';

describeBrowser('the page behind a token', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('refuses the page without the token, shows frames with it, and after a plain reload', async () => {
    server = await startServer(['serve', '--host', '0.0.0.0', '--token', TOKEN, '--size', '600']);
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    context = await launchChromium({ width: 900, height: 700 });
    const page = await context.newPage();

    const refused = await page.goto(url);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('needs its token');

    await page.goto(`${url}/?token=${TOKEN}`);
    const frames = async () => Number(await page.getAttribute('#picture', 'data-frames'));
    await waitFor('a frame with the token', async () => (await frames()) >= 1 || undefined, 30_000);

    await page.goto(`${url}/`);
    await waitFor('a frame after a plain reload', async () => (await frames()) >= 1 || undefined, 30_000);
    // The demo's first frames can be a handful of hosts: wait for a picture with some traffic.
    const lit = async () => {
      const shot = decodePngForTest(await page.locator('#picture').screenshot());
      let n = 0;
      for (let i = 0; i < shot.width * shot.height; i++) if (shot.rgb[3 * i] > 60) n++;
      return n;
    };
    await waitFor('a picture with traffic', async () => ((await lit()) > 500 ? true : undefined), 30_000);
  });
});
