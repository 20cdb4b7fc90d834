// The page's link to the server: one WebSocket, reconnecting by itself, decoding frames and
// messages per shared/protocol. Images are decoded with createImageBitmap, off the main thread.
// It carries this viewer's picture settings: the ones asked so far are sent again after a
// reconnect (the server keeps none), and each frame comes with the settings it was drawn with
// (the `view` message before it). A page that hit-tests its picture takes host positions
// messages too (onHostPositions): its hello asks for them.
import {
  PROTOCOL_VERSION, readFrameHeader, isServerMessage, isHostPositions, readHostPositions, FRAME_HEADER_BYTES, VIEWPORT_MIN, VIEWPORT_MAX,
  type ClientMessage, type FrameHeader, type HostPositions, type ServerMessage, type Viewport, type ViewerSettings,
} from '../shared/protocol.js';

/** The element's size in device pixels, within what the server accepts. */
export function viewportOf(el: HTMLElement): Viewport {
  const dpr = window.devicePixelRatio || 1;
  const clamp = (n: number) => Math.max(VIEWPORT_MIN, Math.min(VIEWPORT_MAX, Math.round(n * dpr)));
  return { width: clamp(el.clientWidth), height: clamp(el.clientHeight) };
}

export type LinkState = 'connecting' | 'live' | 'reconnecting';

/** The settings a frame was drawn with, as the server applied them, and where they differ from what was asked. */
export interface FrameView { settings: ViewerSettings; notes: string[] }

export interface LinkHandlers {
  onState(state: LinkState): void;
  onMessage(message: ServerMessage): void;
  /** `view`: what the frame was drawn with (null only from a server that sent none). */
  onFrame(header: FrameHeader, image: ImageBitmap, view: FrameView | null): void;
  /** Given: the server sends the positions of the hosts its frames draw (a frame names its: header.placing). */
  onHostPositions?(positions: HostPositions): void;
  onError(message: string): void;
}

export interface Link {
  close(): void;
  /** Tells the server the picture area's size in device pixels (used with --size viewer). */
  setViewport(viewport: Viewport): void;
  /** Changes this viewer's picture settings (the fields given); its next frames are drawn with them. */
  setSettings(settings: Partial<ViewerSettings>): void;
}

export function connect(url: string, handlers: LinkHandlers, initialViewport: () => Viewport): Link {
  let socket: WebSocket | null = null;
  let delayMs = 500;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // Frames decode asynchronously: draw only the newest, never an older one after it.
  let newestSeq = -1;
  let view: FrameView | null = null;
  let asked: Partial<ViewerSettings> = {};
  const send = (message: ClientMessage) => { if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message)); };

  const open = () => {
    handlers.onState(socket ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      delayMs = 500;
      newestSeq = -1;
      view = null;
      send({ type: 'hello', version: PROTOCOL_VERSION, viewport: initialViewport(), ...(handlers.onHostPositions ? { hostPositions: true } : {}) });
      if (Object.keys(asked).length > 0) send({ type: 'settings', settings: asked });
      handlers.onState('live');
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data === 'string') {
        let msg: unknown;
        try { msg = JSON.parse(ev.data); } catch { handlers.onError('malformed message from server'); return; }
        if (!isServerMessage(msg)) return;
        if (msg.type === 'view') {
          // Frames of another view follow: their sequence numbers are their view's, not ordered after the last one's.
          view = { settings: msg.settings, notes: msg.notes };
          newestSeq = -1;
        }
        handlers.onMessage(msg);
        return;
      }
      const bytes = new Uint8Array(ev.data);
      if (isHostPositions(bytes)) {
        let positions: HostPositions;
        try { positions = readHostPositions(bytes); } catch (e) { handlers.onError((e as Error).message); return; }
        handlers.onHostPositions?.(positions);
        return;
      }
      let header: FrameHeader;
      try { header = readFrameHeader(bytes); } catch (e) { handlers.onError((e as Error).message); return; }
      if (header.seq <= newestSeq) return;
      newestSeq = header.seq;
      const frameView = view;
      const blob = new Blob([bytes.subarray(FRAME_HEADER_BYTES)], { type: 'image/png' });
      createImageBitmap(blob).then(
        (image) => { if (header.seq === newestSeq) handlers.onFrame(header, image, frameView); else image.close(); },
        () => handlers.onError(`frame ${header.seq} could not be decoded`),
      );
    };
    ws.onclose = () => {
      if (closed) return;
      handlers.onState('reconnecting');
      retry = setTimeout(open, delayMs);
      delayMs = Math.min(delayMs * 2, 5000);
    };
  };
  open();
  return {
    close: () => { closed = true; clearTimeout(retry); socket?.close(); },
    setViewport: (viewport) => send({ type: 'viewport', viewport }),
    setSettings: (settings) => {
      asked = { ...asked, ...settings };
      send({ type: 'settings', settings });
    },
  };
}
