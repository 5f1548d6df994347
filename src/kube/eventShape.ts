// events.k8s.io/v1 and core/v1 are two views of one Event, converted field by field as
// kube-apiserver's conversion functions do (regarding = involvedObject, note = message,
// deprecatedSource = source, ...). The demo API server serves both; snapshots may hold either.
import type { KubeEvent, KubeObject } from './types';

export function toEventsV1(core: KubeObject): KubeObject {
  const {
    involvedObject,
    message,
    source,
    firstTimestamp,
    lastTimestamp,
    count,
    reportingComponent,
    apiVersion: _apiVersion,
    kind: _kind,
    metadata,
    ...rest
  } = core as Record<string, unknown>;
  const out: Record<string, unknown> = { kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata, ...rest };
  if (involvedObject !== undefined) out['regarding'] = involvedObject;
  if (message !== undefined) out['note'] = message;
  if (reportingComponent !== undefined) out['reportingController'] = reportingComponent;
  if (source !== undefined) out['deprecatedSource'] = source;
  if (firstTimestamp) out['deprecatedFirstTimestamp'] = firstTimestamp;
  if (lastTimestamp) out['deprecatedLastTimestamp'] = lastTimestamp;
  if (count !== undefined) out['deprecatedCount'] = count;
  return out;
}

export function fromEventsV1(view: KubeObject): KubeObject {
  const {
    regarding,
    note,
    reportingController,
    deprecatedSource,
    deprecatedFirstTimestamp,
    deprecatedLastTimestamp,
    deprecatedCount,
    apiVersion: _apiVersion,
    kind: _kind,
    metadata,
    ...rest
  } = view as Record<string, unknown>;
  const out: Record<string, unknown> = { kind: 'Event', apiVersion: 'v1', metadata, ...rest };
  out['involvedObject'] = regarding ?? {};
  if (note !== undefined) out['message'] = note;
  if (reportingController !== undefined) out['reportingComponent'] = reportingController;
  out['source'] = deprecatedSource ?? {};
  out['firstTimestamp'] = deprecatedFirstTimestamp ?? null;
  out['lastTimestamp'] = deprecatedLastTimestamp ?? null;
  if (deprecatedCount !== undefined) out['count'] = deprecatedCount;
  return out;
}

/** The time an event last happened, whichever wire shape it has (legacy recorder or events.k8s.io). */
export function eventTime(event: KubeEvent): string {
  return (
    event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp ?? ''
  );
}
