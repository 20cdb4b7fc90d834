// `netshade render` with the picture options, on a real capture: protocol layers in their
// ramps (tcp in the --cmap one), a force layout, the background colour, a highlighted host,
// and bad option values refused with usage.
import { it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeData, dataPath } from '../helpers/data.js';
import { runCli } from '../helpers/cli.js';
import { decodePngForTest, type DecodedPng } from '../helpers/png-decode.js';
import { LAYER_RAMPS, ramps } from '../../shared/colormaps/index.js';
import { HIGHLIGHT_COLOR } from '../../shared/raster/picture.js';
import type { ColorRamp } from '../../shared/colormaps/ramp.js';

const work = mkdtempSync(join(tmpdir(), 'netshade-render-options-'));
/** ndpi-gnutella.pcap: 521 hosts; edges 130 tcp, 483 udp, 9 icmp, 1 other; 10.0.2.15 talks to almost all. */
const CAPTURE = 'ndpi-gnutella.pcap';
const SIZE = 600;

/** Which ramp a colour lies on (within `tolerance`, summed over channels, of one of its stops, and nearer it than any other), or null. */
function rampOf(r: number, g: number, b: number, named: Record<string, ColorRamp>, tolerance = 6): string | null {
  let best: string | null = null, bestDistance = Infinity, secondDistance = Infinity;
  for (const [name, ramp] of Object.entries(named)) {
    let d = Infinity;
    for (let k = 0; k < ramp.size; k++) d = Math.min(d, Math.abs(ramp.rgb[3 * k] - r) + Math.abs(ramp.rgb[3 * k + 1] - g) + Math.abs(ramp.rgb[3 * k + 2] - b));
    if (d < bestDistance) { secondDistance = bestDistance; bestDistance = d; best = name; } else if (d < secondDistance) secondDistance = d;
  }
  return bestDistance <= tolerance && secondDistance > bestDistance ? best : null;
}

/** Pixels per kind: the background, red dots, the highlight colour, each ramp's colours, and the rest. */
function tally(img: DecodedPng, background: number[], named: Record<string, ColorRamp>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < img.width * img.height; i++) {
    const [r, g, b] = [img.rgb[3 * i], img.rgb[3 * i + 1], img.rgb[3 * i + 2]];
    const kind = r === background[0] && g === background[1] && b === background[2] ? 'background'
      : r === 255 && g === 0 && b === 0 ? 'red'
        : r === HIGHLIGHT_COLOR[0] && g === HIGHLIGHT_COLOR[1] && b === HIGHLIGHT_COLOR[2] ? 'highlight'
          : rampOf(r, g, b, named) ?? 'other';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

const LAYERS = { viridis: ramps.viridis, blues: LAYER_RAMPS.udp, greens: LAYER_RAMPS.icmp, greys: LAYER_RAMPS.other, fire: ramps.fire };

/** Red pixels at distance d from the centre, as a share of all red pixels, for d in [lo, hi) of the half side. */
function redShareAt(img: DecodedPng, lo: number, hi: number): number {
  let inBand = 0, all = 0;
  const half = img.width / 2;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      if (img.rgb[3 * i] !== 255 || img.rgb[3 * i + 1] !== 0 || img.rgb[3 * i + 2] !== 0) continue;
      all++;
      const d = Math.hypot(x + 0.5 - half, y + 0.5 - half) / half;
      if (d >= lo && d < hi) inBand++;
    }
  }
  return inBand / all;
}

function render(name: string, args: string[]): DecodedPng {
  const out = join(work, name);
  const r = runCli(['render', dataPath('pcap', CAPTURE), '-o', out, '--size', String(SIZE), ...args]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/3905 packets, 521 hosts, 623 edges/);
  const img = decodePngForTest(readFileSync(out));
  expect([img.width, img.height]).toEqual([SIZE, SIZE]);
  return img;
}

describeData('netshade render with picture options', () => {
  it('draws --layers --cmap viridis --layout force: each protocol in its ramp, hosts off the circle, on the background given', () => {
    const background = [0x10, 0x10, 0x30];
    const img = render('layers-force.png', ['--layers', '--cmap', 'viridis', '--layout', 'force', '--background', '#101030']);
    const corners = [[0, 0], [SIZE - 1, 0], [0, SIZE - 1], [SIZE - 1, SIZE - 1]];
    for (const [x, y] of corners) expect([...img.rgb.subarray(3 * (y * SIZE + x), 3 * (y * SIZE + x) + 3)], `corner (${x}, ${y})`).toEqual(background);
    const counts = tally(img, background, LAYERS);
    // udp carries most edges, so most edge pixels; tcp's layer (viridis, under udp's), icmp's
    // and other's show where their edges run clear of it; nothing is fire any more.
    expect(counts.blues).toBeGreaterThan(5000);
    expect(counts.viridis).toBeGreaterThan(200);
    expect(counts.greens).toBeGreaterThan(50);
    expect(counts.greys).toBeGreaterThan(10);
    expect(counts.blues).toBeGreaterThan(counts.viridis);
    expect(counts.fire ?? 0).toBe(0);
    expect(counts.red).toBeGreaterThan(521 * 5 * 0.5);
    expect(counts.background).toBeGreaterThan(SIZE * SIZE * 0.5);
    // Force-directed: the host dots are not on the ring the circular layout puts them on.
    const circle = render('circle.png', ['--cmap', 'viridis']);
    expect(redShareAt(circle, 0.9, 1.0)).toBeGreaterThan(0.9);
    expect(redShareAt(img, 0.9, 1.0)).toBeLessThan(0.2);
    // Without layers, every edge pixel is viridis.
    const single = tally(circle, [0, 0, 0], LAYERS);
    expect(single.viridis).toBeGreaterThan(5000);
    expect((single.blues ?? 0) + (single.greens ?? 0) + (single.greys ?? 0) + (single.fire ?? 0)).toBeLessThan(single.viridis * 0.01);
  });

  it('highlights a host with --highlight and sizes dots with --dots traffic', () => {
    const fixed = tally(render('fixed.png', ['--layout', 'random']), [0, 0, 0], LAYERS);
    const traffic = tally(render('traffic.png', ['--layout', 'random', '--dots', 'traffic', '--highlight', '10.0.2.15']), [0, 0, 0], LAYERS);
    // The hub's 614 edges and its ring are in the highlight colour; dots grow with traffic.
    expect(traffic.highlight).toBeGreaterThan(3000);
    expect(fixed.highlight ?? 0).toBe(0);
    expect(traffic.red).toBeGreaterThan(fixed.red * 1.5);
  });

  it('sums bytes with --sum bytes and draws antialiased lines with --antialias', () => {
    const lit = (img: DecodedPng): number => SIZE * SIZE - (tally(img, [0, 0, 0], LAYERS).background ?? 0);
    const edges = render('lines.png', ['--no-bundle', '--layout', 'random']);
    const bytes = render('bytes.png', ['--no-bundle', '--layout', 'random', '--sum', 'bytes']);
    const smooth = render('antialiased.png', ['--no-bundle', '--layout', 'random', '--antialias']);
    // Summing bytes shades the same lines by another measure: the same pixels lit (edges
    // without payload aside), other colours.
    expect(Buffer.compare(Buffer.from(bytes.rgb), Buffer.from(edges.rgb))).not.toBe(0);
    expect(lit(bytes)).toBeLessThanOrEqual(lit(edges));
    expect(lit(bytes)).toBeGreaterThan(0.5 * lit(edges));
    // Antialiasing spreads each line over the pixels either side of it.
    expect(lit(smooth)).toBeGreaterThan(1.3 * lit(edges));
  });

  it('refuses bad option values with usage', () => {
    for (const [args, message] of [
      [['--cmap', 'jet'], /--cmap must be one of fire, viridis/],
      [['--background', 'red'], /--background must be a colour as #rrggbb/],
      [['--layout', 'spring'], /--layout must be circular, force, random/],
      [['--dots', 'big'], /--dots must be fixed or traffic/],
      [['--highlight', 'host.example'], /--highlight must be an IPv4 or IPv6 address/],
      [['--bundle', '--no-bundle'], /contradict/],
      [['--sum', 'packets'], /--sum must be edges or bytes/],
      [['--antialias'], /--antialias draws lines: use it with --mode lines \(or --no-bundle\)/],
      [['--no-bundle', '--mode', 'points', '--antialias'], /--antialias draws lines: it does not go with --mode points/],
    ] as [string[], RegExp][]) {
      const r = runCli(['render', dataPath('pcap', CAPTURE), '-o', join(work, 'x.png'), ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const missing = runCli(['render', dataPath('pcap', CAPTURE), '-o', join(work, 'x.png'), '--size', '100', '--highlight', '192.0.2.1']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--highlight 192\.0\.2\.1: no such host in the capture/);
  });
});
