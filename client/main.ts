// Page boot: connect, show frames, counters and charts; this viewer's picture settings, zoom and
// pan; hover a host on the picture for its tooltip, click it for its panel (the host is then
// highlighted in this viewer's picture); the frame export link names this viewer's view.
import { connect, viewportOf, type FrameView, type LinkState } from './net.js';
import { PictureView } from './view/picture-view.js';
import { ZoomPan } from './view/zoom-pan.js';
import { HostPicker } from './view/host-picker.js';
import { HostTip } from './panels/host-tip.js';
import { ViewControls } from './panels/view-controls.js';
import { regionRanges, type PictureRegion } from '../shared/raster/view-region.js';
import { RateCharts, si } from './charts/rate-charts.js';
import { ReplayControls } from './panels/replay-controls.js';
import { cell, hostCell, row, TalkersPanel } from './panels/talkers.js';
import { HostDetailPanel } from './panels/host-detail.js';
import { showLegend, showViewSummary } from './view/legend.js';
import { canonicalAddress, type HostsReply, type PictureSettings, type Stats } from '../shared/protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const canvas = $<HTMLCanvasElement>('picture');
const view = new PictureView(canvas, () => picker.redraw());
const charts = new RateCharts($('chart-bytes'), $('chart-packets'), $('chart-window'), $('chart-new-hosts'));
const link = $('link');
const controls = new ReplayControls($('replay'), (message) => showWarning(message));

function showWarning(message: string | null): void {
  const w = $('warning');
  w.hidden = !message;
  w.textContent = message ?? '';
}
let sourceDone = false;

function clockText(t: number | null): string {
  if (t === null) return '--:--:--';
  const d = new Date(t * 1000);
  const hms = d.toISOString().slice(11, 19);
  // Dateless tcpdump text gives seconds of day: show the day only for real dates.
  return t > 86400 * 2 ? `${d.toISOString().slice(0, 10)} ${hms} UTC` : `${hms} UTC`;
}

function showStats(s: Stats): void {
  $('source').textContent = s.source + (s.speed === 'max' ? ' · max speed' : ` · ${s.speed}×`);
  $('clock').textContent = clockText(s.captureTime);
  $('c-packets').textContent = s.packets.toLocaleString('en-US');
  $('c-bytes').textContent = si(s.bytes) + 'B';
  $('c-hosts').textContent = s.hosts.toLocaleString('en-US');
  $('c-edges').textContent = s.edges.toLocaleString('en-US');
  $('c-frames').textContent = s.framesSent.toLocaleString('en-US');
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const c = $('c-skipped');
  c.textContent = skipped.toLocaleString('en-US');
  const reasons = Object.entries(s.skipped).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`);
  $('skipped').textContent = reasons.length ? `not graphed: ${reasons.join(' · ')}` : '';
  $('capture-counters').hidden = s.capture === null;
  if (s.capture) {
    const n = (v: number | null) => (v === null ? 'n/a' : v.toLocaleString('en-US'));
    $('c-dropped').textContent = `${n(s.capture.dropped)} / ${n(s.capture.ifDropped)} of ${s.capture.received.toLocaleString('en-US')}`;
  }
  showWarning(s.warning);
  serverPicture = s.picture;
  showPictureLegend();
  controls.show(s.replay, s.captureTime);
  sourceDone = s.sourceDone;
  if (link.dataset.state === 'live' && sourceDone) setLink('ended');
}

// The legend: the server's layers and highlights, this viewer's own colours and shading.
let serverPicture: PictureSettings | null = null;
let frameView: FrameView | null = null;
function showPictureLegend(): void {
  if (!serverPicture) return;
  const own = frameView?.settings;
  showLegend($('legend'), own ? { ...serverPicture, how: own.how, cmap: own.cmap, layout: own.layout, highlight: own.highlight } : serverPicture);
  if (frameView) showViewSummary($('view-summary'), frameView.settings, frameView.notes);
}

function setLink(state: LinkState | 'ended'): void {
  link.dataset.state = state;
  link.textContent = state === 'ended' ? 'capture ended' : state;
}

const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const pictureArea = $('view');
const net = connect(`${scheme}://${location.host}/ws`, {
  onState: (state) => setLink(state === 'live' && sourceDone ? 'ended' : state),
  onMessage: (m) => {
    if (m.type === 'hello') viewControls.start(m.defaults);
    // The settings of the frames that follow (or, unchanged, new notes about them).
    if (m.type === 'view') {
      frameView = { settings: m.settings, notes: m.notes };
      showPictureLegend();
      $<HTMLAnchorElement>('export-frame').href = `/api/export/frame.png?view=${encodeURIComponent(m.view)}`;
    }
    if (m.type === 'stats') {
      showStats(m.stats);
      const t = m.stats.captureTime;
      charts.update(m.rates, t === null ? undefined : { t: Math.floor(t), hosts: m.stats.windowHosts, edges: m.stats.edges });
    }
  },
  onFrame: (header, image, drawn) => {
    $('waiting').hidden = true;
    const region = drawn?.settings.region ?? null;
    view.show(image, regionRanges(image.width, image.height, region ?? undefined));
    picker.frameShown(header.placing);
    // A frame of the region last asked for ends the preview.
    if (sameRegion(region, zoom.region)) view.setWanted(null);
  },
  onHostPositions: (positions) => picker.offer(positions),
  onError: (message) => console.warn(`netshade: ${message}`),
}, () => viewportOf(pictureArea));

const viewControls = new ViewControls($('view-controls'), (settings) => net.setSettings(settings));
const zoom = new ZoomPan(canvas, view, (region) => net.setSettings({ region }));
$('v-reset-zoom').addEventListener('click', () => zoom.reset());

function sameRegion(a: PictureRegion | null, b: PictureRegion | null): boolean {
  return a === b || (a !== null && b !== null && a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1);
}

// Report the picture area's size after resizing settles (frames follow it with --size viewer).
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => net.setViewport(viewportOf(pictureArea)), 300);
}).observe(pictureArea);

// Host detail (click a host, or find one by address) and top talkers, refreshed each second.
const searchMessage = $('search-message');
function showSearchMessage(message: string | null): void {
  searchMessage.hidden = message === null;
  searchMessage.textContent = message ?? '';
}
// The panel's host is highlighted in this viewer's frames (and ringed on the overlay at once).
let highlighted: string | null = null;
function showHostPanel(address: string | null): void {
  picker.select(address);
  // Typed text the server would refuse highlights nothing (the panel says it has no traffic).
  const highlight = address === null ? null : canonicalAddress(address);
  if (highlight === highlighted) return;
  highlighted = highlight;
  net.setSettings({ highlight });
}
const detail = new HostDetailPanel(
  $('host-detail'), (address) => showSearchMessage(`no traffic to or from ${address} in the window`), showHostPanel,
);
const openHost = (address: string) => { showSearchMessage(null); void detail.open(address); };
const tip = new HostTip($('host-tip'));
const picker = new HostPicker(canvas, $<HTMLCanvasElement>('picture-marks'), view, {
  onHover: (address, x, y) => { if (address === null) tip.hide(); else tip.show(address, x, y, pictureArea); },
  onPick: openHost,
});
const talkers = new TalkersPanel($<HTMLTableSectionElement>('talk-hosts'), $<HTMLTableSectionElement>('talk-pairs'), openHost);
const searchTable = $('search-table');
const searchResults = $<HTMLTableSectionElement>('search-results');
searchResults.addEventListener('click', (e) => {
  const address = (e.target as HTMLElement).closest<HTMLElement>('[data-address]')?.dataset.address;
  if (address) openHost(address);
});
/** The window's hosts in an address block, listed for a click. */
async function findBlock(cidr: string): Promise<void> {
  const res = await fetch(`/api/hosts?cidr=${encodeURIComponent(cidr)}&top=20`);
  if (!res.ok) { showSearchMessage(((await res.json()) as { message?: string }).message ?? `search failed (${res.status})`); return; }
  const r = (await res.json()) as HostsReply;
  searchResults.replaceChildren(...r.hosts.map((h) => row([hostCell(h.address), cell(si(h.bytes) + 'B'), cell(h.packets.toLocaleString('en-US'))])));
  searchTable.hidden = r.total === 0;
  showSearchMessage(r.total === 0 ? `no hosts of ${cidr} in the window` : r.total > r.hosts.length ? `${r.total} hosts of ${cidr}; the ${r.hosts.length} busiest:` : null);
}
$<HTMLFormElement>('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $<HTMLInputElement>('search-input').value.trim();
  searchTable.hidden = true;
  if (/^[0-9A-Fa-f:.]{2,45}\/\d{1,3}$/.test(text)) void findBlock(text);
  else if (/^[0-9A-Fa-f:.]{2,45}$/.test(text)) openHost(text);
  else showSearchMessage(`"${text}" is not an IPv4 or IPv6 address or block`);
});
setInterval(() => { void talkers.refresh(); void detail.refresh(); }, 1000);
