// client-go's flowcontrol.Backoff as the kubelet uses it for crash loops and image pulls:
// 10 s doubling to a 5 min cap, forgotten once the last update is older than twice the cap
// (so a container that ran 10 minutes starts again from 10 s).

export const initialBackoffMs = 10_000;
export const maxBackoffMs = 300_000;

interface Entry {
  durationMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs = initialBackoffMs,
    private readonly maxMs = maxBackoffMs,
  ) {}

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }

  /** The current delay for `key`, or 0 when there is none. */
  get(key: string): number {
    return this.entries.get(key)?.durationMs ?? 0;
  }

  /** IsInBackOffSince: still inside the window that began at `eventTime`. */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - eventTime < entry.durationMs;
  }

  /** IsInBackOffSinceUpdate: still inside the window that began at the last `next`. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return false;
    return now - entry.lastUpdate < entry.durationMs;
  }

  /** Next: start at the initial delay, or double up to the cap. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) {
      this.entries.set(key, { durationMs: this.initialMs, lastUpdate: now });
      return;
    }
    entry.durationMs = Math.min(entry.durationMs * 2, this.maxMs);
    entry.lastUpdate = now;
  }

  lastUpdate(key: string): number | undefined {
    return this.entries.get(key)?.lastUpdate;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** Go's time.Duration.String() for whole milliseconds: `10s`, `1m20s`, `5m0s`, `1.5s`, `500ms`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  const secText = `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
  if (hours) return `${hours}h${minutes}m${secText}`;
  if (minutes) return `${minutes}m${secText}`;
  return secText;
}
