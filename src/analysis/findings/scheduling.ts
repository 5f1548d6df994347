// FailedScheduling (catalog §10): the scheduler's FitError names, per node, why the pod does not
// fit. The PodScheduled condition keeps the full text; the event is cut at 1024 characters, so the
// condition is read first. Fixes are computed from the Nodes and PVCs in the view.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { KubeEvent, Node, Pod, Taint, Toleration } from '../../kube/types';
import { formatCpu, formatMemory, parseQuantity } from '../../kube/quantity';
import { sanitizeText } from '../../kube/sanitize';
import { isBlockingTaint, tolerationsTolerateTaint } from '../../kube/tolerations';
import { rankBySimilarity } from './closestNames';
import { describeEvent, eventMessage, newestEventTime } from './eventText';
import { childPath, podFinding } from './findingBase';
import { podContainers } from './podContainers';
import { tidyCpuDown, tidyMemoryDown } from './tidyQuantity';

export interface FitError {
  nodes: number;
  /** Per-node filter reasons with their node counts, e.g. `{count: 4, reason: 'Insufficient memory'}`. */
  reasons: { count: number; reason: string }[];
  /** A PreFilter message that replaces the histogram, e.g. `pod has unbound immediate PersistentVolumeClaims`. */
  preFilter?: string;
  /** The preemption result, `preemption: 0/5 nodes are available: ...`. */
  postFilter?: string;
}

const HEADER = /^0\/(\d+) nodes are available:\s*(.*)$/s;

/** Parse `0/N nodes are available: ...` tolerantly (double periods, the DRA prefix, truncation). */
export function parseFitError(message: string): FitError | undefined {
  const header = HEADER.exec(message.trim());
  if (!header) return undefined;
  let body = header[2] ?? '';
  let postFilter: string | undefined;
  const post = body.indexOf(' preemption: ');
  if (post >= 0) {
    postFilter = body.slice(post + 1);
    body = body.slice(0, post);
  }
  body = body
    .replace(/\s*no new claims to deallocate,?\s*$/, '')
    .replace(/\s*\.\.\.$/, '')
    .replace(/\.+\s*$/, '')
    .trim();
  const fit: FitError = { nodes: Number(header[1]), reasons: [] };
  if (postFilter !== undefined) fit.postFilter = postFilter;
  if (/^\d+ /.test(body)) {
    for (const part of body.split(/, (?=\d+ )/)) {
      const match = /^(\d+) (.*)$/s.exec(part);
      if (match) fit.reasons.push({ count: Number(match[1]), reason: match[2] ?? '' });
    }
  } else if (body !== '') {
    fit.preFilter = body;
  }
  return fit;
}

const TAINT_WITH_VALUE =
  /^node\(s\) had (?:untolerated taint \{([^:}]+): ?([^}]*)\}|taint \{([^:}]+): ?([^}]*)\}, that the pod didn't tolerate)$/;
const TAINT_WITHOUT_VALUE = /^node\(s\) had (?:untolerated taint\(s\)|taints that the pod didn't tolerate)$/;
const AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const PVC_NOT_FOUND = /persistentvolumeclaim "([^"]+)" not found/;
const PVC_UNBOUND = 'pod has unbound immediate PersistentVolumeClaims';

/** Taints whose nodes a workload should normally stay off: system and control-plane taints. */
const SYSTEM_TAINT =
  /^(node-role\.kubernetes\.io\/|node\.kubernetes\.io\/|node\.cloudprovider\.kubernetes\.io\/)/;

function selectorMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Nodes the pod could use apart from resources: schedulable, selector matching, taints tolerated. */
function candidateNodes(pod: Pod, nodes: readonly Node[]): Node[] {
  const usable = nodes.filter(
    (n) =>
      !n.spec?.unschedulable &&
      selectorMatches(pod, n) &&
      (n.spec?.taints ?? []).every(
        (t) => !isBlockingTaint(t) || tolerationsTolerateTaint(pod.spec?.tolerations, t),
      ),
  );
  return usable.length ? usable : [...nodes];
}

function schedulingText(
  pod: Pod,
  events: readonly KubeEvent[],
): { message: string; events: KubeEvent[] } | undefined {
  const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (condition?.status === 'True' || pod.spec?.nodeName) return undefined;
  const failed = events.filter((e) => e.reason === 'FailedScheduling');
  const message =
    condition?.reason === 'Unschedulable' && condition.message
      ? sanitizeText(condition.message)
      : failed.length
        ? eventMessage(failed.at(-1) as KubeEvent)
        : '';
  return message ? { message, events: failed.slice(-1) } : undefined;
}

function resourceFinding(
  pod: Pod,
  view: ClusterView,
  resource: 'memory' | 'cpu',
  evidence: string[],
  lastSeen: string | undefined,
): Finding {
  const containers = podContainers(pod).filter((c) => c.kind === 'containers');
  const requestOf = (value: string | undefined): number => parseQuantity(value) ?? 0;
  const biggest = [...containers].sort(
    (a, b) =>
      requestOf(b.spec?.resources?.requests?.[resource]) - requestOf(a.spec?.resources?.requests?.[resource]),
  )[0];
  const current = biggest?.spec?.resources?.requests?.[resource];
  const others = containers
    .filter((c) => c !== biggest)
    .reduce((sum, c) => sum + requestOf(c.spec?.resources?.requests?.[resource]), 0);
  const format = (v: number): string => (resource === 'memory' ? formatMemory(v) : formatCpu(v * 1000));
  const nodes = view.isUnavailable('Node') ? [] : candidateNodes(pod, view.list('Node'));
  let largest: { node: Node; value: number } | undefined;
  for (const node of nodes) {
    const value = parseQuantity(node.status?.allocatable?.[resource]);
    if (value !== undefined && (!largest || value > largest.value)) largest = { node, value };
  }
  const fixes: FixSuggestion[] = [];
  const ownEvidence = [...evidence];
  if (largest && biggest) {
    ownEvidence.push(
      `largest allocatable ${resource}: ${largest.node.metadata?.name ?? '?'} ${largest.node.status?.allocatable?.[resource] ?? ''}`,
    );
    const fit =
      resource === 'memory' ? tidyMemoryDown(largest.value - others) : tidyCpuDown(largest.value - others);
    if (fit && (current === undefined || requestOf(fit) < requestOf(current))) {
      fixes.push({
        title: `Request ${fit} ${resource} (the largest node, ${largest.node.metadata?.name ?? '?'}, has ${format(largest.value)} allocatable)`,
        changes: [
          { op: 'set', root: 'podSpec', path: `${biggest.path}.resources.requests.${resource}`, value: fit },
        ],
      });
    }
  }
  const path = biggest?.path ?? 'containers';
  const finding = podFinding(pod, {
    code: resource === 'memory' ? 'insufficient-memory' : 'insufficient-cpu',
    message: `Pod cannot be scheduled: no node has ${current ? `${current} ` : 'enough '}${resource} to spare${biggest ? ` for container "${biggest.name}"` : ''}`,
    phase: 'Preparation',
    paths: [`${path}.resources.requests.${resource}`, `${path}.resources`, `${path}.name`],
    evidence: ownEvidence,
    fixes,
    lastSeen,
  });
  if (biggest) finding.container = { name: biggest.name, kind: biggest.kind };
  return finding;
}

function selectorFinding(
  pod: Pod,
  view: ClusterView,
  evidence: string[],
  lastSeen: string | undefined,
): Finding {
  const selector = pod.spec?.nodeSelector ?? {};
  const nodes = view.isUnavailable('Node') ? [] : view.list('Node');
  const paths: string[] = [];
  const fixes: FixSuggestion[] = [];
  const ownEvidence = [...evidence];
  for (const [key, wanted] of Object.entries(selector)) {
    const values = new Map<string, string[]>();
    for (const node of nodes) {
      const value = node.metadata?.labels?.[key];
      if (value !== undefined) values.set(value, [...(values.get(value) ?? []), node.metadata?.name ?? '?']);
    }
    if (values.has(wanted)) continue;
    const keyPath = childPath('nodeSelector', key);
    paths.push(keyPath);
    if (!nodes.length) continue;
    if (values.size) {
      ownEvidence.push(
        `no node has ${key}=${wanted}; nodes have ${[...values].map(([v, names]) => `${key}=${v} (${names.join(', ')})`).join('; ')}`,
      );
      for (const value of rankBySimilarity(wanted, [...values.keys()])) {
        fixes.push({
          title: `Select ${key}=${value} (${(values.get(value) ?? []).join(', ')})`,
          changes: [{ op: 'set', root: 'podSpec', path: keyPath, value }],
        });
      }
    } else {
      ownEvidence.push(`no node has a label ${key}`);
      fixes.push({
        title: `Remove the nodeSelector ${key}=${wanted} (no node has the label ${key})`,
        changes: [{ op: 'remove', root: 'podSpec', path: keyPath }],
      });
    }
  }
  return podFinding(pod, {
    code: 'node-selector-mismatch',
    message: `Pod cannot be scheduled: its node selector or affinity matches no node${
      Object.keys(selector).length
        ? ` (nodeSelector ${Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : ''
    }`,
    phase: 'Preparation',
    paths: [...paths, 'nodeSelector', 'affinity.nodeAffinity', 'affinity'],
    evidence: ownEvidence,
    fixes,
    lastSeen,
  });
}

function taintFindings(
  pod: Pod,
  view: ClusterView,
  fit: FitError,
  evidence: string[],
  lastSeen: string | undefined,
): Finding[] {
  const nodes = view.isUnavailable('Node') ? [] : view.list('Node');
  const taints = new Map<string, Taint>();
  const otherReasons = fit.reasons.some(
    (r) => !TAINT_WITH_VALUE.test(r.reason) && !TAINT_WITHOUT_VALUE.test(r.reason),
  );
  for (const { reason } of fit.reasons) {
    const named = TAINT_WITH_VALUE.exec(reason);
    if (named) {
      const key = (named[1] ?? named[3] ?? '').trim();
      const value = (named[2] ?? named[4] ?? '').trim();
      const onNode = nodes
        .flatMap((n) => n.spec?.taints ?? [])
        .find((t) => t.key === key && (t.value ?? '') === value && isBlockingTaint(t));
      const taint: Taint = onNode ?? { key, effect: 'NoSchedule', ...(value ? { value } : {}) };
      taints.set(`${taint.key}=${taint.value ?? ''}:${taint.effect}`, taint);
    } else if (TAINT_WITHOUT_VALUE.test(reason)) {
      // Newer schedulers leave the taint out of the message; the Nodes still carry it.
      for (const taint of nodes.flatMap((n) => n.spec?.taints ?? [])) {
        if (isBlockingTaint(taint) && !tolerationsTolerateTaint(pod.spec?.tolerations, taint))
          taints.set(`${taint.key}=${taint.value ?? ''}:${taint.effect}`, taint);
      }
    }
  }
  // A control-plane or node-condition taint is meant to keep workloads off; when other nodes fail
  // for other reasons (or for a taint of the cluster's own), a toleration for it is not the fix (§10.2).
  const custom = [...taints.values()].some((t) => !SYSTEM_TAINT.test(t.key));
  const findings: Finding[] = [];
  for (const taint of taints.values()) {
    if ((otherReasons || custom) && SYSTEM_TAINT.test(taint.key)) continue;
    const toleration: Toleration = taint.value
      ? { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }
      : { key: taint.key, operator: 'Exists', effect: taint.effect };
    const shown = `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
    const tainted = nodes
      .filter((n) =>
        (n.spec?.taints ?? []).some((t) => t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
      )
      .map((n) => n.metadata?.name ?? '?');
    findings.push(
      podFinding(pod, {
        code: 'untolerated-taint',
        message: `Pod cannot be scheduled: it does not tolerate the taint ${shown}${tainted.length ? ` on ${tainted.join(', ')}` : ''}`,
        phase: 'Preparation',
        paths: ['tolerations', ''],
        evidence,
        fixes: [
          {
            title: `Tolerate ${shown} (only if the pod should run on ${tainted.length ? tainted.join(', ') : 'those nodes'})`,
            changes: [{ op: 'append', root: 'podSpec', path: 'tolerations', value: toleration }],
          },
        ],
        lastSeen,
      }),
    );
  }
  return findings;
}

function pvcFindings(
  pod: Pod,
  view: ClusterView,
  fit: FitError,
  evidence: string[],
  lastSeen: string | undefined,
): Finding[] {
  const namespace = pod.metadata?.namespace;
  const missing = PVC_NOT_FOUND.exec(fit.preFilter ?? '')?.[1];
  if (!missing && fit.preFilter !== PVC_UNBOUND) return [];
  const findings: Finding[] = [];
  const claims = view.isUnavailable('PersistentVolumeClaim', namespace)
    ? []
    : view.list('PersistentVolumeClaim', namespace);
  for (const volume of pod.spec?.volumes ?? []) {
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const claim = view.get('PersistentVolumeClaim', namespace, claimName);
    if (missing ? claimName !== missing : claim?.status?.phase === 'Bound') continue;
    const path = `volumes[name=${volume.name}].persistentVolumeClaim.claimName`;
    const claimEvents = claim ? view.eventsFor('PersistentVolumeClaim', namespace, claimName) : [];
    const fixes: FixSuggestion[] = [];
    if (missing) {
      for (const name of rankBySimilarity(
        claimName,
        claims.map((c) => c.metadata?.name ?? ''),
      ).slice(0, 3)) {
        fixes.push({
          title: `Use existing PersistentVolumeClaim '${name}'`,
          changes: [{ op: 'set', root: 'podSpec', path, value: name }],
        });
      }
    }
    const others = claims.filter((c) => c.metadata?.name !== claimName);
    const claimEvidence = [
      ...(claim
        ? [
            `PersistentVolumeClaim ${namespace ?? ''}/${claimName}: phase ${claim.status?.phase ?? 'unknown'}, storageClassName ${claim.spec?.storageClassName ?? '(none)'}`,
          ]
        : []),
      ...(others.length
        ? [
            `other PersistentVolumeClaims in ${namespace ?? ''}: ${others.map((c) => `${c.metadata?.name ?? ''} (${c.status?.phase ?? 'unknown'})`).join(', ')}`,
          ]
        : []),
    ];
    findings.push(
      podFinding(pod, {
        code: 'pvc-unbound',
        message: missing
          ? `Pod cannot be scheduled: PersistentVolumeClaim "${claimName}" does not exist`
          : `Pod cannot be scheduled: PersistentVolumeClaim "${claimName}" is not bound (${claim?.status?.phase ?? 'unknown'})`,
        phase: 'Preparation',
        paths: [path, `volumes[name=${volume.name}]`],
        evidence: [...evidence, ...claimEvidence, ...claimEvents.map(describeEvent)],
        fixes,
        lastSeen,
      }),
    );
  }
  return findings;
}

/** insufficient-memory, insufficient-cpu, node-selector-mismatch, untolerated-taint, pvc-unbound for one pod. */
export function schedulingFindings(pod: Pod, view: ClusterView): Finding[] {
  if (pod.metadata?.deletionTimestamp) return [];
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const text = schedulingText(pod, events);
  const fit = text && parseFitError(text.message);
  if (!text || !fit) return [];
  const evidence = [`PodScheduled=False: ${text.message}`, ...text.events.map(describeEvent)];
  const lastSeen = newestEventTime(text.events);
  const findings: Finding[] = [];
  const reasons = new Set(fit.reasons.map((r) => r.reason));
  if (reasons.has('Insufficient memory'))
    findings.push(resourceFinding(pod, view, 'memory', evidence, lastSeen));
  if (reasons.has('Insufficient cpu')) findings.push(resourceFinding(pod, view, 'cpu', evidence, lastSeen));
  if (reasons.has(AFFINITY)) findings.push(selectorFinding(pod, view, evidence, lastSeen));
  findings.push(...taintFindings(pod, view, fit, evidence, lastSeen));
  findings.push(...pvcFindings(pod, view, fit, evidence, lastSeen));
  return findings;
}
