// Every container restart seen this session, newest first (seed 001). The cluster's Events
// expire after an hour; this history lasts as long as the session, bounded in size.
import type { RestartEvent } from '../analysis/restartTracker';
import { RestartTracker } from '../analysis/restartTracker';
import type { Pod } from '../kube/types';

export class RestartHistory {
  private readonly tracker = new RestartTracker();
  private events: RestartEvent[] = [];

  constructor(private readonly capacity = 1000) {}

  /** Feeds one pod snapshot; returns the restarts it reveals. */
  observe(pod: Pod, now: number): RestartEvent[] {
    const found = this.tracker.observe(pod, now);
    if (found.length > 0) {
      this.events = [...[...found].reverse(), ...this.events].slice(0, this.capacity);
    }
    return found;
  }

  forget(pod: Pod): void {
    this.tracker.forget(pod);
  }

  /** Newest first. */
  all(): readonly RestartEvent[] {
    return this.events;
  }
}
