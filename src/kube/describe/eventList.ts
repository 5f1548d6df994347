// The events of an object and the objects under it, as `kubectl events` lists them: oldest first
// by the time last seen, with the object each is about.
import { eventTime } from '../eventShape';
import { translateTimestampSince } from '../humanDuration';
import type { KubeEvent } from '../types';
import { sortedEvents } from './describeEvents';
import { TabWriter } from './tabWriter';

export function eventList(events: readonly KubeEvent[], now: number): string {
  if (events.length === 0) return 'No events found.\n';
  const w = new TabWriter();
  w.write('LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n');
  for (const e of sortedEvents(events)) {
    const seen = translateTimestampSince(eventTime(e), now);
    const repeat = (e.series?.count ?? e.count ?? 1) > 1 ? ` (x${e.series?.count ?? e.count})` : '';
    const object = `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`;
    w.write(`${seen}${repeat}\t${e.type ?? ''}\t${e.reason ?? ''}\t${object}\t${(e.message ?? '').trim()}\n`);
  }
  return w.toString();
}
