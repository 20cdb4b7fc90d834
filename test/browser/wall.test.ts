// The wall display (/wall) in real Chromium: the picture fills a 4K screen at its own
// resolution, the clock and legend are large, and a banner says when the link is down.
import { it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { REPO_ROOT } from '../helpers/data.js';

describeBrowser('the wall display', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('fills a 3840x2160 screen with frames at that size, a large clock and legend, and a banner when the link drops', async () => {
    server = await startServer(['serve', '--size', 'viewer', '--rebundle', '1']);
    context = await launchChromium({ width: 3840, height: 2160 });
    const page = await context.newPage();
    await page.goto(`${server.url}/wall`);
    await waitFor('a 3840x2160 frame', async () => (await page.getAttribute('#picture', 'data-frame-size')) === '3840x2160' || undefined, 60_000);
    expect(await page.locator('button, input, select').count()).toBe(0);

    const clockPx = await page.$eval('#clock', (el) => parseFloat(getComputedStyle(el).fontSize));
    expect(clockPx).toBeGreaterThanOrEqual(100); // 6vh of 2160 px
    await waitFor('the capture clock', async () => /\d\d:\d\d:\d\d UTC/.test((await page.textContent('#clock')) ?? '') || undefined);
    expect(await page.isVisible('.legend')).toBe(true);
    expect(await page.isHidden('#banner')).toBe(true);

    const shot = await page.screenshot();
    mkdirSync(join(REPO_ROOT, 'test-output'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'test-output', 'wall-4k.png'), shot);
    if (process.env.UPDATE_DOCS) writeFileSync(join(REPO_ROOT, 'docs', 'wall-4k.png'), shot);
    const img = decodePngForTest(shot);
    let fire = 0, red = 0;
    for (let i = 0; i < img.width * img.height; i++) {
      const r = img.rgb[3 * i], g = img.rgb[3 * i + 1], b = img.rgb[3 * i + 2];
      if (r > 200 && g < 50 && b < 50) red++;
      else if (r > 60 && r >= g && g >= b) fire++;
    }
    expect(fire).toBeGreaterThan(20_000);
    expect(red).toBeGreaterThan(5_000);

    await server.stop();
    await waitFor('the link-down banner', async () => (await page.textContent('#banner'))?.includes('link to the server down') || undefined, 15_000);
    expect(await page.isVisible('#banner')).toBe(true);
  });
});
