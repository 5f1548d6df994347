// What a row says: kubectl's words in the description (`2/3 · CrashLoopBackOff · 5↻`), an icon
// whose shape tells the failure family and whose tone tells the health (CrashLoopBackOff and
// OOMKilled must not look alike), faceted contextValues for menus, and Markdown tooltips with
// container state, last state, exit-code meaning, the last event and the findings. Cluster text is
// escaped: a pod name or an event message must never become a link or a command.
import { explainExit } from '../../analysis/exitCodes';
import type { Finding } from '../../analysis/finding';
import type { Health, HealthLevel } from '../../analysis/workloadHealth';
import { podHealth, worseOf } from '../../analysis/workloadHealth';
import { eventTime } from '../../kube/eventShape';
import { humanDuration, parseTimestamp } from '../../kube/humanDuration';
import { podRow } from '../../kube/podStatus';
import { escapeMarkdown } from '../../kube/sanitize';
import type { PodRow } from '../../kube/podStatus';
import type { ContainerStatus, KubeEvent, KubeObject, Pod } from '../../kube/types';
import type { IconSpec } from './treeNode';

export const SEPARATOR = ' · ';

/** A pod's READY, STATUS and RESTARTS as kubectl prints them: `0/1 · CrashLoopBackOff · 5↻`. */
export function podDescription(row: PodRow): string {
  return [row.ready, row.status, ...(row.restartCount > 0 ? [`${row.restartCount}↻`] : [])].join(SEPARATOR);
}

/** The health facet of a contextValue. */
export function healthFacet(level: HealthLevel): string {
  switch (level) {
    case 'ok':
      return 'healthy';
    case 'progressing':
      return 'progressing';
    case 'degraded':
      return 'degraded';
    case 'failed':
      return 'failing';
    case 'unknown':
      return 'unknown';
  }
}

const CRASHING = new Set(['CrashLoopBackOff', 'Error', 'OOMKilled', 'RunContainerError', 'StartError']);

/** `pod:crashing:restarted:multiContainer`: health, whether previous logs exist, how many containers. */
export function podContextValue(pod: Pod, row: PodRow, health: Health): string {
  const state =
    health.level === 'failed' && CRASHING.has(row.status) ? 'crashing' : healthFacet(health.level);
  const facets = ['pod', state];
  if (row.restartCount > 0 || hasLastState(pod)) facets.push('restarted');
  if ((pod.spec?.containers?.length ?? 0) > 1) facets.push('multiContainer');
  return facets.join(':');
}

function hasLastState(pod: Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((s) => s.lastState?.terminated !== undefined);
}

/** The icon for a pod STATUS: the shape names the failure family, the tone the health. */
export function podIcon(pod: Pod, row: PodRow, level: HealthLevel): IconSpec {
  return { id: level === 'ok' ? 'pass' : failureShape(pod, row.status, level), tone: level };
}

function failureShape(pod: Pod, status: string, level: HealthLevel): string {
  if (status === 'OOMKilled' || lastReason(pod) === 'OOMKilled') return 'flame';
  if (status === 'CrashLoopBackOff' || status === 'Error' || status.startsWith('Init:CrashLoopBackOff'))
    return 'debug-restart';
  if (/ImagePull|ErrImage|InvalidImageName/.test(status)) return 'cloud-download';
  if (/ConfigError|CreateContainerError/.test(status)) return 'gear';
  if (status === 'Evicted' || status === 'Preempting' || status === 'Preempted') return 'sign-out';
  if (status === 'Terminating') return 'trash';
  if (status === 'Pending' || status === 'SchedulingGated')
    return level === 'failed' ? 'circle-slash' : 'clock';
  if (status.startsWith('Init:')) return level === 'failed' ? 'debug-restart' : 'clock';
  return levelShape(level);
}

function lastReason(pod: Pod): string | undefined {
  for (const s of pod.status?.containerStatuses ?? []) {
    const reason = s.lastState?.terminated?.reason ?? s.state?.terminated?.reason;
    if (reason) return reason;
  }
  return undefined;
}

export function levelShape(level: HealthLevel): string {
  switch (level) {
    case 'ok':
      return 'pass';
    case 'progressing':
      return 'sync';
    case 'degraded':
      return 'warning';
    case 'failed':
      return 'error';
    case 'unknown':
      return 'question';
  }
}

/** A workload takes the icon of its worst pod, so an OOMKilled Deployment shows the flame too. */
export function workloadIcon(level: HealthLevel, worstPod: { pod: Pod; row: PodRow } | undefined): IconSpec {
  if (level === 'ok') return { id: 'pass', tone: 'ok' };
  if (worstPod) return { id: failureShape(worstPod.pod, worstPod.row.status, level), tone: level };
  return { id: levelShape(level), tone: level };
}

/** Badge text: a count of failing things, or `!` for one failing row. */
export function badgeFor(level: HealthLevel, failing?: number): string | undefined {
  if (failing !== undefined) return failing > 0 ? (failing > 99 ? '99' : String(failing)) : undefined;
  return level === 'failed' || level === 'degraded' ? '!' : undefined;
}

/** The pod among these with the worst health (first of equals), for a workload's STATUS cell. */
export function worstPod(
  pods: readonly Pod[],
  now: number,
): { pod: Pod; row: PodRow; health: Health; restarts: number } | undefined {
  let worst: { pod: Pod; row: PodRow; health: Health } | undefined;
  let restarts = 0;
  for (const pod of pods) {
    const health = podHealth(pod, now);
    const row = podRow(pod, now);
    restarts += row.restartCount;
    if (
      !worst ||
      (health.level !== worst.health.level && worseOf(health.level, worst.health.level) === health.level)
    )
      worst = { pod, row, health };
  }
  return worst ? { ...worst, restarts } : undefined;
}

/**
 * `2/3 · CrashLoopBackOff · 5↻`: the workload's ready count as `kubectl get` prints it, the
 * STATUS of its worst pod (or the controller's own reason when no pod explains it), restarts.
 */
export function workloadDescription(
  kind: string,
  object: KubeObject,
  health: Health,
  worst: { row: PodRow; health: Health; restarts: number } | undefined,
): string {
  const parts = [readyCell(kind, object, health)];
  if (health.level !== 'ok') {
    if (worst && worst.health.level !== 'ok') parts.push(worst.row.status);
    else {
      const reason = conditionReason(health);
      if (reason) parts.push(reason);
    }
  }
  if (worst && worst.restarts > 0) parts.push(`${worst.restarts}↻`);
  return parts.filter((p) => p !== '').join(SEPARATOR);
}

function readyCell(kind: string, object: KubeObject, health: Health): string {
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  const status = (object['status'] ?? {}) as Record<string, unknown>;
  const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return `${num(status['readyReplicas'], 0)}/${num(spec['replicas'], 1)}`;
    case 'DaemonSet':
      return `${num(status['numberReady'], 0)}/${num(status['desiredNumberScheduled'], 0)}`;
    case 'Job':
      return `${num(status['succeeded'], 0)}/${num(spec['completions'], 1)}`;
    case 'CronJob': {
      const active = Array.isArray(status['active']) ? status['active'].length : 0;
      return spec['suspend'] === true ? 'Suspended' : `${active} active`;
    }
    case 'Service':
      return health.summary;
    default:
      return health.summary;
  }
}

/** `ProgressDeadlineExceeded`, `BackoffLimitExceeded`: the first word of a condition reason. */
function conditionReason(health: Health): string | undefined {
  const first = health.reasons[0];
  if (!first) return health.level === 'progressing' ? 'Progressing' : undefined;
  const match = /^([A-Z][A-Za-z]+)(:|$)/.exec(first);
  return match?.[1];
}

/** A container's row: `CrashLoopBackOff · exit 1 · 5↻`, `Running`, `Running · not ready`. */
export function containerDescription(status: ContainerStatus | undefined, init: boolean): string {
  const parts: string[] = init ? ['init'] : [];
  if (!status) return [...parts, 'Waiting'].join(SEPARATOR);
  const state = status.state ?? {};
  if (state.running) parts.push(status.ready || init ? 'Running' : 'Running · not ready');
  else if (state.waiting) parts.push(state.waiting.reason ?? 'Waiting');
  else if (state.terminated)
    parts.push(`${state.terminated.reason ?? 'Terminated'} (exit ${state.terminated.exitCode})`);
  const last = status.lastState?.terminated;
  if (last && !state.terminated) parts.push(`last: ${last.reason ?? 'Terminated'} (exit ${last.exitCode})`);
  if (status.restartCount > 0) parts.push(`${status.restartCount}↻`);
  return parts.join(SEPARATOR);
}

export function containerLevel(status: ContainerStatus | undefined, podLevel: HealthLevel): HealthLevel {
  if (!status) return podLevel === 'ok' ? 'ok' : 'progressing';
  const state = status.state ?? {};
  if (state.running) return status.ready ? 'ok' : 'degraded';
  if (state.terminated) return state.terminated.exitCode === 0 ? 'ok' : 'failed';
  const reason = state.waiting?.reason ?? '';
  return reason === 'ContainerCreating' || reason === 'PodInitializing' || reason === ''
    ? 'progressing'
    : 'failed';
}

export function containerIcon(status: ContainerStatus | undefined, level: HealthLevel): IconSpec {
  if (level === 'ok') return { id: 'pass', tone: 'ok' };
  const reason =
    status?.state?.waiting?.reason ??
    status?.state?.terminated?.reason ??
    status?.lastState?.terminated?.reason ??
    '';
  if (reason === 'OOMKilled' || status?.lastState?.terminated?.reason === 'OOMKilled')
    return { id: 'flame', tone: level };
  if (reason === 'CrashLoopBackOff' || reason === 'Error') return { id: 'debug-restart', tone: level };
  if (/ImagePull|ErrImage|InvalidImageName/.test(reason)) return { id: 'cloud-download', tone: level };
  if (/ConfigError|CreateContainerError/.test(reason)) return { id: 'gear', tone: level };
  return { id: levelShape(level), tone: level };
}

export function containerContextValue(status: ContainerStatus | undefined, init: boolean): string {
  const state = status?.state?.running ? 'running' : status?.state?.terminated ? 'terminated' : 'waiting';
  const facets = ['container', state];
  if ((status?.restartCount ?? 0) > 0 || status?.lastState?.terminated) facets.push('restarted');
  if (init) facets.push('init');
  return facets.join(':');
}

// ---- Tooltips (Markdown; cluster text always through escapeMarkdown) --------------------------

const e = escapeMarkdown;

export function stateText(status: ContainerStatus | undefined, now: number): string {
  const state = status?.state;
  if (!state) return 'Waiting';
  if (state.running) {
    const at = parseTimestamp(state.running.startedAt);
    return `Running${at !== undefined ? ` for ${humanDuration(now - at)}` : ''}${status.ready ? '' : ', not ready'}`;
  }
  if (state.waiting)
    return `Waiting: ${e(state.waiting.reason ?? '')}${state.waiting.message ? ` — ${e(state.waiting.message)}` : ''}`;
  if (state.terminated) return `Terminated: ${terminatedText(state.terminated, now)}`;
  return 'Unknown';
}

function terminatedText(
  t: NonNullable<NonNullable<ContainerStatus['lastState']>['terminated']>,
  now: number,
): string {
  const explained = explainExit(t);
  const finished = parseTimestamp(t.finishedAt);
  const signal = explained.signal ? ` (${explained.signal})` : '';
  return [
    `${e(t.reason ?? 'Terminated')}, exit code ${t.exitCode}${signal}${finished !== undefined ? `, ${humanDuration(now - finished)} ago` : ''}`,
    `  \n  _${e(explained.meaning)}_`,
    t.message ? `  \n  ${e(t.message.trim().split('\n').slice(-3).join('\n'))}` : '',
  ].join('');
}

/**
 * Container lines for a tooltip: state, then last state with the exit code's meaning, then the
 * container's restarts when the pod's own count (on the Status line) is a sum of several.
 */
export function containerLines(pod: Pod, now: number, only?: string): string[] {
  const lines: string[] = [];
  const several = (pod.spec?.initContainers?.length ?? 0) + (pod.spec?.containers?.length ?? 0) > 1;
  const groups: [string, ContainerStatus[] | undefined, { name: string }[] | undefined][] = [
    ['init container', pod.status?.initContainerStatuses, pod.spec?.initContainers],
    ['container', pod.status?.containerStatuses, pod.spec?.containers],
  ];
  for (const [label, statuses, specs] of groups) {
    for (const spec of specs ?? []) {
      if (only !== undefined && spec.name !== only) continue;
      const status = statuses?.find((s) => s.name === spec.name);
      lines.push(`**${label} ${e(spec.name)}**: ${stateText(status, now)}`);
      const last = status?.lastState?.terminated;
      if (last) lines.push(`Last state: ${terminatedText(last, now)}`);
      if (several && status && status.restartCount > 0) lines.push(`Restarts: ${status.restartCount}`);
    }
  }
  return lines;
}

export function lastEventLine(events: readonly KubeEvent[], now: number): string | undefined {
  const last = events[events.length - 1];
  if (!last) return undefined;
  const at = parseTimestamp(eventTime(last));
  const count = last.count && last.count > 1 ? ` (x${last.count})` : '';
  const ago = at !== undefined ? `, ${humanDuration(now - at)} ago` : '';
  return `Last event: ${e(last.type ?? 'Normal')} **${e(last.reason ?? '')}**${count}${ago}: ${e(last.message ?? '')}`;
}

export function findingLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return [
    '**Findings**',
    ...findings.map(
      (f) =>
        `- ${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Info'} \`${f.code}\`: ${e(f.message)}`,
    ),
  ];
}

export function joinSections(sections: readonly (readonly string[])[]): string {
  return sections
    .filter((s) => s.length > 0)
    .map((s) => s.join('  \n'))
    .join('\n\n---\n\n');
}
