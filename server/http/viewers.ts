// Viewers connected over WebSocket, each with its own picture settings. Viewers whose settings
// come to the same view key form one view: drawn once per round and sent to each of them. The
// hub tells the pipeline which views to draw and at what size (onViews).
// Each viewer gets the newest frame of its view only: while a frame is still being written to
// a viewer, newer frames replace the one waiting (counted as dropped), so a slow viewer never
// builds a queue and never slows the others. A viewer that hit-tests its picture (its hello asks
// for host positions) gets, before a frame, the positions of the hosts it draws when they are not
// the last ones it got: one message per placing, shared by all the viewers of its graph.
import type { WebSocket } from 'ws';
import type { ServerMessage, Viewport, ViewerSettings } from '../../shared/protocol.js';
import { applySettings, type AppliedSettings } from '../pipeline/view-settings.js';
import type { Frame, HostPositionsMessage, ViewSpec } from '../pipeline/live-pipeline.js';

interface Viewer {
  socket: WebSocket;
  sending: boolean;
  waiting: Frame | null;
  viewport: Viewport | null;
  /** The settings it asked for so far (its settings messages merged). */
  asked: Partial<ViewerSettings>;
  applied: AppliedSettings;
  /** The view of the last frame sent to it: a frame of another view goes after a `view` message. */
  sentView: string | null;
  /** Whether it asked for host positions; the positions of the last frame sent to it, and the placing it last got. */
  wantsHosts: boolean;
  frameHosts: HostPositionsMessage | null;
  sentPlacing: number;
}

export interface ViewerHubOptions {
  /** What a viewer has until it asks for other settings. */
  serverSettings: ViewerSettings;
  /** The frame size of every view, or (following viewers) of a view none of whose viewers said its size. */
  frameWidth: number;
  frameHeight: number;
  /** When set, a view's frames are as large as its viewers' largest picture area, up to this many pixels a side. */
  followViewersUpTo?: number;
  /** The newest frame of a view, sent at once to a viewer that joins it. */
  latestFrameOf(key: string): Frame | null;
  /** Called with every view to draw whenever the list may have changed. */
  onViews(views: ViewSpec[]): void;
}

/** Text messages are skipped for a viewer whose socket holds more than this unsent. */
const MAX_BUFFERED_TEXT = 1 << 20;

export class ViewerHub {
  private readonly viewers = new Map<WebSocket, Viewer>();
  private readonly serverView: AppliedSettings;
  framesSent = 0;
  framesDropped = 0;

  constructor(private readonly options: ViewerHubOptions) {
    this.serverView = applySettings(options.serverSettings, {});
  }

  get count(): number {
    return this.viewers.size;
  }

  add(socket: WebSocket, greeting: ServerMessage[]): void {
    const viewer: Viewer = {
      socket, sending: false, waiting: null, viewport: null, asked: {}, applied: this.serverView, sentView: null,
      wantsHosts: false, frameHosts: null, sentPlacing: 0,
    };
    this.viewers.set(socket, viewer);
    const leave = () => { if (this.viewers.delete(socket)) this.viewsChanged(); };
    socket.on('close', leave);
    socket.on('error', leave);
    for (const m of greeting) socket.send(JSON.stringify(m));
    this.viewsChanged();
    const latest = this.options.latestFrameOf(viewer.applied.key);
    if (latest) this.sendFrameTo(viewer, latest);
  }

  setViewport(socket: WebSocket, viewport: Viewport): void {
    const v = this.viewers.get(socket);
    if (!v) return;
    v.viewport = viewport;
    this.viewsChanged();
  }

  /** The viewer hit-tests its picture: from now on it gets host positions, at once those of the last frame it got. */
  sendHostPositions(socket: WebSocket): void {
    const v = this.viewers.get(socket);
    if (!v || v.wantsHosts) return;
    v.wantsHosts = true;
    if (v.frameHosts !== null) this.sendHostsTo(v, v.frameHosts);
  }

  /** Applies a (validated) settings message: its fields replace the viewer's; its next frame is of its new view. */
  setSettings(socket: WebSocket, settings: Partial<ViewerSettings>): void {
    const v = this.viewers.get(socket);
    if (!v) return;
    v.asked = { ...v.asked, ...settings };
    const before = v.applied;
    v.applied = applySettings(this.options.serverSettings, v.asked);
    this.viewsChanged();
    if (v.applied.key === before.key) {
      // The same picture, but what it says about the request changed (a window clamped to the same): say so now.
      if (v.sentView === v.applied.key && v.applied.notes.join('\n') !== before.notes.join('\n')) this.sendView(v);
      return;
    }
    // A frame of its old view waiting to go is stale now; its new view's newest (drawn for other viewers) is not.
    if (v.waiting) v.waiting = null;
    const latest = this.options.latestFrameOf(v.applied.key);
    if (latest) this.sendFrameTo(v, latest);
  }

  /** The views of the connected viewers, each at the size its frames are drawn at. */
  views(): ViewSpec[] {
    const { frameWidth, frameHeight, followViewersUpTo } = this.options;
    const views = new Map<string, ViewSpec & { followed: boolean }>();
    for (const v of this.viewers.values()) {
      const { key, settings } = v.applied;
      let view = views.get(key);
      if (!view) {
        view = { key, settings, width: frameWidth, height: frameHeight, followed: false };
        views.set(key, view);
      }
      if (followViewersUpTo === undefined || !v.viewport) continue;
      const width = Math.min(v.viewport.width, followViewersUpTo), height = Math.min(v.viewport.height, followViewersUpTo);
      view.width = view.followed ? Math.max(view.width, width) : width;
      view.height = view.followed ? Math.max(view.height, height) : height;
      view.followed = true;
    }
    return [...views.values()].map(({ key, settings, width, height }) => ({ key, settings, width, height }));
  }

  private viewsChanged(): void {
    this.options.onViews(this.views());
  }

  /** Sends a frame to the viewers of its view. */
  deliver(frame: Frame): void {
    for (const v of this.viewers.values()) if (v.applied.key === frame.view) this.sendFrameTo(v, frame);
  }

  broadcastMessage(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const v of this.viewers.values()) {
      if (v.socket.readyState !== v.socket.OPEN || v.socket.bufferedAmount > MAX_BUFFERED_TEXT) continue;
      v.socket.send(text);
    }
  }

  closeAll(): void {
    for (const v of this.viewers.values()) v.socket.close(1001, 'server shutting down');
    this.viewers.clear();
  }

  private sendView(v: Viewer): void {
    const message: ServerMessage = { type: 'view', settings: v.applied.settings, notes: v.applied.notes, view: v.applied.key };
    v.socket.send(JSON.stringify(message));
  }

  private sendHostsTo(v: Viewer, hosts: HostPositionsMessage): void {
    if (!v.wantsHosts || v.sentPlacing === hosts.placing) return;
    v.socket.send(hosts.bytes, { binary: true });
    v.sentPlacing = hosts.placing;
  }

  private sendFrameTo(v: Viewer, frame: Frame): void {
    if (v.socket.readyState !== v.socket.OPEN) return;
    if (v.sending) {
      if (v.waiting) this.framesDropped++;
      v.waiting = frame;
      return;
    }
    if (v.sentView !== frame.view) {
      this.sendView(v);
      v.sentView = frame.view;
    }
    v.frameHosts = frame.hosts;
    if (frame.hosts !== null) this.sendHostsTo(v, frame.hosts);
    v.sending = true;
    v.socket.send(frame.bytes, { binary: true }, (err) => {
      v.sending = false;
      if (err) { if (this.viewers.delete(v.socket)) this.viewsChanged(); return; }
      this.framesSent++;
      const next = v.waiting;
      v.waiting = null;
      if (next) this.sendFrameTo(v, next);
    });
  }
}
