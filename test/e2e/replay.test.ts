// `netshade replay FILE --speed max` on real captures: the server serves PNG frames over /ws
// and /api/stats counts exactly the packets tcpdump prints for the file.
import { it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { describeData, dataPath } from '../helpers/data.js';
import { startServer, waitFor, type RunningServer } from '../helpers/cli.js';
import { readFrameHeader, FRAME_HEADER_BYTES } from '../../shared/protocol.js';
import { countColour } from '../server/export/decode-png.js';

/** Packets tcpdump printed: its -qns 0 text has one line per packet plus indented continuations. */
function tcpdumpPacketCount(file: string): number {
  const text = readFileSync(dataPath('tcpdump', `${file}.txt`), 'utf8');
  return text.split('\n').filter((line) => line.length > 0 && !/^\s/.test(line)).length;
}

function firstFrame(url: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
    const timer = setTimeout(() => { ws.close(); reject(new Error('no frame within 30 s')); }, 30_000);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      clearTimeout(timer);
      ws.close();
      resolve(new Uint8Array(data as Buffer));
    });
    ws.on('error', reject);
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describeData('netshade replay --speed max', () => {
  let server: RunningServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  for (const file of ['ndpi-gnutella.pcap', 'pcpp-tls2.pcap', 'suricata-decode-sll2-02.pcap', 'pcpp-example.pcap']) {
    it(`${file}: serves frames, and counts every packet tcpdump prints`, async () => {
      const expected = tcpdumpPacketCount(file);
      server = await startServer(['replay', dataPath('pcap', file), '--speed', 'max', '--size', '600']);
      const frame = await firstFrame(server.url);
      const header = readFrameHeader(frame);
      expect(header.width).toBe(600);
      expect(header.height).toBe(600);
      expect(Array.from(frame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 8))).toEqual(PNG_SIGNATURE);

      const stats = await waitFor('the capture to finish', async () => {
        const s = await (await fetch(`${server!.url}/api/stats`)).json() as Record<string, unknown>;
        return s.sourceDone ? s : undefined;
      });
      expect(stats.packets).toBe(expected);
      expect(stats.hosts).toBeGreaterThan(0);
      expect(stats.edges).toBeGreaterThan(0);
      expect(stats.framesSent).toBeGreaterThanOrEqual(1);
      for (const key of ['bytes', 'captureTime', 'skipped']) expect(stats).toHaveProperty(key);
    });
  }
});

describeData('tcpdumpPacketCount', () => {
  it('matches the packet column of SOURCES.md for a file with continuation lines', () => {
    // pcpp-many-protocols.pcap: 4709 packets, 4847 lines of which 138 are indented continuations.
    expect(tcpdumpPacketCount('pcpp-many-protocols.pcap')).toBe(4709);
  });
});

describeData('netshade replay with picture options', () => {
  let server: RunningServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  it('draws the live frames with them: --layers --cmap viridis --highlight ADDRESS', async () => {
    // 10.0.2.15 is the busiest host of ndpi-gnutella's text.
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', 'max', '--size', '600',
      '--layers', '--cmap', 'viridis', '--highlight', '10.0.2.15']);
    // HIGHLIGHT_COLOR, #39ff14, over black.
    const green = countColour((await firstFrame(server.url)).subarray(FRAME_HEADER_BYTES), [57, 255, 20]);
    expect(green).toBeGreaterThan(100);
  });

  it('draws edges new in the window in cyan with --new-edges', async () => {
    server = await startServer(['replay', dataPath('pcap', 'ndpi-gnutella.pcap'), '--speed', 'max', '--size', '600', '--new-edges']);
    // NEW_EDGE_COLOR, #00ffff: every edge of a first window is new.
    const cyan = countColour((await firstFrame(server.url)).subarray(FRAME_HEADER_BYTES), [0, 255, 255]);
    expect(cyan).toBeGreaterThan(20);
  });
});
