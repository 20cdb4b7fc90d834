// The end of a replay, and an empty window: a capture replayed at a finite speed without
// looping stops its clock at its last packet, so its last window (picture, talkers, host
// detail) stays; a host known from earlier passes but absent from an empty window has no
// detail (null), instead of an error.
import { afterAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LivePipeline } from '../../../server/pipeline/live-pipeline.js';
import { openCapture } from '../../../server/sources/open-capture.js';
import { dataPath, describeData } from '../../helpers/data.js';
import { waitFor } from '../../helpers/cli.js';

const FILE = 'ndpi-gnutella.pcap';

/** The last packet's time, from tcpdump's text of the capture (`HH:MM:SS.ffffff`, counted from 0). */
function lastPacketTime(): number {
  const lines = readFileSync(dataPath('tcpdump', `${FILE}.txt`), 'utf8').trimEnd().split('\n');
  const [h, m, s] = lines[lines.length - 1].split(' ')[0].split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

describeData('the end of a replay', () => {
  const file = dataPath('pcap', FILE);
  // 600 s of capture at 2000x: 0.3 s of wall time (idle gaps shortened besides).
  const pipeline = new LivePipeline({
    source: { description: file, open: (hosts) => openCapture(file, hosts) },
    speed: 2000, loop: false, windowSeconds: 60, frameWidth: 64, frameHeight: 64,
    rebundleMs: 60_000, how: 'eq_hist', mode: 'lines', bundle: false,
  });
  afterAll(() => pipeline.stop());

  it('keeps the last window once the capture is played: the clock stops at the last packet', async () => {
    pipeline.start();
    await waitFor('the end of the capture', () => (pipeline.sourceDone ? true : undefined), 30_000, 20);
    // At 2000x, 1.5 s of wall time would be 3000 s of capture: 50 windows.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stats = pipeline.stats();
    expect(stats.captureTime).toBeCloseTo(lastPacketTime(), 6);
    expect(stats.windowHosts).toBeGreaterThan(0);
    // 10.0.2.15 talks to almost every host of the capture, to the end.
    expect(pipeline.hostDetail('10.0.2.15', 3)).not.toBeNull();
  });

  it('gives no detail, and no error, for a known host when the window is empty', () => {
    const empty = new LivePipeline({
      source: { description: file, open: (hosts) => openCapture(file, hosts) },
      speed: 'max', loop: false, windowSeconds: 60, frameWidth: 64, frameHeight: 64,
      rebundleMs: 60_000, how: 'eq_hist', mode: 'lines', bundle: false,
    });
    // Known to the host table (as after a loop or seek starts a new window) but not in the graph.
    empty.hosts.internText('10.0.2.15');
    expect(empty.hostDetail('10.0.2.15', 3)).toBeNull();
  });
});
