// Per-viewer picture settings and zoom in real Chromium: on two pages of one server, a colormap
// and protocol change on the first changes its picture and legend and not the second's; the
// wheel zooms the first about the pointer and its next frame is the region, drawn at full
// resolution (a stretch of the circle of hosts, dots no larger; the legend saying the zoom); a
// drag pans; a double click shows the whole picture again.
import { it, expect, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { decodePngForTest } from '../helpers/png-decode.js';
import { REPO_ROOT } from '../helpers/data.js';

const OUT = join(REPO_ROOT, 'test-output');

/**
 * Lit pixels by hue: fire's (red >= green >= blue), others (viridis is blue to green to yellow),
 * and the host dots' pure red, with the red pixels' extent (fractions of the image) and their
 * median run along a row (pixels: a dot's width where dots stand apart).
 */
function classify(png: Buffer) {
  const img = decodePngForTest(png);
  let fire = 0, other = 0, red = 0;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const runs: number[] = [];
  for (let y = 0; y < img.height; y++) {
    let run = 0;
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      const r = img.rgb[3 * i], g = img.rgb[3 * i + 1], b = img.rgb[3 * i + 2];
      const isRed = r > 200 && g < 50 && b < 50;
      if (isRed) {
        red++; run++;
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      } else {
        if (run > 0) runs.push(run);
        run = 0;
        if (r + g + b < 40) continue;
        if (r >= g && g >= b) fire++;
        else other++;
      }
    }
    if (run > 0) runs.push(run);
  }
  runs.sort((x, y) => x - y);
  return { fire, other, red, redWidth: (maxX - minX + 1) / img.width, redHeight: (maxY - minY + 1) / img.height, redRun: runs[runs.length >> 1] ?? 0 };
}

const frames = async (page: Page) => Number(await page.getAttribute('#picture', 'data-frames'));

/** Waits for a frame to arrive on `page` after the one it shows now, with no preview pending. */
async function nextFrame(page: Page, what: string): Promise<void> {
  const seen = await frames(page);
  await waitFor(what, async () => ((await frames(page)) > seen && (await page.getAttribute('#picture', 'data-preview')) === 'false') || undefined, 30_000);
}

describeBrowser('per-viewer settings and zoom on the analyst page', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('changes one page\'s picture, not another\'s, and zooms to a region drawn at full resolution', async () => {
    server = await startServer(['serve', '--size', '600', '--rebundle', '1']);
    context = await launchChromium({ width: 1300, height: 900 });
    const [one, two] = [await context.newPage(), await context.newPage()];
    for (const page of [one, two]) {
      await page.goto(server.url);
      await waitFor('a frame and the controls', async () => ((await frames(page)) >= 2 && (await page.inputValue('#v-cmap')) === 'fire') || undefined, 30_000);
    }
    expect(await one.textContent('#replay .scope')).toMatch(/all viewers/);
    expect(await one.textContent('#view-summary')).toMatch(/your picture: last 60 s · tcp udp icmp other · circular · points · edge count · every 1 s · whole picture/);

    // Page one: viridis, without udp.
    await one.selectOption('#v-cmap', 'viridis');
    await one.uncheck('input[data-proto="udp"]');
    await waitFor('page one drawn in viridis without udp', async () =>
      ((await one.textContent('#view-summary'))?.includes('tcp icmp other') && (await one.textContent('#legend'))?.includes('viridis')) || undefined, 30_000);
    await nextFrame(one, 'a viridis frame');
    await nextFrame(two, 'a frame on page two');
    mkdirSync(OUT, { recursive: true });
    const shotOne = await one.locator('#picture').screenshot();
    const shotTwo = await two.locator('#picture').screenshot();
    writeFileSync(join(OUT, 'view-settings-one.png'), shotOne);
    writeFileSync(join(OUT, 'view-settings-two.png'), shotTwo);
    const [a, b] = [classify(shotOne), classify(shotTwo)];
    expect(a.other).toBeGreaterThan(3 * a.fire);
    expect(b.fire).toBeGreaterThan(3 * b.other);
    expect(await two.inputValue('#v-cmap')).toBe('fire');
    expect(await two.textContent('#legend')).toMatch(/fire/);
    expect(await two.textContent('#view-summary')).toMatch(/tcp udp icmp other/);

    // A window longer than the server keeps (60 s) is drawn as 60 s, and the legend says so.
    await one.selectOption('#v-window', '600');
    await waitFor('the clamped window noted', async () => (await one.textContent('#view-summary .view-note'))?.includes('window 600 s asked: the server keeps 60 s') || undefined, 30_000);
    expect(await one.textContent('#view-summary .view-line')).toMatch(/last 60 s/);

    // Zoom page one 4x about the circle's right-hand rim: (1.0, 0.5) in layout coordinates.
    const box = (await one.locator('#picture').boundingBox())!;
    const side = Math.min(box.width, box.height);
    const rim = { x: box.x + box.width / 2 + ((1.0 - 0.5) / 1.02) * side, y: box.y + box.height / 2 };
    await one.mouse.move(rim.x, rim.y);
    for (let k = 0; k < 4; k++) { await one.mouse.wheel(0, -115); await one.waitForTimeout(30); }
    await waitFor('the zoom in the legend', async () => Number(await one.getAttribute('#view-summary', 'data-zoom')) > 3 || undefined, 30_000);
    await nextFrame(one, 'a frame of the zoomed region');
    const zoomed = await one.locator('#picture').screenshot();
    writeFileSync(join(OUT, 'view-settings-zoomed.png'), zoomed);
    writeFileSync(join(OUT, 'view-settings-page.png'), await one.screenshot());
    await one.locator('#view-summary').scrollIntoViewIfNeeded();
    writeFileSync(join(OUT, 'view-settings-legend.png'), await one.locator('aside').screenshot());
    expect(await one.getAttribute('#picture', 'data-frame-size')).toBe('600x600');
    const summary = (await one.textContent('#view-summary'))!;
    const [, zoom, x, y] = /zoom ([\d.]+)× at \(([\d.]+), ([\d.]+)\)/.exec(summary)!;
    expect(Number(zoom)).toBeGreaterThan(3);
    // Zoomed about the rim point, which stays under the pointer: the region's centre lies between it and the picture's.
    expect(Number(x)).toBeGreaterThan(0.8);
    expect(Number(x)).toBeLessThan(1.0);
    expect(Math.abs(Number(y) - 0.5)).toBeLessThan(0.02);
    // The whole circle of hosts spans most of the picture; 4x in, its rim runs top to bottom
    // nearly straight. At full resolution: dots as small as before (a scaled bitmap's would be
    // four times as wide), and fewer hosts in view, standing apart.
    const z = classify(zoomed);
    expect(a.redWidth).toBeGreaterThan(0.6);
    expect(z.redHeight).toBeGreaterThan(0.8);
    expect(z.redWidth).toBeLessThan(0.15);
    expect(z.redRun).toBeLessThanOrEqual(Math.max(a.redRun, 8));
    expect(await two.textContent('#view-summary')).toMatch(/whole picture/);

    // A drag pans: dragging the picture left moves the region right.
    await one.mouse.move(rim.x, rim.y);
    await one.mouse.down();
    await one.mouse.move(rim.x - 200, rim.y, { steps: 5 });
    await one.mouse.up();
    await waitFor('a panned region', async () => {
      const m = /at \(([\d.]+),/.exec((await one.textContent('#view-summary'))!);
      return m && Number(m[1]) > Number(x) + 0.03 ? true : undefined;
    }, 30_000);

    // A double click shows the whole picture again.
    await one.mouse.dblclick(rim.x, rim.y);
    await waitFor('the whole picture again', async () => (await one.textContent('#view-summary'))?.includes('whole picture') || undefined, 30_000);
    await nextFrame(one, 'a whole frame');
    expect(classify(await one.locator('#picture').screenshot()).redWidth).toBeGreaterThan(0.6);
  });
});
