// Hover and click on the picture's hosts. The server sends the positions of the hosts a placing
// draws (host positions messages) and names in each frame the placing it drew; the picker
// indexes the positions of the frame shown (HostHitGrid) and, as the pointer moves, finds the
// host under it in the view shown (the frame's region, or a zoom being previewed), in device
// pixels, mapped as the server drew them. It rings the hovered host (white) and the selected one
// (the host panel's, green) on an overlay canvas: no new frame is asked for.
import { hostPositionAddress, type HostPositions } from '../../shared/protocol.js';
import { HostHitGrid, pixelX, pixelY, type PixelRect } from '../../shared/raster/host-hits.js';
import { HIGHLIGHT_COLOR } from '../../shared/raster/picture.js';
import { parseIPv4, parseIPv6 } from '../../shared/graph/hosts.js';
import type { PictureView } from './picture-view.js';

/** A host within this many CSS pixels of the pointer is under it (dots are a few pixels wide). */
const HIT_RADIUS_CSS = 6;
const RING_RADIUS_CSS = 7;
/** A pointer moving further than this between press and click dragged (panned) the picture: no pick. */
const CLICK_SLOP_CSS = 4;
const NO_COORDINATES = new Float64Array(0);

export interface HostPickerHandlers {
  /** The host under the pointer changed: its address and the pointer's place (CSS pixels in the canvas), or null. */
  onHover(address: string | null, x: number, y: number): void;
  /** A host was clicked. */
  onPick(address: string): void;
}

export class HostPicker {
  private readonly grid = new HostHitGrid();
  /** The positions of the frame shown (indexed), and the newest received (a frame of them may follow). */
  private shown: HostPositions | null = null;
  private newest: HostPositions | null = null;
  private shownPlacing = 0;
  /** Index in `shown` of the host under the pointer and of the selected host, or -1. */
  private hovered = -1;
  private hoveredAddress: string | null = null;
  private selected = -1;
  private selectedAddress: string | null = null;
  /** The pointer over the canvas, not dragging (offset, CSS pixels). */
  private pointer = { x: 0, y: 0, over: false };
  private press = { x: 0, y: 0 };
  /** Where the picture was last drawn on the canvas (it moves only when drawn again: redraw()). */
  private rect: PixelRect | null = null;
  private readonly words = new Uint32Array(4);

  constructor(
    private readonly canvas: HTMLCanvasElement, private readonly overlay: HTMLCanvasElement,
    private readonly view: PictureView, private readonly handlers: HostPickerHandlers,
  ) {
    canvas.addEventListener('pointermove', (e) => {
      this.pointer.x = e.offsetX;
      this.pointer.y = e.offsetY;
      this.pointer.over = e.buttons === 0;
      this.hover();
    });
    canvas.addEventListener('pointerleave', () => { this.pointer.over = false; this.hover(); });
    canvas.addEventListener('pointerdown', (e) => { this.press.x = e.offsetX; this.press.y = e.offsetY; });
    canvas.addEventListener('click', (e) => {
      if (Math.hypot(e.offsetX - this.press.x, e.offsetY - this.press.y) > CLICK_SLOP_CSS) return;
      const i = this.hostAt(e.offsetX, e.offsetY);
      if (i >= 0 && this.shown !== null) this.handlers.onPick(hostPositionAddress(this.shown, i));
    });
  }

  /**
   * A host positions message: used now if the frame shown is of it, else kept for the frame that
   * names it. (A connection gets each placing once: one that comes again is from a server started
   * anew, whose numbers start again, and replaces the old.)
   */
  offer(positions: HostPositions): void {
    this.newest = positions;
    if (positions.placing === this.shownPlacing) this.use(positions);
  }

  /** A frame of placing `placing` is shown (0: one that names none). */
  frameShown(placing: number): void {
    this.shownPlacing = placing;
    const positions = placing === 0 ? null
      : this.newest?.placing === placing ? this.newest : this.shown?.placing === placing ? this.shown : null;
    if (positions !== this.shown) this.use(positions);
  }

  /** Rings this host (the host panel's), wherever a frame draws it; null: none. */
  select(address: string | null): void {
    this.selectedAddress = address;
    this.selected = this.indexOf(address);
    this.drawMarks();
  }

  /** After the picture is redrawn (a frame, a zoom previewed, a resize): another host may be under the pointer, and the rings move. */
  redraw(): void {
    this.rect = this.view.frameRect();
    this.hover();
    this.drawMarks();
  }

  private use(positions: HostPositions | null): void {
    this.shown = positions;
    if (positions === null) this.grid.index(NO_COORDINATES, NO_COORDINATES, 0);
    else this.grid.index(positions.x, positions.y, positions.count);
    this.hovered = -1;
    this.selected = this.indexOf(this.selectedAddress);
    this.hover();
    this.drawMarks();
  }

  /** The host under the pointer, found again; tells the handler when it is another. */
  private hover(): void {
    const i = this.pointer.over ? this.hostAt(this.pointer.x, this.pointer.y) : -1;
    if (i === this.hovered) return;
    this.hovered = i;
    this.canvas.style.cursor = i >= 0 ? 'pointer' : '';
    const address = i >= 0 && this.shown !== null ? hostPositionAddress(this.shown, i) : null;
    if (address !== this.hoveredAddress) {
      this.hoveredAddress = address;
      this.handlers.onHover(address, this.pointer.x, this.pointer.y);
    }
    this.drawMarks();
  }

  /** The host within HIT_RADIUS_CSS of canvas offset (x, y) (CSS pixels), nearest first, or -1. */
  private hostAt(x: number, y: number): number {
    const ranges = this.view.ranges(), rect = this.rect;
    if (ranges === null || rect === null) return -1;
    const dpr = window.devicePixelRatio || 1;
    return this.grid.hostAt(x * dpr, y * dpr, ranges, rect, HIT_RADIUS_CSS * dpr);
  }

  private indexOf(address: string | null): number {
    const p = this.shown;
    if (address === null || p === null) return -1;
    const v4 = parseIPv4(address);
    if (v4 >= 0) return p.v4.indexOf(v4);
    if (!parseIPv6(address, this.words)) return -1;
    const w = this.words;
    for (let i = 0, o = 0; o < p.v6.length; i++, o += 4) {
      if (p.v6[o] === w[0] && p.v6[o + 1] === w[1] && p.v6[o + 2] === w[2] && p.v6[o + 3] === w[3]) return p.v4Count + i;
    }
    return -1;
  }

  private drawMarks(): void {
    const c = this.overlay;
    if (c.width !== this.canvas.width || c.height !== this.canvas.height) { c.width = this.canvas.width; c.height = this.canvas.height; }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const ranges = this.view.ranges(), rect = this.rect, p = this.shown;
    if (ranges === null || rect === null || p === null) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.x, rect.y, rect.w, rect.h);
    ctx.clip();
    ctx.lineWidth = 2 * dpr;
    const ring = (i: number, colour: string) => {
      ctx.strokeStyle = colour;
      ctx.beginPath();
      ctx.arc(pixelX(ranges, rect, p.x[i]), pixelY(ranges, rect, p.y[i]), RING_RADIUS_CSS * dpr, 0, 2 * Math.PI);
      ctx.stroke();
    };
    if (this.selected >= 0) ring(this.selected, `rgb(${HIGHLIGHT_COLOR.join(',')})`);
    if (this.hovered >= 0) ring(this.hovered, '#ffffff');
    ctx.restore();
  }
}
