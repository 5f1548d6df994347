// The `Events:` section of `kubectl describe`, as DescribeEvents prints it: oldest first by
// last time seen, the age column with `(xN over …)` for repeated events.
import { eventTime } from '../eventShape';
import { translateTimestampSince } from '../humanDuration';
import type { KubeEvent } from '../types';
import type { TabWriter } from './tabWriter';

export function sortedEvents(events: readonly KubeEvent[]): KubeEvent[] {
  return [...events].sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
}

export function writeEvents(w: TabWriter, events: readonly KubeEvent[], now: number): void {
  if (events.length === 0) {
    w.write('Events:\t<none>\n');
    return;
  }
  w.flush();
  w.write('Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write('  ----\t------\t----\t----\t-------\n');
  for (const e of sortedEvents(events)) {
    const first = e.eventTime
      ? translateTimestampSince(e.eventTime, now)
      : translateTimestampSince(e.firstTimestamp, now);
    let interval = first;
    if (e.series)
      interval = `${translateTimestampSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1)
      interval = `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count ?? 0} over ${first})`;
    // Go's ReportingController is `reportingComponent` on the wire.
    const source = e.source?.component || e.reportingComponent || '';
    w.write(`  ${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}
