// Follows a file that grows, like `tail -F`: yields its bytes from the start, then whatever is
// appended. A file that no longer continues what was read (cut shorter, as by copy-truncate
// rotation, or truncated and written again) is read again from its start; a file replaced under
// its name (rename rotation) is read to its end and then the new one is opened. Changes are noticed through fs.watch on the directory, with a
// polling interval as the fallback for file systems that do not report them.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** Bytes compared to tell a file rewritten from the one that was read. */
const TAIL_BYTES = 64;

export type FollowRestart = 'truncated' | 'rotated';

export interface FollowOptions {
  /** Longest wait (ms) before looking at the file again when no change was reported (default 250). */
  pollMs?: number;
  /** Bytes read at a time (default 64 KiB). */
  chunkSize?: number;
  /**
   * Called when the bytes that follow do not continue the ones before: the file was truncated
   * and is read again from 0, or it was rotated and the new file is read from 0.
   */
  onRestart?: (reason: FollowRestart) => void;
  /** Called when the file is found missing (following waits for it to appear). */
  onMissing?: () => void;
}

export class FollowedFile implements AsyncIterable<Uint8Array> {
  /** Bytes read so far, all files together. */
  bytesRead = 0;
  /** True while the file does not exist (following waits for it to appear). */
  missing = false;
  private readonly pollMs: number;
  private readonly chunkSize: number;
  private readonly options: FollowOptions;
  private stopped = false;
  private changed = false;
  private wake: (() => void) | null = null;
  private watcher: FSWatcher | null = null;
  private iterated = false;
  /** Read position in the file being followed. */
  private position = 0;
  /** The last bytes read (tailLength of them), and room to read them again. */
  private readonly tail = new Uint8Array(TAIL_BYTES);
  private tailLength = 0;
  private readonly check = new Uint8Array(TAIL_BYTES);

  constructor(readonly path: string, options: FollowOptions = {}) {
    const { pollMs = 250, chunkSize = 64 * 1024 } = options;
    if (!(pollMs > 0)) throw new RangeError(`pollMs must be positive, got ${pollMs}`);
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
    this.pollMs = pollMs;
    this.chunkSize = chunkSize;
    this.options = options;
  }

  /** Ends the iteration (at its next wait) and releases the file and the watcher. */
  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.iterated) throw new Error(`${this.path}: a followed file can be iterated only once`);
    this.iterated = true;
    this.startWatching();
    const buffer = new Uint8Array(this.chunkSize);
    let handle: FileHandle | null = null;
    let inode = -1;
    try {
      while (!this.stopped) {
        if (handle === null) {
          const opened = await openIfPresent(this.path);
          if (opened === null) {
            if (!this.missing) this.options.onMissing?.();
            this.missing = true;
            await this.waitForChange();
            continue;
          }
          this.missing = false;
          ({ handle, inode } = opened);
          this.position = 0; this.tailLength = 0;
        }
        yield* this.readToEnd(handle, buffer);
        if (this.stopped) return;
        const now = await inodeAt(this.path);
        if (now !== inode && now !== -1) {
          // Rotated: what was appended to the old file since the last read comes first.
          yield* this.readToEnd(handle, buffer);
          await handle.close();
          handle = null;
          this.options.onRestart?.('rotated');
          continue;
        }
        await this.waitForChange();
      }
    } finally {
      await handle?.close();
      this.stop();
    }
  }

  /**
   * Whether the file no longer continues what was read: shorter than the read position, or,
   * when it has grown, different in the last bytes read (truncated and written again between
   * two looks, as when a `tcpdump > FILE` is restarted).
   */
  private async rewritten(handle: FileHandle): Promise<boolean> {
    if (this.position === 0) return false;
    const size = (await handle.stat()).size;
    if (size < this.position) return true;
    if (size === this.position || this.tailLength === 0) return false;
    const n = this.tailLength;
    const { bytesRead } = await handle.read(this.check, 0, n, this.position - n);
    if (bytesRead < n) return true;
    for (let i = 0; i < n; i++) if (this.check[i] !== this.tail[i]) return true;
    return false;
  }

  private async *readToEnd(handle: FileHandle, buffer: Uint8Array): AsyncGenerator<Uint8Array> {
    while (!this.stopped) {
      // Checked before every read: time passes while the consumer holds the previous chunk.
      if (await this.rewritten(handle)) {
        this.position = 0; this.tailLength = 0;
        this.options.onRestart?.('truncated');
      }
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.position);
      if (bytesRead === 0) return;
      this.position += bytesRead;
      this.bytesRead += bytesRead;
      this.keepTail(buffer, bytesRead);
      // A copy sized to fit: the consumer may keep it.
      yield buffer.slice(0, bytesRead);
    }
  }

  /** Keeps the last TAIL_BYTES bytes read, for rewritten() to compare. */
  private keepTail(buffer: Uint8Array, n: number): void {
    const t = this.tail;
    if (n >= TAIL_BYTES) {
      t.set(buffer.subarray(n - TAIL_BYTES, n));
      this.tailLength = TAIL_BYTES;
      return;
    }
    const keep = Math.min(this.tailLength, TAIL_BYTES - n);
    t.copyWithin(0, this.tailLength - keep, this.tailLength);
    t.set(buffer.subarray(0, n), keep);
    this.tailLength = keep + n;
  }

  private startWatching(): void {
    const name = basename(this.path);
    try {
      // The directory, not the file: a watch on the file would stay with the old inode after a
      // rename and never see the new file appear.
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.signalChange();
      });
      this.watcher.on('error', () => { this.watcher?.close(); this.watcher = null; });
    } catch {
      this.watcher = null; // no directory yet, or no inotify watches left: polling alone
    }
  }

  private signalChange(): void {
    this.changed = true;
    this.wake?.();
  }

  private waitForChange(): Promise<void> {
    if (this.changed || this.stopped) { this.changed = false; return Promise.resolve(); }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = null;
        self.changed = false;
        resolve();
      }
      this.wake = done;
    });
  }
}

async function openIfPresent(path: string): Promise<{ handle: FileHandle; inode: number } | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const info = await handle.stat();
  if (info.isDirectory()) { await handle.close(); throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' }); }
  return { handle, inode: info.ino };
}

async function inodeAt(path: string): Promise<number> {
  try {
    return (await stat(path)).ino;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return -1; // renamed away, not yet recreated
    throw err;
  }
}
