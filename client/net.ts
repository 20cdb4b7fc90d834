// The page's link to the server: one WebSocket, reconnecting by itself, decoding frames and
// messages per shared/protocol. Images are decoded with createImageBitmap, off the main thread.
import { PROTOCOL_VERSION, readFrameHeader, isServerMessage, FRAME_HEADER_BYTES, VIEWPORT_MIN, VIEWPORT_MAX, type ClientMessage, type FrameHeader, type ServerMessage, type Viewport } from '../shared/protocol.js';

/** The element's size in device pixels, within what the server accepts. */
export function viewportOf(el: HTMLElement): Viewport {
  const dpr = window.devicePixelRatio || 1;
  const clamp = (n: number) => Math.max(VIEWPORT_MIN, Math.min(VIEWPORT_MAX, Math.round(n * dpr)));
  return { width: clamp(el.clientWidth), height: clamp(el.clientHeight) };
}

export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface LinkHandlers {
  onState(state: LinkState): void;
  onMessage(message: ServerMessage): void;
  onFrame(header: FrameHeader, image: ImageBitmap): void;
  onError(message: string): void;
}

export interface Link {
  close(): void;
  /** Tells the server the picture area's size in device pixels (used with --size viewer). */
  setViewport(viewport: Viewport): void;
}

export function connect(url: string, handlers: LinkHandlers, initialViewport: () => Viewport): Link {
  let socket: WebSocket | null = null;
  let delayMs = 500;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // Frames decode asynchronously: draw only the newest, never an older one after it.
  let newestSeq = -1;

  const open = () => {
    handlers.onState(socket ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      delayMs = 500;
      newestSeq = -1;
      const hello: ClientMessage = { type: 'hello', version: PROTOCOL_VERSION, viewport: initialViewport() };
      ws.send(JSON.stringify(hello));
      handlers.onState('live');
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data === 'string') {
        let msg: unknown;
        try { msg = JSON.parse(ev.data); } catch { handlers.onError('malformed message from server'); return; }
        if (isServerMessage(msg)) handlers.onMessage(msg);
        return;
      }
      const bytes = new Uint8Array(ev.data);
      let header: FrameHeader;
      try { header = readFrameHeader(bytes); } catch (e) { handlers.onError((e as Error).message); return; }
      if (header.seq <= newestSeq) return;
      newestSeq = header.seq;
      const blob = new Blob([bytes.subarray(FRAME_HEADER_BYTES)], { type: 'image/png' });
      createImageBitmap(blob).then(
        (image) => { if (header.seq === newestSeq) handlers.onFrame(header, image); else image.close(); },
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
    setViewport: (viewport) => {
      const message: ClientMessage = { type: 'viewport', viewport };
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
  };
}
