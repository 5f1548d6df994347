// A describe for the kinds other than Pod (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs,
// ReplicaSets, Services, Secrets, ConfigMaps): the header kubectl prints for every object, the
// replica counts and conditions from status, the key names of a Secret or ConfigMap, and the
// object's events. Not kubectl's per-kind layout; the pod
// describe (describePod.ts) is the one that matches kubectl line for line.
import type { ClusterView } from '../clusterView';
import { formatLabelSelector } from '../labelSelector';
import { controllerOf } from '../ownership';
import type { Condition, KubeObject, LabelSelector } from '../types';
import { writeEvents } from './describeEvents';
import { rfc1123z } from './describePod';
import { TabWriter } from './tabWriter';

export function describeObject(view: ClusterView, kind: string, object: KubeObject): string {
  const w = new TabWriter();
  const meta = object.metadata ?? {};
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  const status = (object as { status?: Record<string, unknown> }).status ?? {};
  w.write(`Name:\t${meta.name ?? ''}\n`);
  if (meta.namespace) w.write(`Namespace:\t${meta.namespace}\n`);
  w.write(`Kind:\t${kind}\n`);
  if (meta.creationTimestamp) w.write(`CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
  writeMap(w, 'Labels', meta.labels);
  writeMap(w, 'Annotations', meta.annotations);
  const selector = spec['selector'];
  if (selector && typeof selector === 'object') {
    const text =
      'matchLabels' in selector || 'matchExpressions' in selector
        ? formatLabelSelector(selector as LabelSelector)
        : Object.entries(selector as Record<string, string>)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
    w.write(`Selector:\t${text || '<none>'}\n`);
  }
  const owner = controllerOf(object);
  if (owner) w.write(`Controlled By:\t${owner.kind}/${owner.name}\n`);
  for (const [label, field] of [
    ['Replicas', 'replicas'],
    ['Ready Replicas', 'readyReplicas'],
    ['Updated Replicas', 'updatedReplicas'],
    ['Available Replicas', 'availableReplicas'],
    ['Unavailable Replicas', 'unavailableReplicas'],
    ['Desired Scheduled', 'desiredNumberScheduled'],
    ['Current Scheduled', 'currentNumberScheduled'],
    ['Ready', 'numberReady'],
    ['Active', 'active'],
    ['Succeeded', 'succeeded'],
    ['Failed', 'failed'],
  ] as const) {
    const value = status[field];
    if (typeof value === 'number') w.write(`${label}:\t${value}\n`);
  }
  if (typeof spec['replicas'] === 'number') w.write(`Desired Replicas:\t${spec['replicas']}\n`);
  if (typeof spec['schedule'] === 'string') w.write(`Schedule:\t${spec['schedule']}\n`);
  const conditions = (status['conditions'] as Condition[] | undefined) ?? [];
  if (conditions.length > 0) {
    w.write('Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n');
    for (const c of conditions) w.write(`  ${c.type}\t${c.status}\t${c.reason ?? ''}\n`);
  }
  writeKeys(w, object);
  writeEvents(w, view.eventsFor(kind, meta.namespace, meta.name ?? ''), view.now());
  return w.toString();
}

function writeMap(w: TabWriter, title: string, values: Record<string, string> | undefined): void {
  const keys = Object.keys(values ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) w.write(`${title}:\t<none>\n`);
  keys.forEach((key, i) => w.write(`${i === 0 ? `${title}:` : ''}\t${key}=${values?.[key] ?? ''}\n`));
}

/**
 * A Secret's or ConfigMap's keys under `Data`, where kubectl lists them. The live model holds key
 * names only (cluster/leanObject.ts), so the sizes kubectl prints beside them are not known here.
 */
function writeKeys(w: TabWriter, object: KubeObject): void {
  const keys = (object as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return;
  const type = (object as { type?: unknown }).type;
  if (typeof type === 'string') w.write(`Type:\t${type}\n`);
  w.write('Data\n====\n');
  for (const key of keys) if (typeof key === 'string') w.write(`${key}\n`);
}
