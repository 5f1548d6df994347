// The text of the describe and events documents, `kubectl describe` and `kubectl events` alike.
// Cluster text is shown as plain text, but terminal escapes, control and bidirectional characters
// go, and a line or document too long to read is cut with a marker.
import type { ClusterView, KindName } from '../kube/clusterView';
import { describeObject } from '../kube/describe/describeObject';
import { describePod } from '../kube/describe/describePod';
import { eventList } from '../kube/describe/eventList';
import { DOCUMENT_LIMITS, sanitizeText } from '../kube/sanitize';
import { objectEvents } from './objectEvents';

/** The events of an object (and, for a workload, of its pods), oldest first. */
export function eventsDocumentText(
  view: ClusterView,
  kind: KindName,
  namespace: string,
  name: string,
): string {
  return sanitizeText(eventList(objectEvents(view, kind, namespace, name), view.now()), DOCUMENT_LIMITS);
}

/** `kubectl describe` of the object, or undefined when the view does not hold it. */
export function describeDocumentText(
  view: ClusterView,
  kind: KindName,
  namespace: string,
  name: string,
): string | undefined {
  const object = view.get(kind, namespace, name);
  if (!object) return undefined;
  const pod = kind === 'Pod' ? view.get('Pod', namespace, name) : undefined;
  return sanitizeText(pod ? describePod(view, pod) : describeObject(view, kind, object), DOCUMENT_LIMITS);
}
