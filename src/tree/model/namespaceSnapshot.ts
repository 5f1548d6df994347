// One namespace of one context, grouped as the tree shows it: workloads by kind with their health,
// and each workload's pods. Built once per namespace from the store's indexes (pods are grouped by
// their top controller in one pass, never by scanning all pods per workload) and thrown away when
// a change touches the namespace, so expanding a namespace of 5,000 pods stays cheap.
import type { Health, HealthLevel } from '../../analysis/workloadHealth';
import { podHealth, workloadHealth, worseOf } from '../../analysis/workloadHealth';
import type { ClusterView, KindName } from '../../kube/clusterView';
import { controllerOf } from '../../kube/ownership';
import type { KubeObject, Pod } from '../../kube/types';

/** The groups under a namespace, in the order they are shown. 'Pod' holds bare pods. */
export const GROUP_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const GROUP_LABELS: Record<GroupKind, string> = {
  Deployment: 'Deployments',
  StatefulSet: 'StatefulSets',
  DaemonSet: 'DaemonSets',
  Job: 'Jobs',
  CronJob: 'CronJobs',
  Pod: 'Pods',
  Service: 'Services',
};

export interface WorkloadEntry {
  kind: GroupKind;
  name: string;
  object: KubeObject;
  health: Health;
  /** The pods it controls (through ReplicaSets and Jobs); empty for Services. */
  pods: Pod[];
}

export interface NamespaceSnapshot {
  namespace: string;
  groups: Map<GroupKind, WorkloadEntry[]>;
  /** Workloads (bare pods and Services included) whose health is failed or degraded. */
  failing: number;
  worst: HealthLevel;
}

const isFailing = (level: HealthLevel): boolean => level === 'failed' || level === 'degraded';

export function buildNamespaceSnapshot(view: ClusterView, namespace: string): NamespaceSnapshot {
  const now = view.now();
  const podsByTop = groupPodsByTopController(view, namespace);
  const groups = new Map<GroupKind, WorkloadEntry[]>();
  let failing = 0;
  let worst: HealthLevel = 'ok';
  const add = (entry: WorkloadEntry): void => {
    let list = groups.get(entry.kind);
    if (!list) groups.set(entry.kind, (list = []));
    list.push(entry);
    if (isFailing(entry.health.level)) failing++;
    worst = worseOf(worst, entry.health.level);
  };

  for (const kind of GROUP_KINDS) {
    if (kind === 'Pod') {
      for (const pod of podsByTop.get('') ?? [])
        add({ kind, name: pod.metadata?.name ?? '', object: pod, health: podHealth(pod, now), pods: [pod] });
      continue;
    }
    for (const object of view.list(kind, namespace)) {
      // A CronJob's Jobs are shown (as pods) under the CronJob, not again among the Jobs.
      if (kind === 'Job' && controllerOf(object)?.kind === 'CronJob') {
        const owner = controllerOf(object);
        if (owner && view.get('CronJob', namespace, owner.name)) continue;
      }
      const name = object.metadata?.name ?? '';
      const pods = kind === 'Service' ? [] : (podsByTop.get(`${kind}/${name}`) ?? []);
      add({ kind, name, object, health: withPods(safeHealth(view, object, kind), pods, now), pods });
    }
  }
  for (const list of groups.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return { namespace, groups, failing, worst };
}

/**
 * A workload the controller calls done (every replica ready) whose pod is failing or between two
 * crashes is degraded in the tree: its row is never healthier than a pod row under it, so the
 * icon, colour, badge and the group's "failing" count say what the pods below say.
 */
function withPods(health: Health, pods: readonly Pod[], now: number): Health {
  if (health.level !== 'ok') return health;
  for (const pod of pods) {
    const own = podHealth(pod, now);
    if (own.level !== 'failed' && own.level !== 'degraded') continue;
    return {
      level: 'degraded',
      summary: health.summary,
      reasons: [`pod ${pod.metadata?.name ?? ''}: ${own.reasons[0] ?? own.summary}`],
    };
  }
  return health;
}

function safeHealth(view: ClusterView, object: KubeObject, kind: string): Health {
  try {
    return workloadHealth(view, object, kind);
  } catch (error) {
    // Health reads odd objects (hand-made, half-written); one bad object must not empty the tree.
    return {
      level: 'unknown',
      summary: '',
      reasons: [error instanceof Error ? error.message : String(error)],
    };
  }
}

/**
 * Pods keyed by `Kind/name` of the workload the tree shows them under: Deployment through its
 * ReplicaSet, CronJob through its Job, StatefulSet, DaemonSet and Job directly. Pods with no such
 * workload (bare, or owned by a ReplicaSet without a Deployment) go under ''.
 */
function groupPodsByTopController(view: ClusterView, namespace: string): Map<string, Pod[]> {
  const byTop = new Map<string, Pod[]>();
  // Owners repeat (five pods per ReplicaSet): resolve each owner uid once.
  const resolved = new Map<string, string>();
  for (const pod of view.list('Pod', namespace)) {
    const owner = controllerOf(pod);
    let key = '';
    if (owner) {
      const cached = resolved.get(owner.uid);
      if (cached !== undefined) key = cached;
      else {
        key = topKey(view, namespace, owner.kind, owner.name, owner.uid);
        resolved.set(owner.uid, key);
      }
    }
    let list = byTop.get(key);
    if (!list) byTop.set(key, (list = []));
    list.push(pod);
  }
  for (const list of byTop.values())
    list.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return byTop;
}

const MIDDLE: Partial<Record<string, GroupKind>> = { ReplicaSet: 'Deployment', Job: 'CronJob' };
const DIRECT = new Set<string>(['StatefulSet', 'DaemonSet', 'Job']);

function topKey(view: ClusterView, namespace: string, kind: string, name: string, uid: string): string {
  const parentKind = MIDDLE[kind];
  if (parentKind) {
    const middle = view.get(kind as KindName, namespace, name);
    const parent = middle && middle.metadata?.uid === uid ? controllerOf(middle) : undefined;
    if (parent?.kind === parentKind && view.get(parentKind, namespace, parent.name))
      return `${parentKind}/${parent.name}`;
  }
  if (DIRECT.has(kind) && view.get(kind as KindName, namespace, name)) return `${kind}/${name}`;
  return '';
}
