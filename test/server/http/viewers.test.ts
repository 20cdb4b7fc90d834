// A slow viewer gets only the newest frame and never holds the others back.
import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { ViewerHub } from '../../../server/http/viewers.js';

/** A socket whose sends complete only when the test says so (a viewer on a slow link). */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: (string | Uint8Array)[] = [];
  private readonly callbacks: ((err?: Error) => void)[] = [];
  constructor(private readonly instant: boolean) { super(); }
  send(data: string | Uint8Array, opts?: unknown, cb?: (err?: Error) => void): void {
    this.sent.push(data);
    const done = typeof opts === 'function' ? (opts as (err?: Error) => void) : cb;
    if (!done) return;
    if (this.instant) done(); else this.callbacks.push(done);
  }
  flush(): void { while (this.callbacks.length) this.callbacks.shift()!(); }
  close(): void { this.readyState = 3; this.emit('close'); }
}

const frame = (n: number) => Uint8Array.of(n);
const frames = (s: FakeSocket) => s.sent.filter((d) => typeof d !== 'string').map((d) => (d as Uint8Array)[0]);

describe('ViewerHub', () => {
  it('drops stale frames for a slow viewer while fast viewers get every frame', () => {
    const hub = new ViewerHub();
    const fast = new FakeSocket(true), slow = new FakeSocket(false);
    hub.add(fast as unknown as WebSocket, [], null);
    hub.add(slow as unknown as WebSocket, [], null);
    for (let n = 1; n <= 5; n++) hub.broadcastFrame(frame(n));
    expect(frames(fast)).toEqual([1, 2, 3, 4, 5]);
    // The slow viewer is still writing frame 1; frames 2..4 were replaced by newer ones.
    expect(frames(slow)).toEqual([1]);
    slow.flush();
    expect(frames(slow)).toEqual([1, 5]);
    slow.flush();
    expect(frames(slow)).toEqual([1, 5]);
    expect(hub.framesDropped).toBe(3);
    expect(hub.framesSent).toBe(5 + 2);
  });

  it('greets a new viewer with the messages and the newest frame, and forgets closed ones', () => {
    const hub = new ViewerHub();
    const s = new FakeSocket(true);
    hub.add(s as unknown as WebSocket, [{ type: 'hello', version: 1 }], frame(9));
    expect(s.sent[0]).toBe('{"type":"hello","version":1}');
    expect(frames(s)).toEqual([9]);
    expect(hub.count).toBe(1);
    s.close();
    expect(hub.count).toBe(0);
    hub.broadcastFrame(frame(10));
    expect(frames(s)).toEqual([9]);
  });

  it('skips text messages for a viewer with a full buffer', () => {
    const hub = new ViewerHub();
    const s = new FakeSocket(true);
    hub.add(s as unknown as WebSocket, [], null);
    s.bufferedAmount = 2 << 20;
    hub.broadcastMessage({ type: 'hello', version: 1 });
    expect(s.sent).toEqual([]);
  });
});
