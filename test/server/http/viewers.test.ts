// The viewer hub: a slow viewer gets only the newest frame and never holds the others back;
// viewers are grouped into views by their settings, each view sized by its viewers, and each
// viewer gets only its own view's frames, a `view` message before the first of each view; a viewer
// that asks for host positions gets each placing once, before the first frame of it.
import { describe, it, expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { ViewerHub, type ViewerHubOptions } from '../../../server/http/viewers.js';
import { serverViewSettings, applySettings } from '../../../server/pipeline/view-settings.js';
import type { Frame, HostPositionsMessage, ViewSpec } from '../../../server/pipeline/live-pipeline.js';
import { PROTOCOL_VERSION, type ServerMessage } from '../../../shared/protocol.js';

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

const SERVER = serverViewSettings({ windowSeconds: 60, rebundleMs: 2000, how: 'eq_hist', mode: 'points' });
const SERVER_KEY = applySettings(SERVER, {}).key;
const VIRIDIS_KEY = applySettings(SERVER, { cmap: 'viridis' }).key;

function makeHub(options: Partial<ViewerHubOptions> = {}) {
  const latest = new Map<string, Frame>();
  const calls: ViewSpec[][] = [];
  const hub = new ViewerHub({
    serverSettings: SERVER, frameWidth: 2000, frameHeight: 2000,
    latestFrameOf: (key) => latest.get(key) ?? null, onViews: (views) => calls.push(views), ...options,
  });
  return { hub, latest, calls, lastViews: () => calls[calls.length - 1] };
}

const frame = (n: number, view = SERVER_KEY, hosts: HostPositionsMessage | null = null): Frame => ({ seq: n, captureTime: 0, bytes: Uint8Array.of(n), view, hosts });
const frames = (s: FakeSocket) => s.sent.filter((d) => typeof d !== 'string').map((d) => (d as Uint8Array)[0]);
const texts = (s: FakeSocket) => s.sent.filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d) as ServerMessage);
const add = (hub: ViewerHub, s: FakeSocket) => hub.add(s as unknown as WebSocket, []);

describe('ViewerHub', () => {
  it('drops stale frames for a slow viewer while fast viewers get every frame', () => {
    const { hub } = makeHub();
    const fast = new FakeSocket(true), slow = new FakeSocket(false);
    add(hub, fast);
    add(hub, slow);
    for (let n = 1; n <= 5; n++) hub.deliver(frame(n));
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

  it('greets a new viewer with the messages and its view, then the newest frame, and forgets closed ones', () => {
    const { hub, latest } = makeHub();
    latest.set(SERVER_KEY, frame(9));
    const s = new FakeSocket(true);
    const hello: ServerMessage = { type: 'hello', version: PROTOCOL_VERSION, defaults: SERVER };
    hub.add(s as unknown as WebSocket, [hello]);
    expect(s.sent[0]).toBe(JSON.stringify(hello));
    expect(texts(s)[1]).toEqual({ type: 'view', settings: SERVER, notes: [], view: SERVER_KEY });
    expect(frames(s)).toEqual([9]);
    expect(hub.count).toBe(1);
    s.close();
    expect(hub.count).toBe(0);
    hub.deliver(frame(10));
    expect(frames(s)).toEqual([9]);
  });

  it('skips text messages for a viewer with a full buffer', () => {
    const { hub } = makeHub();
    const s = new FakeSocket(true);
    add(hub, s);
    s.bufferedAmount = 2 << 20;
    hub.broadcastMessage({ type: 'hello', version: 1, defaults: SERVER });
    expect(s.sent).toEqual([]);
  });

  it('groups viewers by settings: equal ones share a view, and each gets only its own view\'s frames', () => {
    const { hub, lastViews } = makeHub();
    const a = new FakeSocket(true), b = new FakeSocket(true), c = new FakeSocket(true);
    for (const s of [a, b, c]) add(hub, s);
    expect(lastViews().map((v) => v.key)).toEqual([SERVER_KEY]);
    hub.setSettings(b as unknown as WebSocket, { cmap: 'viridis' });
    hub.setSettings(c as unknown as WebSocket, { cmap: 'viridis' });
    expect(lastViews().map((v) => v.key).sort()).toEqual([SERVER_KEY, VIRIDIS_KEY].sort());
    // The same settings asked in two messages come to the same view.
    hub.setSettings(c as unknown as WebSocket, { how: 'log' });
    hub.setSettings(c as unknown as WebSocket, { how: 'eq_hist' });
    expect(lastViews()).toHaveLength(2);
    hub.deliver(frame(1, SERVER_KEY));
    hub.deliver(frame(2, VIRIDIS_KEY));
    expect([frames(a), frames(b), frames(c)]).toEqual([[1], [2], [2]]);
    // A `view` message, with the viewer's settings, right before the first frame of each view.
    const bView = texts(b).filter((m) => m.type === 'view');
    expect(bView).toEqual([{ type: 'view', settings: { ...SERVER, cmap: 'viridis' }, notes: [], view: applySettings(SERVER, { cmap: 'viridis' }).key }]);
    expect(typeof b.sent[b.sent.length - 2]).toBe('string');
    hub.deliver(frame(3, VIRIDIS_KEY));
    expect(texts(b).filter((m) => m.type === 'view')).toHaveLength(1);
  });

  it('sends a viewer joining a view that has a frame that frame at once, and drops a waiting frame of its old view', () => {
    const { hub, latest } = makeHub();
    const slow = new FakeSocket(false);
    add(hub, slow);
    hub.deliver(frame(1));
    hub.deliver(frame(2));
    latest.set(VIRIDIS_KEY, frame(7, VIRIDIS_KEY));
    hub.setSettings(slow as unknown as WebSocket, { cmap: 'viridis' });
    slow.flush();
    expect(frames(slow)).toEqual([1, 7]);
  });

  it('clamps a window longer than the server keeps, with a note', () => {
    const { hub, lastViews } = makeHub();
    const s = new FakeSocket(true);
    add(hub, s);
    hub.deliver(frame(1));
    hub.setSettings(s as unknown as WebSocket, { windowSeconds: 600 });
    // 600 s clamped to the server's 60 s is the server's own view again: no new frame, but the note at once.
    expect(lastViews().map((v) => v.key)).toEqual([SERVER_KEY]);
    expect(texts(s).filter((m) => m.type === 'view').map((m) => (m as { notes: string[] }).notes)).toEqual([[], [expect.stringMatching(/window 600 s asked/)]]);
    hub.setSettings(s as unknown as WebSocket, { windowSeconds: 600, cmap: 'magma' });
    hub.deliver(frame(2, lastViews().find((v) => v.key !== SERVER_KEY)!.key));
    const message = texts(s).filter((m) => m.type === 'view').pop();
    expect(message).toMatchObject({ settings: { windowSeconds: 60, cmap: 'magma' } });
    expect((message as { notes: string[] }).notes[0]).toMatch(/window 600 s asked: the server keeps 60 s/);
  });

  it('sends host positions only to viewers that ask, each placing once, before its first frame', () => {
    const { hub, latest } = makeHub();
    const placing = (n: number): HostPositionsMessage => ({ placing: n, bytes: Uint8Array.of(100 + n) });
    const [one, two] = [placing(1), placing(2)];
    const page = new FakeSocket(true), wall = new FakeSocket(true), late = new FakeSocket(true);
    add(hub, page);
    add(hub, wall);
    hub.sendHostPositions(page as unknown as WebSocket);
    hub.deliver(frame(1, SERVER_KEY, one));
    hub.deliver(frame(2, SERVER_KEY, one));
    hub.deliver(frame(3, SERVER_KEY, two));
    hub.deliver(frame(4, SERVER_KEY, null));
    hub.deliver(frame(5, SERVER_KEY, two));
    const binary = (s: FakeSocket) => s.sent.filter((d) => typeof d !== 'string').map((d) => (d as Uint8Array)[0]);
    expect(binary(page)).toEqual([101, 1, 2, 102, 3, 4, 5]);
    expect(binary(wall)).toEqual([1, 2, 3, 4, 5]);
    // One that asks after its first frame gets that frame's positions then.
    latest.set(SERVER_KEY, frame(5, SERVER_KEY, two));
    add(hub, late);
    hub.sendHostPositions(late as unknown as WebSocket);
    hub.sendHostPositions(late as unknown as WebSocket);
    expect(binary(late)).toEqual([5, 102]);
    // The very same bytes go to every viewer of the placing: encoded once.
    expect(page.sent.find((d) => d === two.bytes)).toBe(late.sent.find((d) => d === two.bytes));
  });

  it('sizes each view by its own viewers\' largest picture area when frames follow viewers', () => {
    const { hub, lastViews } = makeHub({ followViewersUpTo: 4000 });
    const [a, b, c] = [new FakeSocket(true), new FakeSocket(true), new FakeSocket(true)];
    for (const s of [a, b, c]) add(hub, s);
    hub.setViewport(a as unknown as WebSocket, { width: 800, height: 600 });
    hub.setViewport(b as unknown as WebSocket, { width: 640, height: 900 });
    hub.setViewport(c as unknown as WebSocket, { width: 5000, height: 300 });
    hub.setSettings(c as unknown as WebSocket, { mode: 'lines' });
    const size = (key: string) => { const v = lastViews().find((x) => x.key === key)!; return [v.width, v.height]; };
    expect(size(SERVER_KEY)).toEqual([800, 900]);
    expect(size(applySettings(SERVER, { mode: 'lines' }).key)).toEqual([4000, 300]);
  });
});
