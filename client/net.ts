// The page's link to the server: one WebSocket, reconnecting by itself, decoding frames and
// messages per shared/protocol. Images are decoded with createImageBitmap, off the main thread.
import { PROTOCOL_VERSION, readFrameHeader, isServerMessage, FRAME_HEADER_BYTES, type FrameHeader, type ServerMessage } from '../shared/protocol.js';

export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface LinkHandlers {
  onState(state: LinkState): void;
  onMessage(message: ServerMessage): void;
  onFrame(header: FrameHeader, image: ImageBitmap): void;
  onError(message: string): void;
}

export function connect(url: string, handlers: LinkHandlers): () => void {
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
      ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
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
  return () => { closed = true; clearTimeout(retry); socket?.close(); };
}
