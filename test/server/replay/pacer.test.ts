import { describe, it, expect } from 'vitest';
import { ReplayPacer, parseSpeed } from '../../../server/replay/pacer.js';

const times = (...t: number[]) => Float64Array.from(t);

describe('ReplayPacer', () => {
  it('releases records at capture pace times speed', () => {
    const p = new ReplayPacer({ speed: 2 });
    const t = times(100, 100.5, 101, 104);
    // At wall 0 the first record anchors the clock: 100 is due, 100.5 is due 250 ms later.
    expect(p.due(t, 0, 4, 0)).toEqual({ end: 1, waitMs: 250 });
    expect(p.due(t, 1, 4, 250)).toEqual({ end: 2, waitMs: 250 });
    expect(p.due(t, 2, 4, 600)).toEqual({ end: 3, waitMs: 1400 });
    expect(p.captureNow(600)).toBeCloseTo(101.2);
    expect(p.due(t, 3, 4, 2000)).toEqual({ end: 4, waitMs: 0 });
  });

  it('releases late (out-of-order) records at once', () => {
    const p = new ReplayPacer({ speed: 1 });
    const t = times(10, 9, 10.5);
    expect(p.due(t, 0, 3, 0)).toEqual({ end: 2, waitMs: 500 });
  });

  it('shortens idle gaps to maxIdleMs of wall time', () => {
    const p = new ReplayPacer({ speed: 1, maxIdleMs: 2000 });
    const t = times(0, 1e9, 1e9 + 1);
    expect(p.due(t, 0, 3, 0)).toEqual({ end: 1, waitMs: 2000 });
    expect(p.due(t, 1, 3, 2000)).toEqual({ end: 2, waitMs: 1000 });
    expect(p.due(t, 2, 3, 3000)).toEqual({ end: 3, waitMs: 0 });
  });

  it('releases everything at speed max', () => {
    const p = new ReplayPacer({ speed: 'max' });
    expect(p.due(times(5, 1e9), 0, 2, 0)).toEqual({ end: 2, waitMs: 0 });
    expect(p.captureNow(0)).toBe(1e9);
  });

  it('parses and validates speed', () => {
    expect(parseSpeed('60')).toBe(60);
    expect(parseSpeed('max')).toBe('max');
    expect(() => parseSpeed('0')).toThrow(/speed/);
    expect(() => parseSpeed('fast')).toThrow(/speed/);
  });
});
