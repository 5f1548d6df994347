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
// - the newest timestamp of any Event that arrives, plus the time elapsed since it arrived.
//   Watches bring Events continuously while Date headers come only with lists and log reads.
// Between two observations the server's clock is assumed to run at the rate measured over the
// last few minutes of observations: 1 on real clusters (a measured rate within 10 % of 1 is taken as 1), the
// speed factor on the demo's simulated clock. Without it the estimate fell behind by
// (rate − 1) × the time since the last observation, and ages disagreed with kubectl's. Events
// are stamped by kubelets whose clocks may be off by seconds: over the two-minute baseline an
// offset of up to 12 s still reads as rate 1, and a larger one fades as the baseline grows.
import type { KubeEvent } from '../kube/types';

/** A Date header has whole seconds: the server's clock was somewhere in the second it names. */
const HALF_SECOND_MS = 500;
/** A rate is measured over at least this much local time, so whole-second stamps cannot sway it. */
const RATE_BASELINE_MS = 120_000;
/** Measured rates this close to 1 are 1: two clocks of real time, rounding, node clock offsets. */
const SAME_RATE = 0.1;
/** Observations older than this stop counting, so a clock that was set forward is forgotten. */
const RATE_WINDOW_MS = 10 * 60_000;
/** Observations closer together than this are not kept (a busy cluster sends Events constantly). */
const SAMPLE_SPACING_MS = 5_000;
/** A Date header this far behind the estimate is a clock that was set back: measure anew. */
const SET_BACK_MS = 5 * 60_000;

interface Sample {
  serverMs: number;
  localMs: number;
}

export class ServerClock {
  /** The newest Date header (server ms, its middle second) and when it arrived. */
  private date: Sample | undefined;
  /** The newest Event time seen (server ms) and the local time when it was seen. */
  private newestEvent: Sample | undefined;
  /** Observations the rate is measured over, oldest first, spaced and windowed. */
  private samples: Sample[] = [];
  private rateValue = 1;

  constructor(private readonly local: () => number = Date.now) {}

  /** The server's current time, ms since the epoch. */
  now(): number {
    const local = this.local();
    const fromDate = this.date ? this.project(this.date, local) : local;
    if (!this.newestEvent) return fromDate;
    return Math.max(fromDate, this.project(this.newestEvent, local));
  }

  /** Server minus local clock, ms, at the newest Date header (the Event floor is not included). */
  get skew(): number {
    return this.date ? this.date.serverMs - this.date.localMs : 0;
  }

  /** Server milliseconds per local millisecond, as measured (1 until measured). */
  get rate(): number {
    return this.rateValue;
  }

  /** Learns from a response's Date header (an HTTP-date); ignores a missing or unparsable one. */
  observeDate(header: string | undefined): void {
    if (header === undefined) return;
    const parsed = Date.parse(header);
    if (Number.isNaN(parsed)) return;
    const sample = { serverMs: parsed + HALF_SECOND_MS, localMs: this.local() };
    if (sample.serverMs < this.now() - SET_BACK_MS) {
      this.samples = [];
      this.rateValue = 1;
      delete this.newestEvent;
    }
    this.date = sample;
    this.learnRate(sample);
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
    if (current && newest <= this.project(current, local)) return;
    const sample = { serverMs: newest, localMs: local };
    this.newestEvent = sample;
    this.learnRate(sample);
  }

  private project(sample: Sample, local: number): number {
    return sample.serverMs + (local - sample.localMs) * this.rateValue;
  }

  private learnRate(sample: Sample): void {
    const samples = this.samples;
    const last = samples[samples.length - 1];
    if (!last || sample.localMs - last.localMs >= SAMPLE_SPACING_MS) samples.push(sample);
    while (samples.length > 2 && sample.localMs - (samples[1]?.localMs ?? 0) >= RATE_WINDOW_MS)
      samples.shift();
    const oldest = samples[0];
    if (!oldest) return;
    const baseline = sample.localMs - oldest.localMs;
    if (baseline < RATE_BASELINE_MS) return;
    const measured = (sample.serverMs - oldest.serverMs) / baseline;
    if (!(measured > 0)) return;
    this.rateValue = Math.abs(measured - 1) <= SAME_RATE ? 1 : measured;
  }
}
