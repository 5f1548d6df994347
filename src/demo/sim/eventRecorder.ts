// Writes Events in the two wire shapes of §1.2: the legacy recorder (kubelet and the
// controller-manager: `source`, `count`, `firstTimestamp`/`lastTimestamp`, identical events
// deduplicated by bumping `count`) and the events.k8s.io recorder the scheduler uses (`source: {}`,
// null timestamps, `eventTime`, `action`, and `series` once an event repeats).
import type { KubeEvent, KubeObject, ObjectReference } from '../../kube/types';
import type { Clock } from '../clock';
import type { ObjectStore } from '../objectStore';
import { microTime, rfc3339 } from '../../kube/timeFormat';

export interface LegacyEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** `kubelet`, `replicaset-controller`, ... */
  component: string;
  /** The node, for kubelet events. */
  host?: string;
  /** `spec.containers{app}` for container events. */
  fieldPath?: string;
}

export interface SchedulerEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
  related?: KubeObject;
}

const aggregateMaxEvents = 10;
const aggregateIntervalMs = 10 * 60_000;

/** The scheduler's instance name, as `default-scheduler-<hostname>`. */
export const schedulerInstance = 'default-scheduler-control-plane-1';

function reference(object: KubeObject, fieldPath?: string): ObjectReference {
  const meta = object.metadata ?? {};
  const ref: ObjectReference = {
    apiVersion: object.apiVersion ?? 'v1',
    kind: object.kind ?? '',
    name: meta.name ?? '',
  };
  if (meta.namespace) ref.namespace = meta.namespace;
  if (meta.uid) ref.uid = meta.uid;
  if (meta.resourceVersion) ref.resourceVersion = meta.resourceVersion;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

export class EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  /** Distinct messages per (object, source, type, reason), for aggregation. */
  private readonly similar = new Map<string, { messages: Set<string>; last: number }>();
  /** Dedup keys by the uid of the object they are about, so `forget` need not scan them all. */
  private readonly keysByUid = new Map<string, string[]>();
  private counter = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  /** Event names are `<object>.<hex nanoseconds>`, unique per recorder. */
  private eventName(objectName: string): string {
    const nanos = BigInt(Math.floor(this.clock.now())) * 1_000_000n + BigInt(this.counter++ % 1_000_000);
    return `${objectName}.${nanos.toString(16)}`;
  }

  private namespaceOf(object: KubeObject): string {
    return object.metadata?.namespace ?? 'default';
  }

  record(object: KubeObject, input: LegacyEvent): void {
    const now = this.clock.now();
    const uid = object.metadata?.uid ?? `${object.kind}/${object.metadata?.name}`;
    const event = this.aggregate(uid, input, now);
    const key = event.aggregated
      ? ['aggregate', uid, event.component, event.host ?? '', event.type, event.reason].join('\u0000')
      : [
          uid,
          event.fieldPath ?? '',
          event.component,
          event.host ?? '',
          event.type,
          event.reason,
          event.message,
        ].join('\u0000');
    const previous = this.seen.get(key);
    if (previous) {
      const existing = this.store.get('Event', previous.namespace, previous.name) as KubeEvent | undefined;
      if (existing) {
        this.store.update({
          ...existing,
          count: (existing.count ?? 1) + 1,
          lastTimestamp: rfc3339(now),
          message: event.message,
        });
        return;
      }
    }
    const namespace = this.namespaceOf(object);
    const name = this.eventName(object.metadata?.name ?? 'unknown');
    const source: { component: string; host?: string } = { component: event.component };
    if (event.host) source.host = event.host;
    const created: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: reference(object, event.fieldPath),
      reason: event.reason,
      message: event.message,
      source,
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
      type: event.type,
      eventTime: null,
      reportingComponent: event.component,
      reportingInstance: event.host ?? '',
    };
    this.store.create(created);
    this.remember(uid, key, namespace, name);
  }

  private remember(uid: string, key: string, namespace: string, name: string): void {
    this.seen.set(key, { namespace, name });
    this.indexKey(uid, key);
  }

  private indexKey(uid: string, key: string): void {
    const keys = this.keysByUid.get(uid);
    if (keys) keys.push(key);
    else this.keysByUid.set(uid, [key]);
  }

  /**
   * client-go's EventAggregator: once 10 different messages with the same source, object, type
   * and reason arrive within 10 minutes, further ones are folded into one event whose message
   * starts with "(combined from similar events): ".
   */
  private aggregate(uid: string, event: LegacyEvent, now: number): LegacyEvent & { aggregated?: boolean } {
    const key = [uid, event.component, event.host ?? '', event.type, event.reason].join('\u0000');
    let record = this.similar.get(key);
    if (!record || now - record.last > aggregateIntervalMs) {
      if (!record) this.indexKey(uid, key);
      record = { messages: new Set(), last: now };
      this.similar.set(key, record);
    }
    record.last = now;
    record.messages.add(event.message);
    if (record.messages.size < aggregateMaxEvents) return event;
    return { ...event, message: `(combined from similar events): ${event.message}`, aggregated: true };
  }

  recordScheduler(object: KubeObject, event: SchedulerEvent): void {
    const now = this.clock.now();
    const uid = object.metadata?.uid ?? `${object.kind}/${object.metadata?.name}`;
    const key = ['scheduler', uid, event.type, event.reason, event.action, event.note].join('\u0000');
    const previous = this.seen.get(key);
    if (previous) {
      const existing = this.store.get('Event', previous.namespace, previous.name) as KubeEvent | undefined;
      if (existing) {
        const count = existing.series?.count ? existing.series.count + 1 : 2;
        this.store.update({ ...existing, series: { count, lastObservedTime: microTime(now) } });
        return;
      }
    }
    const namespace = this.namespaceOf(object);
    const name = this.eventName(object.metadata?.name ?? 'unknown');
    const created: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: reference(object),
      reason: event.reason,
      message: event.note,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: event.type,
      eventTime: microTime(now),
      action: event.action,
      reportingComponent: 'default-scheduler',
      reportingInstance: schedulerInstance,
    };
    if (event.related) created['related'] = reference(event.related);
    this.store.create(created);
    this.remember(uid, key, namespace, name);
  }

  /** Drops dedup memory for an object that is gone, so the map does not grow forever. */
  forget(uid: string): void {
    for (const key of this.keysByUid.get(uid) ?? []) {
      this.seen.delete(key);
      this.similar.delete(key);
    }
    this.keysByUid.delete(uid);
  }
}
