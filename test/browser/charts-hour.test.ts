// The page's charts over an hour of capture: a generated tcpdump text of 70 minutes (one
// packet a second between two hosts, so every second has a point) replayed at 240x fills the
// charts' history to its hour, without a gap, within about 18 s; the bytes chart then draws its series across
// its whole width, and each one-a-second update (merge, uPlot redraw) is measured.
import { it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';

const SECONDS = 70 * 60;
const HOUR = 3600;

/** `tcpdump -qns 0` lines: at second s (from 00:00:00), 10.0.0.1.40000 > 10.0.0.2.80, tcp 100 + (s mod 50). */
function hourOfText(): string {
  const lines: string[] = [];
  const two = (n: number) => String(n).padStart(2, '0');
  for (let s = 0; s < SECONDS; s++) {
    const stamp = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.000000`;
    lines.push(`${stamp} IP 10.0.0.1.40000 > 10.0.0.2.80: tcp ${100 + (s % 50)}`);
  }
  return lines.join('\n') + '\n';
}

describeBrowser('the charts over an hour of history', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('hold an hour of points, drawn across the chart, updated once a second', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netshade-charts-hour-')), 'hour.txt');
    writeFileSync(file, hourOfText());
    // 240x: each stats message (its last five minutes) overlaps the one before by a minute.
    server = await startServer(['replay', file, '--speed', '240', '--size', '200']);
    context = await launchChromium({ width: 1400, height: 900 });
    const page = await context.newPage();
    await page.goto(server.url);
    const seconds = async () => Number(await page.getAttribute('#chart-bytes', 'data-seconds'));
    await waitFor('an hour of history on the charts', async () => ((await seconds()) >= HOUR ? true : undefined), 45_000, 250);
    expect(await seconds()).toBe(HOUR); // trimmed to the newest hour

    // The tcp bytes/s series (#ff8c1a, drawn over the total: all of it is tcp) runs from the left
    // quarter of the plot to the right one.
    const shot = decodePngForTest(await page.locator('#chart-bytes canvas').first().screenshot());
    const columns = new Set<number>();
    for (let y = 0; y < shot.height; y++) {
      for (let x = 0; x < shot.width; x++) {
        const i = y * shot.width + x;
        const [r, g, b] = [shot.rgb[3 * i], shot.rgb[3 * i + 1], shot.rgb[3 * i + 2]];
        if (Math.abs(r - 0xff) + Math.abs(g - 0x8c) + Math.abs(b - 0x1a) < 40) columns.add(x);
      }
    }
    const drawn = [...columns];
    expect(Math.min(...drawn)).toBeLessThan(shot.width * 0.25);
    expect(Math.max(...drawn)).toBeGreaterThan(shot.width * 0.75);

    // Updates at an hour of history: how long each took (merge, sort, four uPlot redraws).
    await page.waitForTimeout(3000);
    const updates = await page.evaluate(() => performance.getEntriesByName('netshade:charts').map((e) => e.duration));
    expect(updates.length).toBeGreaterThanOrEqual(10);
    const lastFew = updates.slice(-3).sort((a, b) => a - b);
    console.log(`[netshade tests] chart update with an hour of history: ${lastFew.map((d) => d.toFixed(1)).join(', ')} ms`);
  });
});
