// Capped exponential back-off with jitter for watch reconnects. Jitter spreads reconnects of
// fifteen watches (and of many editors behind one API server) so they do not arrive together.
export interface BackoffPolicy {
  /** First delay, ms. */
  initialMs: number;
  /** Upper bound, ms. */
  maxMs: number;
  /** Delay after a 401/403: RBAC and credentials rarely change within seconds, so never retry fast. */
  deniedMs: number;
}

/**
 * The longest a server's Retry-After is obeyed: a hostile or broken header (a day, a date in 2099)
 * must not park a kind for longer than this; the back-off itself tops out below it.
 */
export const RETRY_AFTER_MAX_MS = 60_000;

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, deniedMs: 5 * 60_000 };

export class Backoff {
  private failures = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The delay before the next attempt: half fixed, half random ("equal jitter"), and never less
   * than what the server asked for with Retry-After (`serverMs`, capped at RETRY_AFTER_MAX_MS).
   */
  next(serverMs = 0): number {
    const ceiling = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    const own = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    return Math.max(own, Math.min(serverMs, RETRY_AFTER_MAX_MS));
  }

  /** The delay after the server denied us; jittered too, so many kinds do not retry in step. */
  denied(): number {
    return Math.round(this.policy.deniedMs * (0.75 + this.random() * 0.25));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
