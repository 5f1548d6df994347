// kubectl's age strings: `duration.HumanDuration` and `duration.ShortHumanDuration` from
// k8s.io/apimachinery/pkg/util/duration, and `translateTimestampSince` from the apiserver's
// table printers. The demo API server renders Table rows with these, so every branch and every
// threshold follows the Go source exactly, including its integer truncation.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// Go's time.Duration is int64 nanoseconds, so time.Since saturates at about 292 years.
const MAX_DURATION_MS = 9_223_372_036_854.775;

/** Go's `int(x)` on a float and integer division on durations both truncate toward zero. */
const trunc = Math.trunc;

function clamp(ms: number): number {
  return Math.max(-MAX_DURATION_MS, Math.min(MAX_DURATION_MS, ms));
}

/**
 * `duration.HumanDuration`: about 2–3 significant figures, e.g. `45s`, `2m3s`, `10m`, `3h5m`, `20h`,
 * `2d3h`, `30d`, `2y100d`, `9y`. Durations down to -1s print `0s` (clock skew between machines);
 * anything more negative prints `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const d = clamp(ms);
  const seconds = trunc(d / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = trunc(d / MINUTE);
  if (minutes < 10) {
    const s = trunc(d / SECOND) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = trunc(d / HOUR);
  if (hours < 8) {
    const m = trunc(d / MINUTE) % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = trunc(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = trunc(hours / 24 / 365);
    const dy = trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** `duration.ShortHumanDuration`: one unit only (`59s`, `5m`, `23h`, `364d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const d = clamp(ms);
  const seconds = trunc(d / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(d / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(d / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  // Go divides the float hours here (`int(d.Hours()/24/365)`); the result truncates the same way.
  return `${trunc(d / HOUR / 24 / 365)}y`;
}

/**
 * Parses an RFC 3339 timestamp as the apiserver does; undefined when absent or unparsable, which
 * is what Go's zero `metav1.Time` stands for.
 */
export function parseTimestamp(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `translateTimestampSince`: the AGE column and the `(… ago)` of RESTARTS. A missing timestamp
 * prints `<unknown>`, as kubectl does.
 */
export function translateTimestampSince(timestamp: string | null | undefined, now: number): string {
  const at = parseTimestamp(timestamp);
  return at === undefined ? '<unknown>' : humanDuration(now - at);
}
