// The clock analysis measures ages against: the API server's, not ours. Recency rules ("a failed
// exit within the last 10 minutes") compare timestamps the cluster wrote with now(); if our
// clock and the server's disagree (skew on real clusters; always on the demo cluster, whose
// simulated clock starts hours in the past and runs faster than real time), every recent
// failure looks old or in the future.
//
// Two sources, and now() is the later of the two:
// - the `Date` header of every API response we can see (list pages, log reads): the server's
//   clock at that moment. The newest one wins, even when it moves the clock back (a server
//   whose clock was corrected).
// - the newest timestamp of any Event that arrives, plus the local time elapsed since it
//   arrived. Watches bring Events continuously while Date headers come only with lists and log
//   reads, so this keeps a clock that runs faster than ours (the demo's) tracked in between.
import type { KubeEvent } from '../kube/types';

/** A Date header has whole seconds: the server's clock was somewhere in the second it names. */
const HALF_SECOND_MS = 500;

export class ServerClock {
  /** Server minus local, ms, from the newest Date header. */
  private skewMs = 0;
  /** The newest Event time seen (server ms) and the local time when it was seen. */
  private newestEvent: { serverMs: number; localMs: number } | undefined;

  constructor(private readonly local: () => number = Date.now) {}

  /** The server's current time, ms since the epoch. */
  now(): number {
    const local = this.local();
    const fromDate = local + this.skewMs;
    if (!this.newestEvent) return fromDate;
    return Math.max(fromDate, this.newestEvent.serverMs + (local - this.newestEvent.localMs));
  }

  /** Server minus local clock, ms (what the Date headers said; the Event floor is not included). */
  get skew(): number {
    return this.skewMs;
  }

  /** Learns from a response's Date header (an HTTP-date); ignores a missing or unparsable one. */
  observeDate(header: string | undefined): void {
    if (header === undefined) return;
    const serverMs = Date.parse(header);
    if (Number.isNaN(serverMs)) return;
    this.skewMs = serverMs + HALF_SECOND_MS - this.local();
  }

  /** Learns from an Event's newest timestamp (lastTimestamp, eventTime, series.lastObservedTime). */
  observeEvent(event: KubeEvent): void {
    let newest = Number.NEGATIVE_INFINITY;
    for (const time of [event.lastTimestamp, event.eventTime, event.series?.lastObservedTime]) {
      const ms = typeof time === 'string' ? Date.parse(time) : Number.NaN;
      if (!Number.isNaN(ms) && ms > newest) newest = ms;
    }
    if (newest === Number.NEGATIVE_INFINITY) return;
    const local = this.local();
    const current = this.newestEvent;
    if (current && newest <= current.serverMs + (local - current.localMs)) return;
    this.newestEvent = { serverMs: newest, localMs: local };
  }
}
