// Viewers connected over WebSocket. Each gets the newest frame only: while a frame is still
// being written to a viewer, newer frames replace the one waiting (counted as dropped), so
// a slow viewer never builds a queue and never slows the others.
import type { WebSocket } from 'ws';
import type { ServerMessage, Viewport } from '../../shared/protocol.js';

interface Viewer {
  socket: WebSocket;
  sending: boolean;
  waiting: Uint8Array | null;
  viewport: Viewport | null;
}

/** Text messages are skipped for a viewer whose socket holds more than this unsent. */
const MAX_BUFFERED_TEXT = 1 << 20;

export class ViewerHub {
  private readonly viewers = new Set<Viewer>();
  framesSent = 0;
  framesDropped = 0;

  get count(): number {
    return this.viewers.size;
  }

  /** Called with the largest viewport of the connected viewers whenever it may have changed. */
  onViewports: ((largest: Viewport | null) => void) | null = null;

  add(socket: WebSocket, greeting: ServerMessage[], latestFrame: Uint8Array | null): void {
    const viewer: Viewer = { socket, sending: false, waiting: null, viewport: null };
    this.viewers.add(viewer);
    const leave = () => { if (this.viewers.delete(viewer)) this.viewportsChanged(); };
    socket.on('close', leave);
    socket.on('error', leave);
    for (const m of greeting) socket.send(JSON.stringify(m));
    if (latestFrame) this.sendFrameTo(viewer, latestFrame);
  }

  setViewport(socket: WebSocket, viewport: Viewport): void {
    for (const v of this.viewers) if (v.socket === socket) v.viewport = viewport;
    this.viewportsChanged();
  }

  /** The smallest size that covers every viewer's picture area, or null when none said. */
  largestViewport(): Viewport | null {
    let width = 0, height = 0;
    for (const v of this.viewers) {
      if (!v.viewport) continue;
      width = Math.max(width, v.viewport.width);
      height = Math.max(height, v.viewport.height);
    }
    return width > 0 ? { width, height } : null;
  }

  private viewportsChanged(): void {
    this.onViewports?.(this.largestViewport());
  }

  broadcastFrame(bytes: Uint8Array): void {
    for (const v of this.viewers) this.sendFrameTo(v, bytes);
  }

  broadcastMessage(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const v of this.viewers) {
      if (v.socket.readyState !== v.socket.OPEN || v.socket.bufferedAmount > MAX_BUFFERED_TEXT) continue;
      v.socket.send(text);
    }
  }

  closeAll(): void {
    for (const v of this.viewers) v.socket.close(1001, 'server shutting down');
    this.viewers.clear();
  }

  private sendFrameTo(v: Viewer, bytes: Uint8Array): void {
    if (v.socket.readyState !== v.socket.OPEN) return;
    if (v.sending) {
      if (v.waiting) this.framesDropped++;
      v.waiting = bytes;
      return;
    }
    v.sending = true;
    v.socket.send(bytes, { binary: true }, (err) => {
      v.sending = false;
      if (err) { this.viewers.delete(v); return; }
      this.framesSent++;
      const next = v.waiting;
      v.waiting = null;
      if (next) this.sendFrameTo(v, next);
    });
  }
}
