// Replay controls: pause/resume, speed, seek slider over the capture's time range, loop.
// They drive the server's capture clock through POST /api/replay and show its state from
// the stats messages.
import type { ReplayCommand, ReplayState } from '../../shared/protocol.js';

export class ReplayControls {
  private readonly pauseButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly seekSlider: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly loopBox: HTMLInputElement;
  private dragging = false;
  private paused = false;

  constructor(root: HTMLElement, private readonly onError: (message: string) => void) {
    const q = <T extends HTMLElement>(sel: string) => root.querySelector(sel) as T;
    this.pauseButton = q('#r-pause');
    this.speedSelect = q('#r-speed');
    this.seekSlider = q('#r-seek');
    this.position = q('#r-position');
    this.loopBox = q('#r-loop');
    this.pauseButton.addEventListener('click', () => void this.send({ action: this.paused ? 'resume' : 'pause' }));
    this.speedSelect.addEventListener('change', () => {
      const v = this.speedSelect.value;
      void this.send({ action: 'speed', speed: v === 'max' ? 'max' : Number(v) });
    });
    this.seekSlider.addEventListener('input', () => { this.dragging = true; this.position.textContent = timeText(Number(this.seekSlider.value)); });
    this.seekSlider.addEventListener('change', () => {
      this.dragging = false;
      void this.send({ action: 'seek', time: Number(this.seekSlider.value) });
    });
    this.loopBox.addEventListener('change', () => void this.send({ action: 'loop', loop: this.loopBox.checked }));
  }

  show(state: ReplayState, captureTime: number | null): void {
    this.paused = state.paused;
    this.pauseButton.textContent = state.paused ? 'resume' : 'pause';
    this.pauseButton.dataset.paused = String(state.paused);
    const speed = String(state.speed);
    if (![...this.speedSelect.options].some((o) => o.value === speed)) this.speedSelect.add(new Option(speed, speed));
    if (document.activeElement !== this.speedSelect) this.speedSelect.value = speed;
    this.loopBox.checked = state.loop;
    this.loopBox.disabled = !state.seekable;
    const known = state.seekable && state.start !== null && state.end !== null;
    this.seekSlider.disabled = !known;
    if (known && !this.dragging) {
      this.seekSlider.min = String(state.start);
      this.seekSlider.max = String(state.end);
      if (captureTime !== null) this.seekSlider.value = String(captureTime);
    }
    if (!this.dragging) this.position.textContent = captureTime === null ? '' : timeText(captureTime);
  }

  private async send(command: ReplayCommand): Promise<void> {
    const res = await fetch('/api/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });
    if (!res.ok) this.onError(((await res.json()) as { message?: string }).message ?? `replay control failed (${res.status})`);
  }
}

function timeText(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}
