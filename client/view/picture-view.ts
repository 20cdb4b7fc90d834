// Draws the newest frame into a canvas, fitted (contained) and centred, at device pixels. While
// a zoom or pan waits for its frame, the frame there is is drawn where the wanted view puts it
// (scaled and moved: a preview), until a frame of the wanted view replaces it. After each redraw
// `onDraw` runs (the host marks drawn over the picture follow it).
import { squareRanges, type ViewRanges } from '../../shared/raster/view-region.js';

/** Where the frame lies on the canvas, in device pixels. */
export interface FrameRect { x: number; y: number; w: number; h: number }

export class PictureView {
  private image: ImageBitmap | null = null;
  /** The layout ranges the image shows, and those the viewer wants in its place (null: the image's). */
  private shown: ViewRanges | null = null;
  private wanted: ViewRanges | null = null;
  private frames = 0;
  private scheduled = false;
  private readonly canvas: HTMLCanvasElement;

  constructor(canvas: HTMLCanvasElement, private readonly onDraw: () => void = () => {}) {
    this.canvas = canvas;
    new ResizeObserver(() => this.schedule()).observe(canvas);
  }

  /** Shows a frame drawn over `ranges` of the layout (default: all of it, as frames of no region show it). */
  show(image: ImageBitmap, ranges: ViewRanges = squareRanges(image.width, image.height)): void {
    this.image?.close();
    this.image = image;
    this.shown = ranges;
    this.frames++;
    this.canvas.dataset.frames = String(this.frames);
    this.canvas.dataset.frameSize = `${image.width}x${image.height}`;
    this.schedule();
  }

  /** The ranges to show (the frame already there previews them); null once a frame of them came. */
  setWanted(ranges: ViewRanges | null): void {
    this.wanted = ranges;
    this.schedule();
  }

  /** The ranges in view: those wanted, else those of the frame shown; null before the first frame. */
  ranges(): ViewRanges | null {
    return this.wanted ?? this.shown;
  }

  /** Where frames are drawn on the canvas (device pixels), or null before the first frame. */
  frameRect(): FrameRect | null {
    const img = this.image;
    if (!img) return null;
    const { width: w, height: h } = this.canvasSize();
    const scale = Math.min(w / img.width, h / img.height);
    const dw = img.width * scale, dh = img.height * scale;
    return { x: (w - dw) / 2, y: (h - dh) / 2, w: dw, h: dh };
  }

  private canvasSize(): { width: number; height: number } {
    const dpr = window.devicePixelRatio || 1;
    return { width: Math.max(1, Math.round(this.canvas.clientWidth * dpr)), height: Math.max(1, Math.round(this.canvas.clientHeight * dpr)) };
  }

  // Several frames or resizes within one animation frame are merged into one redraw.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.draw(); });
  }

  private draw(): void {
    this.drawFrame();
    this.onDraw();
  }

  private drawFrame(): void {
    const c = this.canvas;
    const { width: w, height: h } = this.canvasSize();
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, w, h);
    const img = this.image, rect = this.frameRect(), shown = this.shown, wanted = this.wanted;
    c.dataset.preview = String(wanted !== null);
    if (!img || !rect || !shown) return;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    if (wanted === null) {
      ctx.drawImage(img, rect.x, rect.y, rect.w, rect.h);
      return;
    }
    // The wanted ranges fill the frame's place; the image goes where its own ranges fall in them.
    const sx = rect.w / (wanted.xRange[1] - wanted.xRange[0]), sy = rect.h / (wanted.yRange[1] - wanted.yRange[0]);
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.x, rect.y, rect.w, rect.h);
    ctx.clip();
    ctx.drawImage(img,
      rect.x + (shown.xRange[0] - wanted.xRange[0]) * sx, rect.y + (wanted.yRange[1] - shown.yRange[1]) * sy,
      (shown.xRange[1] - shown.xRange[0]) * sx, (shown.yRange[1] - shown.yRange[0]) * sy);
    ctx.restore();
  }
}
