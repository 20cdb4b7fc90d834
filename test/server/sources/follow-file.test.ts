import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FollowedFile, type FollowRestart } from '../../../server/sources/follow-file.js';

const dir = mkdtempSync(join(tmpdir(), 'netshade-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a FollowedFile as text, one awaited chunk at a time, with a deadline so a miss fails instead of hanging. */
function reader(file: FollowedFile) {
  const it = file[Symbol.asyncIterator]();
  let text = '';
  return {
    get text() { return text; },
    /** Reads chunks until the text read so far ends with `tail`. */
    async until(tail: string): Promise<string> {
      const deadline = Date.now() + 10_000;
      while (!text.endsWith(tail)) {
        const next = await Promise.race([
          it.next(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no "${tail}" within 10 s; read ${JSON.stringify(text)}`)), Math.max(1, deadline - Date.now()))),
        ]);
        if (next.done) throw new Error(`ended before "${tail}"; read ${JSON.stringify(text)}`);
        text += Buffer.from(next.value).toString('utf8');
      }
      return text;
    },
    next: () => it.next(),
    close: () => it.return?.(undefined),
  };
}

describe('FollowedFile', () => {
  it('reads what is there, then each append', async () => {
    const path = join(dir, 'append.txt');
    writeFileSync(path, 'first\n');
    const file = new FollowedFile(path, { pollMs: 50 });
    const r = reader(file);
    expect(await r.until('first\n')).toBe('first\n');
    appendFileSync(path, 'second\n');
    expect(await r.until('second\n')).toBe('first\nsecond\n');
    appendFileSync(path, 'third, no newline');
    expect(await r.until('newline')).toBe('first\nsecond\nthird, no newline');
    expect(file.bytesRead).toBe(Buffer.byteLength('first\nsecond\nthird, no newline'));
    await r.close();
  });

  it('starts again from the beginning when the file is truncated', async () => {
    const path = join(dir, 'truncate.txt');
    writeFileSync(path, '0123456789\n');
    const restarts: FollowRestart[] = [];
    const r = reader(new FollowedFile(path, { pollMs: 50, onRestart: (why) => restarts.push(why) }));
    await r.until('9\n');
    truncateSync(path, 0);
    appendFileSync(path, 'ab\n');
    expect(await r.until('ab\n')).toBe('0123456789\nab\n');
    expect(restarts).toEqual(['truncated']);
    await r.close();
  });

  it('notices a truncated file written again past the read position before it looked', async () => {
    const path = join(dir, 'rewrite.txt');
    writeFileSync(path, 'short\n');
    const restarts: FollowRestart[] = [];
    const r = reader(new FollowedFile(path, { pollMs: 50, onRestart: (why) => restarts.push(why) }));
    await r.until('short\n');
    writeFileSync(path, 'a longer first line\n');
    expect(await r.until('line\n')).toBe('short\na longer first line\n');
    expect(restarts).toEqual(['truncated']);
    await r.close();
  });

  it('follows a rotation: finishes the renamed file, then reads the new one from its start', async () => {
    const path = join(dir, 'rotate.txt');
    writeFileSync(path, 'old 1\n');
    const restarts: FollowRestart[] = [];
    const r = reader(new FollowedFile(path, { pollMs: 50, onRestart: (why) => restarts.push(why) }));
    await r.until('old 1\n');
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'old 2\n'); // the writer still had the old file open
    writeFileSync(path, 'new 1\n');
    expect(await r.until('new 1\n')).toBe('old 1\nold 2\nnew 1\n');
    expect(restarts).toEqual(['rotated']);
    appendFileSync(path, 'new 2\n');
    expect(await r.until('new 2\n')).toBe('old 1\nold 2\nnew 1\nnew 2\n');
    await r.close();
  });

  it('waits for a file that does not exist yet', async () => {
    const path = join(dir, 'later.txt');
    let missing = 0;
    const file = new FollowedFile(path, { pollMs: 50, onMissing: () => { missing++; } });
    const r = reader(file);
    const read = r.until('hello\n');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(file.missing).toBe(true);
    writeFileSync(path, 'hello\n');
    expect(await read).toBe('hello\n');
    expect(file.missing).toBe(false);
    expect(missing).toBe(1);
    await r.close();
  });

  it('stop() ends the iteration', async () => {
    const path = join(dir, 'stop.txt');
    writeFileSync(path, 'x\n');
    const file = new FollowedFile(path, { pollMs: 10_000 });
    const r = reader(file);
    await r.until('x\n');
    const pending = r.next();
    file.stop();
    expect((await pending).done).toBe(true);
  });

  it('checks its options', () => {
    expect(() => new FollowedFile('x', { pollMs: 0 })).toThrow(/pollMs/);
    expect(() => new FollowedFile('x', { chunkSize: 1.5 })).toThrow(/chunkSize/);
  });
});
