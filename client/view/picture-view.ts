// Draws the newest frame into a canvas, fitted (contained) and centred, at device pixels.
export class PictureView {
  private image: ImageBitmap | null = null;
  private frames = 0;
  private scheduled = false;
  private readonly canvas: HTMLCanvasElement;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    new ResizeObserver(() => this.schedule()).observe(canvas);
  }

  show(image: ImageBitmap): void {
    this.image?.close();
    this.image = image;
    this.frames++;
    this.canvas.dataset.frames = String(this.frames);
    this.canvas.dataset.frameSize = `${image.width}x${image.height}`;
    this.schedule();
  }

  // Several frames or resizes within one animation frame are merged into one redraw.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.draw(); });
  }

  private draw(): void {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(c.clientWidth * dpr)), h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, w, h);
    const img = this.image;
    if (!img) return;
    const scale = Math.min(w / img.width, h / img.height);
    const dw = img.width * scale, dh = img.height * scale;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, (w - dw) / 2, (h - dh) / 2, dw, dh);
  }
}
