// The pipeline draws views (sets of settings), at most MAX_VIEWS_PER_ROUND a round: beyond, the
// views that waited longest go first and the rest are drawn in the next round. A job whose
// graph nobody wants any more is abandoned.
import { afterAll, expect, it } from 'vitest';
import { LivePipeline, MAX_VIEWS_PER_ROUND, type Frame, type ViewSpec } from '../../../server/pipeline/live-pipeline.js';
import { applySettings, graphKey } from '../../../server/pipeline/view-settings.js';
import { PictureCancelled } from '../../../server/pipeline/picture-renderer.js';
import type { PictureJob, PictureResult } from '../../../server/pipeline/picture-job.js';
import { openCapture } from '../../../server/sources/open-capture.js';
import { ramps } from '../../../shared/colormaps/index.js';
import { SHADE_HOWS } from '../../../shared/raster/shade.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { waitFor } from '../../helpers/cli.js';

describeData('LivePipeline views', () => {
  const file = dataPath('pcap', 'ndpi-gnutella.pcap');
  const pipeline = new LivePipeline({
    source: { description: file, open: (hosts) => openCapture(file, hosts) },
    speed: 'max', loop: false, windowSeconds: 1e9, frameWidth: 96, frameHeight: 96,
    rebundleMs: 60_000, how: 'eq_hist', mode: 'lines', bundle: false,
  });
  afterAll(() => pipeline.stop());

  it('draws at most MAX_VIEWS_PER_ROUND views a round, the rest in the next, each once while the graph stands still', async () => {
    pipeline.start();
    await waitFor('the whole capture drawn', () => (pipeline.sourceDone && pipeline.latestFrame !== null ? true : undefined), 30_000);
    // Ten views of one graph (colours and shading differ), besides the server's own, drawn already.
    const specs: ViewSpec[] = Object.keys(ramps).flatMap((cmap) => SHADE_HOWS.slice(0, 2).map((how) => {
      const { key, settings } = applySettings(pipeline.serverSettings, { cmap: cmap as 'fire', how });
      return { key, settings, width: 64, height: 48 };
    })).filter((v) => v.key !== applySettings(pipeline.serverSettings, {}).key).slice(0, 10);
    expect(specs).toHaveLength(10);
    const frames: { frame: Frame; at: number }[] = [];
    pipeline.frames.subscribe((frame) => frames.push({ frame, at: performance.now() }));
    pipeline.setViews(specs);
    await waitFor('a frame of every view', () => (frames.length >= 10 ? true : undefined), 30_000, 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(MAX_VIEWS_PER_ROUND).toBe(8);
    // One round: the first eight views (one job, placed once), in order; the next round the other two.
    expect(frames.map((f) => f.frame.view)).toEqual(specs.map((v) => v.key));
    const firstRound = frames.slice(0, 8), secondRound = frames.slice(8);
    expect(firstRound[7].at - firstRound[0].at).toBeLessThan(secondRound[0].at - firstRound[7].at + 1);
    for (const [k, spec] of specs.entries()) expect(pipeline.latestFrameOf(spec.key)).toBe(frames[k].frame);
    expect(pipeline.stats().views).toBe(11);
  });

  it('abandons the job under way when no view draws its graph any more, without an error', async () => {
    // The worker replaced by one that holds each job until it is cancelled.
    const held: { job: PictureJob; reject: (e: Error) => void }[] = [];
    let cancels = 0;
    const stub = {
      render: (job: PictureJob) => new Promise<PictureResult>((_resolve, reject) => { held.push({ job, reject }); }),
      cancel: () => { cancels++; held.shift()?.reject(new PictureCancelled(0)); return true; },
      close: () => Promise.resolve(),
    };
    (pipeline as unknown as { renderer: typeof stub }).renderer = stub;
    const errors: Error[] = [];
    pipeline.errors.subscribe((e) => errors.push(e));
    const tcpOnly = applySettings(pipeline.serverSettings, { protocols: ['tcp'] });
    pipeline.setViews([{ key: tcpOnly.key, settings: tcpOnly.settings, width: 64, height: 48 }]);
    await waitFor('the tcp-only graph under way', () => (held.length > 0 ? true : undefined), 10_000, 20);
    expect(held[0].job.reuse?.painter).toBe(graphKey(tcpOnly.settings));
    expect(cancels).toBe(0);
    pipeline.setViews([]); // its viewer went: only the server's own view is left
    expect(cancels).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
  });
});
