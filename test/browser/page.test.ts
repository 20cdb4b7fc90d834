// The main job end to end, as a person sees it: `netshade serve` (the demo) in real Chromium
// shows a bundled fire picture with red host dots and moving charts within 20 s, and the
// page reconnects by itself when the server comes back.
import { it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { REPO_ROOT } from '../helpers/data.js';

const OUT = join(REPO_ROOT, 'test-output');

function classify(png: Buffer) {
  const img = decodePngForTest(png);
  let fire = 0, red = 0, lit = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const r = img.rgb[3 * i], g = img.rgb[3 * i + 1], b = img.rgb[3 * i + 2];
    if (r + g + b > 30) lit++;
    if (r > 200 && g < 50 && b < 50) red++;
    else if (r > 60 && r >= g && g >= b) fire++;
  }
  return { fire, red, lit, pixels: img.width * img.height };
}

async function frames(page: Page): Promise<number> {
  return Number(await page.getAttribute('#picture', 'data-frames'));
}

describeBrowser('the analyst page on the demo traffic', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('shows a bundled picture and moving charts within 20 s, and reconnects', async () => {
    const started = Date.now();
    server = await startServer(['serve', '--size', '1000']);
    context = await launchChromium();
    const page = await context.newPage();
    await page.goto(server.url);
    await waitFor('a first frame on the page', async () => (await frames(page)) >= 1 || undefined, 20_000);
    const firstFrameSeconds = (Date.now() - started) / 1000;
    expect(firstFrameSeconds).toBeLessThan(20);
    expect(await page.isHidden('#waiting')).toBe(true);

    // Let the window fill a little so the picture is representative.
    await waitFor('a third frame', async () => (await frames(page)) >= 3 || undefined, 30_000);
    await page.waitForTimeout(500);
    const shot = await page.locator('#picture').screenshot();
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'page-picture.png'), shot);
    const pageShot = await page.screenshot();
    writeFileSync(join(OUT, 'page.png'), pageShot);
    if (process.env.UPDATE_DOCS) writeFileSync(join(REPO_ROOT, 'docs', 'analyst-page.png'), pageShot);
    const px = classify(shot);
    expect(px.fire).toBeGreaterThan(3000);
    expect(px.red).toBeGreaterThan(200);
    expect(px.lit).toBeLessThan(px.pixels * 0.6); // black background, not a blown-out picture

    // Counters and charts move.
    const packets1 = Number((await page.textContent('#c-packets'))!.replace(/,/g, ''));
    const chart1 = await page.locator('#chart-packets canvas').first().screenshot();
    await page.waitForTimeout(2500);
    const packets2 = Number((await page.textContent('#c-packets'))!.replace(/,/g, ''));
    const chart2 = await page.locator('#chart-packets canvas').first().screenshot();
    expect(packets1).toBeGreaterThan(0);
    expect(packets2).toBeGreaterThan(packets1);
    expect(Buffer.compare(chart1, chart2)).not.toBe(0);
    const chartPx = decodePngForTest(chart2);
    let stroke = 0;
    for (let i = 0; i < chartPx.width * chartPx.height; i++) {
      // Series strokes are bright (all #e8e6e3, tcp #ff8c1a, udp #4cc3ff ...); grid and axes are dim.
      if (Math.max(chartPx.rgb[3 * i], chartPx.rgb[3 * i + 1], chartPx.rgb[3 * i + 2]) > 180) stroke++;
    }
    expect(stroke).toBeGreaterThan(50);
    // Hosts (#ffb454) and edges (#4cc3ff) in the window, a point a second.
    const windowChart = decodePngForTest(await page.locator('#chart-window canvas').first().screenshot());
    let hostsLine = 0;
    for (let i = 0; i < windowChart.width * windowChart.height; i++) {
      const [r, g, b] = [windowChart.rgb[3 * i], windowChart.rgb[3 * i + 1], windowChart.rgb[3 * i + 2]];
      if (Math.abs(r - 255) + Math.abs(g - 180) + Math.abs(b - 84) < 40) hostsLine++;
    }
    expect(hostsLine).toBeGreaterThan(5);
    expect(await page.getAttribute('#link', 'data-state')).toBe('live');

    // Server goes away and comes back on the same port: the page reconnects by itself.
    const port = Number(new URL(server.url).port);
    await server.stop();
    await waitFor('the page to notice', async () => (await page.getAttribute('#link', 'data-state')) === 'reconnecting' || undefined, 10_000);
    const before = await frames(page);
    server = await startServer(['serve', '--size', '1000'], 30_000, port);
    await waitFor('frames after reconnecting', async () => (await frames(page)) > before || undefined, 30_000);
    expect(await page.getAttribute('#link', 'data-state')).toBe('live');
  });
});
