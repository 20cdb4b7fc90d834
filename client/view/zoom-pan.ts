// Zoom and pan on the picture: the wheel zooms about the pointer, a drag pans, a double click
// (or reset()) shows all of it again. The view moves at once (PictureView previews it from the
// frame there is) and the region is asked of the server, which draws it at full resolution;
// asks are sent at most every SEND_EVERY_MS, the last one always.
import { VIEW_LIMITS } from '../../shared/protocol.js';
import { squareRanges, type PictureRegion, type ViewRanges } from '../../shared/raster/view-region.js';
import type { PictureView } from './picture-view.js';

const SEND_EVERY_MS = 100;
/** Zoom factor per wheel pixel (a notch of 100 px: about 1.35x). */
const ZOOM_PER_PIXEL = 0.003;
/** The deepest zoom: a region side no smaller than this (the protocol allows ten times less). */
const MIN_SPAN = VIEW_LIMITS.regionMinSpan * 10;
/** The layout's extent as the full picture shows it (squareRanges' short side). */
const LAYOUT_MIN = -0.01, LAYOUT_MAX = 1.01;

export class ZoomPan {
  /** The region last asked for (null: all of it). */
  region: PictureRegion | null = null;
  private drag: { id: number; x: number; y: number } | null = null;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  private sentAt = 0;

  constructor(
    canvas: HTMLCanvasElement, private readonly view: PictureView,
    private readonly onRegion: (region: PictureRegion | null) => void,
  ) {
    canvas.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag = { id: e.pointerId, x: e.offsetX, y: e.offsetY };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => this.pan(e));
    const end = (e: PointerEvent) => { if (this.drag?.id === e.pointerId) this.drag = null; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('dblclick', () => this.reset());
  }

  /** Shows all of the picture again. */
  reset(): void {
    const rect = this.view.frameRect();
    if (rect) this.view.setWanted(squareRanges(rect.w, rect.h));
    this.ask(null);
  }

  private wheel(e: WheelEvent): void {
    const ranges = this.view.ranges(), rect = this.view.frameRect();
    if (!ranges || !rect) return;
    e.preventDefault();
    const dpr = window.devicePixelRatio || 1;
    // The layout point under the pointer stays under it.
    const [x, y] = layoutAt(ranges, rect, e.offsetX * dpr, e.offsetY * dpr);
    const pixels = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 40 : e.deltaY;
    const factor = Math.exp(pixels * ZOOM_PER_PIXEL);
    const full = squareRanges(rect.w, rect.h);
    const spanX = (ranges.xRange[1] - ranges.xRange[0]) * factor, spanY = (ranges.yRange[1] - ranges.yRange[0]) * factor;
    if (spanX >= full.xRange[1] - full.xRange[0] && spanY >= full.yRange[1] - full.yRange[0]) { this.reset(); return; }
    if (Math.min(spanX, spanY) < MIN_SPAN) return;
    this.moveTo({
      xRange: [x - (x - ranges.xRange[0]) * factor, x + (ranges.xRange[1] - x) * factor],
      yRange: [y - (y - ranges.yRange[0]) * factor, y + (ranges.yRange[1] - y) * factor],
    });
  }

  private pan(e: PointerEvent): void {
    const drag = this.drag, ranges = this.view.ranges(), rect = this.view.frameRect();
    if (!drag || drag.id !== e.pointerId || !ranges || !rect) return;
    const dpr = window.devicePixelRatio || 1;
    const dx = ((e.offsetX - drag.x) * dpr * (ranges.xRange[1] - ranges.xRange[0])) / rect.w;
    const dy = ((e.offsetY - drag.y) * dpr * (ranges.yRange[1] - ranges.yRange[0])) / rect.h;
    drag.x = e.offsetX;
    drag.y = e.offsetY;
    if (dx === 0 && dy === 0) return;
    this.moveTo({ xRange: [ranges.xRange[0] - dx, ranges.xRange[1] - dx], yRange: [ranges.yRange[0] + dy, ranges.yRange[1] + dy] });
  }

  /** Shows `ranges` (their centre kept on the layout, so that some of it stays in view) and asks for them. */
  private moveTo(ranges: ViewRanges): void {
    const shift = (lo: number, hi: number) => {
      const mid = (lo + hi) / 2;
      return mid < LAYOUT_MIN ? LAYOUT_MIN - mid : mid > LAYOUT_MAX ? LAYOUT_MAX - mid : 0;
    };
    const sx = shift(ranges.xRange[0], ranges.xRange[1]), sy = shift(ranges.yRange[0], ranges.yRange[1]);
    const kept: ViewRanges = { xRange: [ranges.xRange[0] + sx, ranges.xRange[1] + sx], yRange: [ranges.yRange[0] + sy, ranges.yRange[1] + sy] };
    this.view.setWanted(kept);
    this.ask({ x0: kept.xRange[0], y0: kept.yRange[0], x1: kept.xRange[1], y1: kept.yRange[1] });
  }

  private ask(region: PictureRegion | null): void {
    this.region = region;
    clearTimeout(this.sendTimer);
    const wait = this.sentAt + SEND_EVERY_MS - Date.now();
    const send = () => { this.sentAt = Date.now(); this.onRegion(this.region); };
    if (wait <= 0) send();
    else this.sendTimer = setTimeout(send, wait);
  }
}

/** The layout point at canvas device pixel (px, py), with `ranges` filling `rect` (y up). */
function layoutAt(ranges: ViewRanges, rect: { x: number; y: number; w: number; h: number }, px: number, py: number): [number, number] {
  return [
    ranges.xRange[0] + ((px - rect.x) / rect.w) * (ranges.xRange[1] - ranges.xRange[0]),
    ranges.yRange[1] - ((py - rect.y) / rect.h) * (ranges.yRange[1] - ranges.yRange[0]),
  ];
}
