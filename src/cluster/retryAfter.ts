// How long the API server asked us to wait before trying again. kube-apiserver sends
// `Retry-After` with 429 (max-in-flight and priority-and-fairness rejections) and some 5xx, and
// client-go honours it for 429 and every 5xx (rest/request.go checkWait). HTTP allows delay-seconds
// or an HTTP-date (RFC 9110 §10.2.3); client-go reads seconds only, we read both.

/**
 * The wait a `Retry-After` header asks for, ms, or undefined when there is none or it cannot be
 * read. A date is measured against the same response's `Date` header when it has one, so a skewed
 * local clock neither stretches nor skips the wait; without one, against `now`.
 */
export function retryAfterMs(
  header: string | undefined,
  responseDate: string | undefined,
  now: number,
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse reads "1.5" or "-3" as dates; an HTTP-date always names its day or month.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  const sent = responseDate ? Date.parse(responseDate) : Number.NaN;
  return Math.max(0, at - (Number.isNaN(sent) ? now : sent));
}

/** `details.retryAfterSeconds` of a meta/v1 Status (a refused request's body, or a watch ERROR event). */
export function statusRetryAfterMs(status: unknown): number | undefined {
  if (typeof status !== 'object' || status === null) return undefined;
  const details = (status as { details?: unknown }).details;
  if (typeof details !== 'object' || details === null) return undefined;
  const seconds = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
