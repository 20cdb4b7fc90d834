// The wall display (/wall): the newest picture full screen, no controls; the capture clock,
// current rates and a legend large enough to read across a room; a banner when the link is
// down (it reconnects by itself) or when no new traffic has arrived for a while.
import { connect, viewportOf } from './net.js';
import { PictureView } from './view/picture-view.js';
import { si } from './charts/rate-charts.js';
import { showLegend } from './view/legend.js';
import type { Stats } from '../shared/protocol.js';

/** Seconds without capture time moving (while playing) before the picture is called stale. */
const STALE_AFTER_S = 10;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('picture');
const view = new PictureView(canvas);
const banner = $('banner');
let linkDown = false;
let lastCaptureTime: number | null = null;
let lastMovedAt = Date.now();
let stale = false;

function showBanner(): void {
  const text = linkDown ? 'link to the server down — reconnecting' : stale ? `no new traffic for ${Math.round((Date.now() - lastMovedAt) / 1000)} s` : '';
  banner.hidden = text === '';
  banner.textContent = text;
  banner.dataset.kind = linkDown ? 'down' : 'stale';
}

function clockText(t: number | null): string {
  if (t === null) return '--:--:--';
  const iso = new Date(t * 1000).toISOString();
  return t > 86400 * 2 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : `${iso.slice(11, 19)} UTC`;
}

function showStats(s: Stats, rates: { bytes: number; packets: number } | undefined): void {
  $('clock').textContent = clockText(s.captureTime);
  $('source').textContent = s.source;
  $('hosts').textContent = s.windowHosts.toLocaleString('en-US');
  showLegend($('legend'), s.picture);
  if (rates) {
    $('bytes-rate').textContent = si(rates.bytes);
    $('packets-rate').textContent = si(rates.packets);
  }
  if (s.captureTime !== lastCaptureTime || s.replay.paused || s.sourceDone) { lastCaptureTime = s.captureTime; lastMovedAt = Date.now(); }
  stale = Date.now() - lastMovedAt > STALE_AFTER_S * 1000;
  showBanner();
}

const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const net = connect(`${scheme}://${location.host}/ws`, {
  onState: (state) => { linkDown = state === 'reconnecting'; document.body.dataset.link = state; showBanner(); },
  onMessage: (m) => {
    if (m.type !== 'stats') return;
    const last = m.rates[m.rates.length - 1];
    showStats(m.stats, last ? { bytes: last.bytes, packets: last.packets } : undefined);
  },
  onFrame: (_header, image) => view.show(image),
  onError: (message) => console.warn(`netshade: ${message}`),
}, () => viewportOf(canvas));

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => net.setViewport(viewportOf(canvas)), 300);
}).observe(canvas);
// The stale banner counts up even when no message arrives.
setInterval(() => { stale = Date.now() - lastMovedAt > STALE_AFTER_S * 1000; showBanner(); }, 1000);
