// Replay control through the HTTP API (buildApp + inject, no listening socket), on a real
// capture: pause, resume, speed, seek and loop act on the capture clock.
import { it, expect, afterAll } from 'vitest';
import { describeData, dataPath } from '../../helpers/data.js';
import { appOnCapture } from '../../helpers/app.js';
import { waitFor } from '../../helpers/cli.js';

// ndpi-gnutella.pcap per SOURCES.md (capinfos): first packet 1970-01-01 00:00:00.000022,
// last 00:10:00.247226, 3905 packets.
const FIRST = 0.000022, LAST = 600.247226;

describeData('replay control over HTTP', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const { pipeline, app: appReady, close } = appOnCapture(file, { speed: 1, windowSeconds: 60 });
  afterAll(close);

  const stats = async () => (await (await appReady).inject({ method: 'GET', url: '/api/stats' })).json();
  const command = async (body: unknown) => (await appReady).inject({ method: 'POST', url: '/api/replay', payload: body as object });

  it('pauses, resumes, changes speed, learns the capture range, seeks and loops', async () => {
    pipeline.start();
    await waitFor('first packets', async () => ((await stats()).packets > 0 ? true : undefined));

    let r = await command({ action: 'pause' });
    expect(r.statusCode).toBe(200);
    expect(r.json().paused).toBe(true);
    const held = (await stats()).packets;
    await new Promise((res) => setTimeout(res, 400));
    expect((await stats()).packets).toBe(held);

    r = await command({ action: 'resume' });
    expect(r.json().paused).toBe(false);
    r = await command({ action: 'speed', speed: 'max' });
    expect(r.json().speed).toBe('max');
    const done = await waitFor('the end of the capture', async () => { const s = await stats(); return s.sourceDone ? s : undefined; });
    expect(done.packets).toBe(3905);
    expect(done.replay.start).toBeCloseTo(FIRST, 6);
    expect(done.replay.end).toBeCloseTo(LAST, 6);

    // Seek into the middle: the window is rebuilt from the 60 s before the target.
    r = await command({ action: 'speed', speed: 1 });
    r = await command({ action: 'seek', time: 300 });
    expect(r.statusCode).toBe(200);
    const after = await waitFor('packets after the seek', async () => {
      const s = await stats();
      return !s.sourceDone && s.captureTime !== null && s.captureTime >= 299 ? s : undefined;
    });
    expect(after.captureTime).toBeLessThan(320);

    r = await command({ action: 'seek', time: LAST + 100 });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/outside the capture/);
    expect((await command({ action: 'seek' })).statusCode).toBe(400);
    expect((await command({ action: 'rewind' })).statusCode).toBe(400);
    expect((await command({ action: 'speed', speed: 0 })).statusCode).toBe(400);

    // Loop: at the end the capture starts again from its first packet.
    await command({ action: 'loop', loop: true });
    await command({ action: 'speed', speed: 'max' });
    await waitFor('a second pass', async () => {
      const s = await stats();
      return s.packets > 3905 + 100 && !s.sourceDone ? s : undefined;
    });
    expect((await stats()).replay.loop).toBe(true);
  });
});
