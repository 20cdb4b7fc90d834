// What a viewer's settings come to on the server, and how they group viewers: equal settings,
// one view; settings that differ only in how the picture is rasterised, one graph (placed and
// bundled once); a window longer than the server keeps clamped, with a note.
import { describe, it, expect } from 'vitest';
import { applySettings, graphKey, protocolMask, serverViewSettings, viewKey } from '../../../server/pipeline/view-settings.js';
import type { ViewerSettings } from '../../../shared/protocol.js';

const SERVER = serverViewSettings({ windowSeconds: 60, rebundleMs: 2000, how: 'eq_hist', mode: 'points', cmap: 'fire', layout: 'circular' });

describe('viewer settings on the server', () => {
  it('starts from the server\'s own settings: its window, interval and picture options, all protocols, no filters, no zoom', () => {
    expect(SERVER).toEqual({
      windowSeconds: 60, protocols: ['tcp', 'udp', 'icmp', 'other'], minBytes: 0, topEdges: 0, layout: 'circular', cmap: 'fire',
      how: 'eq_hist', mode: 'points', aggregate: 'count', antialias: false, rebundleSeconds: 2, region: null, highlight: null,
    });
    // The server's --highlight, spelled as tcpdump prints it.
    expect(serverViewSettings({ windowSeconds: 60, rebundleMs: 2000, how: 'eq_hist', mode: 'points', highlight: '2001:DB8:0::1' }).highlight).toBe('2001:db8::1');
    expect(applySettings(SERVER, {})).toEqual({ settings: SERVER, notes: [], key: viewKey(SERVER), graphKey: graphKey(SERVER) });
  });

  it('gives equal settings one key however they were asked, and different ones different keys', () => {
    const asked: Partial<ViewerSettings>[] = [
      { cmap: 'viridis' }, { how: 'log' }, { mode: 'lines' }, { aggregate: 'bytes' }, { rebundleSeconds: 1 },
      { region: { x0: 0, y0: 0, x1: 0.5, y1: 0.5 } }, { region: { x0: 0, y0: 0, x1: 0.5, y1: 0.51 } },
      { windowSeconds: 30 }, { protocols: ['tcp'] }, { minBytes: 1 }, { topEdges: 10 }, { layout: 'random' },
      { mode: 'lines', antialias: true }, { highlight: '10.0.0.1' }, { highlight: '10.0.0.2' },
    ];
    const keys = asked.map((a) => applySettings(SERVER, a).key);
    expect(new Set([viewKey(SERVER), ...keys]).size).toBe(asked.length + 1);
    // The server's values asked explicitly are the server's view.
    expect(applySettings(SERVER, { cmap: 'fire', windowSeconds: 60, protocols: ['tcp', 'udp', 'icmp', 'other'], region: null }).key).toBe(viewKey(SERVER));
    expect(applySettings(SERVER, { cmap: 'viridis', how: 'log' }).key).toBe(applySettings(SERVER, { how: 'log', cmap: 'viridis' }).key);
  });

  it('shares one graph key among settings that only rasterise differently', () => {
    const raster: Partial<ViewerSettings>[] = [
      { cmap: 'viridis' }, { how: 'cbrt' }, { mode: 'lines', antialias: true }, { aggregate: 'bytes' }, { rebundleSeconds: 5 },
      { region: { x0: 0.2, y0: 0.2, x1: 0.4, y1: 0.4 } }, { highlight: '10.0.0.1' },
    ];
    for (const a of raster) expect(applySettings(SERVER, a).graphKey, JSON.stringify(a)).toBe(graphKey(SERVER));
    const graph: Partial<ViewerSettings>[] = [{ windowSeconds: 10 }, { protocols: ['udp'] }, { minBytes: 100 }, { topEdges: 5 }, { layout: 'force' }];
    const keys = graph.map((a) => applySettings(SERVER, a).graphKey);
    expect(new Set([graphKey(SERVER), ...keys]).size).toBe(graph.length + 1);
  });

  it('clamps a window longer than the server\'s, and drops antialiasing of points, saying so', () => {
    const long = applySettings(SERVER, { windowSeconds: 300, cmap: 'magma' });
    expect(long.settings.windowSeconds).toBe(60);
    expect(long.notes).toEqual(['window 300 s asked: the server keeps 60 s, so 60 s are drawn']);
    expect(long.key).toBe(applySettings(SERVER, { windowSeconds: 60, cmap: 'magma' }).key);
    const points = applySettings(SERVER, { antialias: true });
    expect(points.settings.antialias).toBe(false);
    expect(points.key).toBe(viewKey(SERVER));
    expect(points.notes[0]).toMatch(/antialiasing draws lines/);
    expect(applySettings(SERVER, { antialias: true, mode: 'lines' }).settings.antialias).toBe(true);
  });

  it('keeps a viewer to one picture every 0.25 s at most, or the server\'s own interval where that is shorter', () => {
    const fast = applySettings(SERVER, { rebundleSeconds: 0.1 });
    expect(fast.settings.rebundleSeconds).toBe(0.25);
    expect(fast.notes).toEqual(['a picture every 0.1 s asked: at most one every 0.25 s']);
    expect(applySettings(SERVER, { rebundleSeconds: 0.25 }).notes).toEqual([]);
    const eager = serverViewSettings({ windowSeconds: 60, rebundleMs: 0, how: 'eq_hist', mode: 'points' });
    expect(applySettings(eager, { rebundleSeconds: 0 })).toMatchObject({ settings: { rebundleSeconds: 0 }, notes: [] });
  });

  it('turns protocol names into a mask of protocol codes', () => {
    expect(protocolMask(['tcp', 'udp', 'icmp', 'other'])).toBe(15);
    expect(protocolMask(['udp', 'other'])).toBe(0b1010);
    expect(protocolMask([])).toBe(0);
  });
});
