// Real time multiplied by a speed factor, so that the demo shows back-offs measured in minutes
// within seconds. Timers are real `setTimeout`s shortened by the same factor; `dispose` cancels
// the ones still pending so that stopping the demo leaves no handle keeping Node alive.
import type { Clock, TimerHandle } from './clock';

export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(
    private readonly speed = 1,
    simStart?: number,
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
    this.simStart = simStart ?? this.realStart;
  }

  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        fn();
      },
      Math.max(0, ms) / this.speed,
    );
    this.pending.add(handle);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.pending.delete(handle);
      },
    };
  }

  dispose(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
