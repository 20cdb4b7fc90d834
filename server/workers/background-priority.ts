// Heavy worker threads (bundling, drawing) run at a lower CPU priority than the server's event
// loop: on a 2-core machine three busy threads would otherwise keep the loop from its timers
// and sockets for tens of milliseconds at a time. They lose nothing when the loop is idle,
// which it mostly is. Linux only (a thread's id is found through /proc/thread-self and is
// accepted where a process id is); elsewhere, or if refused, threads keep their priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value of background threads: below the event loop's (0), above idle. */
export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's priority to BACKGROUND_NICE; returns whether it could. */
export function lowerThisThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
