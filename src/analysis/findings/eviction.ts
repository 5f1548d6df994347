// Pods stopped by the cluster rather than by their own process: node-pressure eviction (catalog
// §13), scheduler preemption (§14) and a node that stopped reporting (§15). Read from
// `status.reason` and the pod's events, never from kubectl's STATUS (which hides Evicted).
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { Job, KubeEvent, Pod, ReplicaSet, Toleration } from '../../kube/types';
import { sanitizeText } from '../../kube/sanitize';
import { describeEvent, eventMessage, newestEventTime } from './eventText';
import { podFinding } from './findingBase';
import { containerPath } from './podContainers';
import { tidyMemoryUp } from './tidyQuantity';
import { parseQuantity } from '../../kube/quantity';

const LOW_ON = /The node was low on resource: ([\w-]+)\./;
const HAD_CONDITION = /The node had condition: \[(\w+)/;
const CONDITION_RESOURCE: Record<string, string> = {
  MemoryPressure: 'memory',
  DiskPressure: 'ephemeral-storage',
  PIDPressure: 'pids',
};
const CONTAINER_USAGE =
  /Container (\S+) was using (\S+), (?:request is (\S+), has larger consumption of ([\w-]+)|which exceeds its request of (\S+))\./g;
const PREEMPTED_BY = /^Preempted by (?:pod )?(\S+) on node (\S+)/;
/** How fast a pod leaves an unreachable node when the fix is applied (the default is 300s). */
const FAST_FAILOVER_SECONDS = 60;

function evictedFinding(pod: Pod, view: ClusterView): Finding[] {
  if (pod.status?.reason !== 'Evicted') return [];
  const message = sanitizeText(pod.status.message ?? '');
  const events = view
    .eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '')
    .filter((e) => e.reason === 'Evicted');
  const resource =
    LOW_ON.exec(message)?.[1] ?? CONDITION_RESOURCE[HAD_CONDITION.exec(message)?.[1] ?? ''] ?? 'memory';
  const paths: string[] = [];
  const fixes: FixSuggestion[] = [];
  let container: { name: string; kind: 'containers' } | undefined;
  for (const match of message.matchAll(CONTAINER_USAGE)) {
    const name = match[1] ?? '';
    const usage = match[2] ?? '';
    const request = match[3] ?? match[5];
    const usageResource = match[4] ?? resource;
    container ??= { name, kind: 'containers' };
    const path = `${containerPath('containers', name)}.resources.requests.${usageResource}`;
    paths.push(path);
    const usageBytes = parseQuantity(usage);
    if (usageResource === 'memory' && usageBytes !== undefined) {
      const proposed = tidyMemoryUp(usageBytes);
      fixes.push({
        title: `Request ${proposed} memory for "${name}" (it was using ${usage}${request ? `, request ${request}` : ''})`,
        changes: [{ op: 'set', root: 'podSpec', path, value: proposed }],
      });
    }
  }
  const first = pod.spec?.containers?.[0]?.name;
  if (!paths.length && first)
    paths.push(`${containerPath('containers', first)}.resources.requests.${resource}`);
  const finding = podFinding(pod, {
    code: 'evicted',
    message: `Pod was evicted: the node was ${HAD_CONDITION.test(message) ? 'under pressure for' : 'low on'} ${resource}${container ? `, and container "${container.name}" used more than it requested` : ''}`,
    phase: 'Run',
    paths: [...paths, ...(first ? [`${containerPath('containers', first)}.resources`] : [])],
    evidence: [`status.reason Evicted: ${message.trim()}`, ...events.map(describeEvent)],
    fixes,
    lastSeen: newestEventTime(events),
  });
  if (container) finding.container = container;
  return [finding];
}

function preemptedFinding(pod: Pod, view: ClusterView): Finding[] {
  const namespace = pod.metadata?.namespace;
  const events = view
    .eventsFor('Pod', namespace, pod.metadata?.name ?? '')
    .filter((e) => e.reason === 'Preempted');
  const condition = pod.status?.conditions?.find(
    (c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler',
  );
  if (!events.length && !condition) return [];
  const by = events.length ? PREEMPTED_BY.exec(eventMessage(events.at(-1) as (typeof events)[number])) : null;
  const evidence = [
    ...events.map(describeEvent),
    ...(condition
      ? [`DisruptionTarget: ${condition.reason ?? ''}: ${sanitizeText(condition.message ?? '')}`]
      : []),
  ];
  // The event names the preemptor by UID. Only this rare path reads the namespace's pods to find it.
  const preemptor = by ? view.list('Pod', namespace).find((p) => p.metadata?.uid === by[1]) : undefined;
  const preemptorClass = preemptor?.spec?.priorityClassName;
  if (preemptor) {
    evidence.push(
      `preempted by ${namespace ?? ''}/${preemptor.metadata?.name ?? ''} (priorityClassName ${preemptorClass ?? '(none)'}, priority ${preemptor.spec?.priority ?? 0})`,
    );
  }
  const own = pod.spec?.priority ?? 0;
  const fixes: FixSuggestion[] = [];
  const classes = view.isUnavailable('PriorityClass')
    ? []
    : view
        .list('PriorityClass')
        .filter((c) => c.value > own && !(c.metadata?.name ?? '').startsWith('system-'));
  const best = [...classes].sort((a, b) => a.value - b.value).at(-1);
  const suggested = best?.metadata?.name ?? preemptorClass;
  if (suggested && suggested !== pod.spec?.priorityClassName) {
    fixes.push({
      title: `Give the pod priority class '${suggested}'${best ? ` (value ${best.value})` : ' (the preemptor\u2019s)'} so lower-priority pods are preempted first`,
      changes: [{ op: 'set', root: 'podSpec', path: 'priorityClassName', value: suggested }],
    });
  }
  return [
    podFinding(pod, {
      code: 'preempted',
      message: `Pod was preempted by a higher-priority pod${by ? ` on node ${by[2] ?? ''}` : ''} (its priority: ${own}${pod.spec?.priorityClassName ? `, class ${pod.spec.priorityClassName}` : ''})`,
      phase: 'Run',
      paths: ['priorityClassName', ''],
      evidence,
      fixes,
      lastSeen: newestEventTime(events),
    }),
  ];
}

function nodeNotReadyFinding(pod: Pod, view: ClusterView): Finding[] {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return [];
  const nodeName = pod.spec?.nodeName;
  const events = view
    .eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '')
    .filter((e) => e.reason === 'NodeNotReady' || e.reason === 'TaintManagerEviction');
  const node = nodeName ? view.get('Node', undefined, nodeName) : undefined;
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  // The Node is the authority when the view has it: a Ready node means the old events are history.
  const notReady = ready ? ready.status !== 'True' : events.some((e) => e.reason === 'NodeNotReady');
  if (!notReady) return [];
  const evidence = [
    ...(ready
      ? [
          `Node ${nodeName ?? ''}: Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${sanitizeText(ready.message)}` : ''}`,
        ]
      : []),
    ...(node?.spec?.taints ?? []).map(
      (t) => `Node ${nodeName ?? ''} taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
    ),
    ...events.map(describeEvent),
  ];
  const unreachable =
    (node?.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable') ||
    ready?.status === 'Unknown';
  const taintKey = unreachable ? 'node.kubernetes.io/unreachable' : 'node.kubernetes.io/not-ready';
  const toleration: Toleration = {
    key: taintKey,
    operator: 'Exists',
    effect: 'NoExecute',
    tolerationSeconds: FAST_FAILOVER_SECONDS,
  };
  return [
    {
      ...podFinding(pod, {
        code: 'node-not-ready',
        message: `Node ${nodeName ?? '(unknown)'} running this pod is ${ready?.status === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'not ready'}; the pod ${pod.metadata?.deletionTimestamp ? 'is stuck terminating' : 'may be replaced'}`,
        phase: 'Run',
        paths: [],
        evidence,
        fixes: [
          {
            title: `Leave a failed node after ${FAST_FAILOVER_SECONDS}s instead of 300s (toleration ${taintKey}, tolerationSeconds ${FAST_FAILOVER_SECONDS})`,
            changes: [{ op: 'append', root: 'podSpec', path: 'tolerations', value: toleration }],
          },
        ],
        lastSeen: newestEventTime(events),
      }),
      // Not a field of the pod spec: the squiggle goes on the object's name (diagnose-contract.md).
      blame: { root: 'object', paths: ['metadata.name'] },
    },
  ];
}

/** evicted, preempted, node-not-ready for one pod. */
export function evictionFindings(pod: Pod, view: ClusterView): Finding[] {
  return [...evictedFinding(pod, view), ...preemptedFinding(pod, view), ...nodeNotReadyFinding(pod, view)];
}

/** Kubelet/scheduler event reasons that say the cluster took a pod away. */
const DISRUPTION_REASONS = new Set(['Preempted', 'Evicted']);
/** `<owner>-<5 random characters>`: the names ReplicaSets and Jobs give their pods. */
const GENERATED_SUFFIX = /^-[a-z0-9]{5}$/;

/**
 * The Events of pods that no longer exist (preempted, evicted and then deleted, replaced) still
 * say why the workload lost them, for as long as the Events last (an hour by default). They are
 * found by the pod name the owner generated, since the deleted pod's owner reference is gone.
 * The pod is rebuilt from the owner's template so the findings read as for a live pod.
 */
export function deletedPodFindings(owner: ReplicaSet | Job, view: ClusterView): Finding[] {
  const namespace = owner.metadata?.namespace;
  const ownerName = owner.metadata?.name ?? '';
  if (!ownerName || view.isUnavailable('Event', namespace)) return [];
  const gone = new Map<string, KubeEvent[]>();
  for (const event of view.list('Event', namespace)) {
    const involved = event.involvedObject;
    if (involved.kind !== 'Pod' || !involved.name || !DISRUPTION_REASONS.has(event.reason ?? '')) continue;
    if (!involved.name.startsWith(ownerName) || !GENERATED_SUFFIX.test(involved.name.slice(ownerName.length)))
      continue;
    if (view.get('Pod', namespace, involved.name)) continue;
    gone.set(involved.name, [...(gone.get(involved.name) ?? []), event]);
  }
  const findings: Finding[] = [];
  for (const [name, events] of gone) {
    const evicted = events.filter((e) => e.reason === 'Evicted').at(-1);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(events[0]?.involvedObject.uid ? { uid: events[0].involvedObject.uid } : {}),
      },
      ...(owner.spec?.template?.spec ? { spec: owner.spec.template.spec } : {}),
      ...(evicted ? { status: { phase: 'Failed', reason: 'Evicted', message: evicted.message ?? '' } } : {}),
    };
    for (const finding of [...evictedFinding(pod, view), ...preemptedFinding(pod, view)]) {
      findings.push({
        ...finding,
        // The workload has a replacement; what happened to this pod is history worth knowing.
        severity: 'warning',
        message: `${finding.message.replace(/^Pod was/, `Pod ${name} was`)} (the pod is gone; its events remain)`,
      });
    }
  }
  return findings;
}
