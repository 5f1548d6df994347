// Reading kubelet and controller events: the aggregation prefix, the container an event is about,
// and how an event is quoted as evidence.
import type { KubeEvent } from '../../kube/types';
import { eventTime } from '../../kube/eventShape';
import { sanitizeText } from '../../kube/sanitize';

/** client-go's event aggregator prepends this once similar events differ only in message (catalog §1.2). */
export const COMBINED_PREFIX = '(combined from similar events): ';

/** The message to match against: aggregation prefix removed, escape sequences stripped. */
export function eventMessage(event: KubeEvent): string {
  let message = event.message ?? '';
  if (message.startsWith(COMBINED_PREFIX)) message = message.slice(COMBINED_PREFIX.length);
  return sanitizeText(message);
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

const FIELD_PATH = /^spec\.(containers|initContainers|ephemeralContainers)\{(.+)\}$/;

/** The container an event names through `involvedObject.fieldPath` (`spec.containers{app}`). */
export function eventContainer(event: KubeEvent): { kind: ContainerKind; name: string } | undefined {
  const match = FIELD_PATH.exec(event.involvedObject.fieldPath ?? '');
  if (!match) return undefined;
  return { kind: match[1] as ContainerKind, name: match[2] ?? '' };
}

/** How many times the event happened, in either wire shape. */
export function eventCount(event: KubeEvent): number {
  return event.count ?? event.series?.count ?? 1;
}

/** Evidence line for an event: `Failed: Error: configmap "x" not found (×9)`. */
export function describeEvent(event: KubeEvent): string {
  const count = eventCount(event);
  return `${event.reason ?? 'Event'}: ${eventMessage(event)}${count > 1 ? ` (×${count})` : ''}`;
}

/** The newest timestamp among these events, or undefined. */
export function newestEventTime(events: readonly KubeEvent[]): string | undefined {
  let newest: string | undefined;
  for (const event of events) {
    const time = eventTime(event);
    if (time && (newest === undefined || time > newest)) newest = time;
  }
  return newest;
}
