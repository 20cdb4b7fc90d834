// The page's replay controls in real Chromium: pause/resume, speed, seek and loop change the
// server's capture clock, and the page shows it.
import { it, expect, afterAll } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { describeBrowser, launchChromium } from '../helpers/browser.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { HAVE_DATA, dataPath } from '../helpers/data.js';

const describeBoth = HAVE_DATA ? describeBrowser : describeBrowser.skip;

describeBoth('replay controls on the page', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('pause, speed, seek and loop act on the replay', async () => {
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', '5', '--size', '300']);
    const stats = async () => (await fetch(`${server!.url}/api/stats`)).json() as Promise<{ packets: number; sourceDone: boolean; captureTime: number; replay: { paused: boolean; speed: number | string; loop: boolean; start: number | null; end: number | null } }>;
    context = await launchChromium({ width: 1200, height: 800 });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitFor('packets on the page', async () => Number((await page.textContent('#c-packets'))!.replace(/,/g, '')) > 0 || undefined);

    await page.click('#r-pause');
    await waitFor('the paused state', async () => (await page.textContent('#r-pause')) === 'resume' || undefined, 5000);
    expect((await stats()).replay.paused).toBe(true);
    const held = (await stats()).packets;
    await page.waitForTimeout(1200);
    expect((await stats()).packets).toBe(held);
    await page.click('#r-pause');
    await waitFor('resumed', async () => (await page.textContent('#r-pause')) === 'pause' || undefined, 5000);

    await page.selectOption('#r-speed', 'max');
    const done = await waitFor('the end of the capture', async () => { const s = await stats(); return s.sourceDone ? s : undefined; });
    expect(done.replay.speed).toBe('max');
    expect(done.replay.end).toBeGreaterThan(600);
    await waitFor('the seek slider to enable', async () => (await page.isEnabled('#r-seek')) || undefined, 5000);

    await page.selectOption('#r-speed', '1');
    await page.$eval('#r-seek', (el) => {
      const input = el as HTMLInputElement;
      input.value = '120';
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    });
    const sought = await waitFor('the clock at the seek target', async () => {
      const s = await stats();
      return !s.sourceDone && s.captureTime >= 119 && s.captureTime < 140 ? s : undefined;
    });
    expect(sought.replay.speed).toBe(1);
    await waitFor('the page clock to follow', async () => /^00:0[12]:/.test((await page.textContent('#r-position')) ?? '') || undefined, 5000);

    await page.check('#r-loop');
    await waitFor('loop on', async () => (await stats()).replay.loop || undefined, 5000);
  });
});

describeBoth('lines not graphed, by reason, on the page', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  afterAll(async () => { await context?.close(); await server?.stop(); });

  it('shows the continuation lines of a tcpdump text capture', async () => {
    // pcpp-many-protocols.pcap.txt: 138 indented continuation lines (SOURCES.md).
    server = await startServer(['replay', dataPath('tcpdump', 'pcpp-many-protocols.pcap.txt'), '--speed', 'max', '--size', '200']);
    context = await launchChromium({ width: 1000, height: 700 });
    const page = await context.newPage();
    await page.goto(server.url);
    const text = await waitFor('the reasons', async () => {
      const t = (await page.textContent('#skipped')) ?? '';
      return /continuation 138\b/.test(t) ? t : undefined;
    });
    expect(text).toMatch(/^not graphed: /);
  });
});
