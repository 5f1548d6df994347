// The controllers' work queue: keys are deduplicated while queued and drained in order on a
// zero-delay timer, so that a write made while notifying (the store calls listeners
// synchronously) never re-enters a controller. Delayed requeues keep only the earliest timer.
import type { Clock, TimerHandle } from '../clock';

export class WorkQueue {
  private readonly queue = new Map<string, () => void>();
  private readonly delayed = new Map<string, { at: number; handle: TimerHandle }>();
  private scheduled: TimerHandle | undefined;
  private draining = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string, fn: () => void): void {
    if (this.stopped) return;
    if (!this.queue.has(key)) this.queue.set(key, fn);
    if (!this.draining && !this.scheduled) this.scheduled = this.clock.setTimer(0, () => this.drain());
  }

  addAfter(key: string, fn: () => void, ms: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + Math.max(0, ms);
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at && existing.at >= this.clock.now()) return;
    existing?.handle.cancel();
    const handle = this.clock.setTimer(Math.max(0, ms), () => {
      this.delayed.delete(key);
      this.add(key, fn);
    });
    this.delayed.set(key, { at, handle });
  }

  /** Runs everything queued, including what the work itself queues, until nothing is left. */
  drain(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    if (this.draining) return;
    this.draining = true;
    try {
      for (let guard = 0; guard < 5_000_000 && this.queue.size > 0; guard++) {
        const [key, fn] = this.queue.entries().next().value as [string, () => void];
        this.queue.delete(key);
        try {
          fn();
        } catch (error) {
          this.onError(key, error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  stop(): void {
    this.stopped = true;
    this.scheduled?.cancel();
    for (const { handle } of this.delayed.values()) handle.cancel();
    this.delayed.clear();
    this.queue.clear();
  }
}
