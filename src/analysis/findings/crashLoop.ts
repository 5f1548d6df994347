// Containers that keep exiting (catalog §7, §8) and containers whose command cannot be started
// (§11, §12). The cause is in the last termination record, not in the CrashLoopBackOff state;
// OOM kills and probe kills have their own, more precise findings, and analyze.ts lets those win.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { Container, ContainerStateTerminated, KubeEvent, Pod } from '../../kube/types';
import { explainExit } from '../exitCodes';
import { sanitizeText } from '../../kube/sanitize';
import type { AnalysisOptions } from './analysisOptions';
import { DEFAULT_LOG_LINES } from './analysisOptions';
import { describeEvent, eventContainer, eventMessage, newestEventTime } from './eventText';
import { newest, podFinding, refOf } from './findingBase';
import type { PodContainer } from './podContainers';
import { podContainers } from './podContainers';
import { ranBefore } from './workloadHistory';

const EXEC_FAILED =
  /exec: "([^"]*)": (executable file not found in \$PATH|stat [^:]*: no such file or directory|permission denied)/;
const START_FAILURE_REASONS = new Set(['StartError', 'ContainerCannotRun']);
const START_WAITING_REASONS = new Set(['RunContainerError', 'CreateContainerError']);
/** `status.reason` values of pods the kubelet stopped (catalog §1.1, §13). */
const STOPPED_BY_KUBELET = new Set([
  'Evicted',
  'DeadlineExceeded',
  'Terminated',
  'Preempting',
  'NodeLost',
  'Shutdown',
  'NodeShutdown',
]);
/** Termination messages (up to 80 log lines with FallbackToLogsOnError) are quoted up to this length, keeping the end. */
const MAX_MESSAGE = 2048;

function ownEvents(events: readonly KubeEvent[], container: PodContainer): KubeEvent[] {
  return events.filter((e) => {
    const target = eventContainer(e);
    return target?.kind === container.kind && target.name === container.name;
  });
}

/** The termination that explains a crash: the current one (restartPolicy Never), else the last. */
/** How recent a failed exit must be for a running container to count as still crash-looping. */
const RECENT_CRASH_MS = 10 * 60 * 1000;

/** The last failed exit of a container that is running again after it, if that exit is recent. */
function betweenCrashes(container: PodContainer, now: number): ContainerStateTerminated | undefined {
  const status = container.status;
  const last = status?.lastState?.terminated;
  if (!status?.state?.running || !last || last.exitCode === 0) return undefined;
  const finished = Date.parse(last.finishedAt ?? '');
  return !Number.isNaN(finished) && now - finished <= RECENT_CRASH_MS ? last : undefined;
}

export function crashTermination(container: PodContainer): ContainerStateTerminated | undefined {
  const current = container.status?.state?.terminated;
  if (current && current.exitCode !== 0) return current;
  const waiting = container.status?.state?.waiting?.reason;
  if (waiting === 'CrashLoopBackOff' || waiting === 'RunContainerError')
    return container.status?.lastState?.terminated;
  return undefined;
}

function terminationLine(container: PodContainer, terminated: ContainerStateTerminated): string {
  const { meaning } = explainExit(terminated);
  return `${container.name}: ${container.status?.state?.terminated === terminated ? 'terminated' : 'last terminated'}: reason ${terminated.reason ?? '(none)'}, exit code ${terminated.exitCode}${terminated.finishedAt ? ` at ${terminated.finishedAt}` : ''}. ${meaning}`;
}

function logEvidence(pod: Pod, container: PodContainer, options: AnalysisOptions): string[] {
  const lines = options.logs?.(
    refOf(pod, 'Pod'),
    container.name,
    container.status?.state?.terminated === undefined,
  );
  if (!lines?.length) return [];
  const tail = lines.slice(-(options.logLines ?? DEFAULT_LOG_LINES)).map((l) => sanitizeText(l).trimEnd());
  return [`last log lines of "${container.name}":\n${tail.join('\n')}`];
}

function terminationMessage(terminated: ContainerStateTerminated | undefined): string[] {
  const text = sanitizeText(terminated?.message ?? '').trim();
  return text ? [text.length > MAX_MESSAGE ? `${text.slice(-MAX_MESSAGE)}` : text] : [];
}

/** Blame `command`, else `args`, else the container: the fields a crash usually comes from. */
function crashPaths(container: PodContainer): string[] {
  const spec = container.spec;
  return [
    ...(spec?.command?.length ? [`${container.path}.command`] : []),
    ...(spec?.args?.length ? [`${container.path}.args`] : []),
    `${container.path}.name`,
  ];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A fix that restores command, args and image of the revision that last ran, when they differ. */
export function restoreFix(pod: Pod, view: ClusterView, container: PodContainer): FixSuggestion[] {
  const spec: Container | undefined = container.spec;
  if (!spec) return [];
  const fields = ['command', 'args', 'image'] as const;
  const before = ranBefore(pod, view, container.kind, container.name, (c) =>
    fields.some((f) => !same(c[f], spec[f])),
  );
  if (!before) return [];
  const changes = fields
    .filter((f) => !same(before.container[f], spec[f]))
    .map((f) =>
      before.container[f] === undefined
        ? ({ op: 'remove', root: 'podSpec', path: `${container.path}.${f}` } as const)
        : ({
            op: 'set',
            root: 'podSpec',
            path: `${container.path}.${f}`,
            value: before.container[f],
          } as const),
    );
  const shown = fields
    .filter((f) => !same(before.container[f], spec[f]))
    .map((f) => `${f}: ${JSON.stringify(before.container[f] ?? null)}`);
  return [{ title: `Restore what last ran (${before.source}): ${shown.join(', ')}`, changes }];
}

/** The start failure of a container whose executable is missing or not executable, if any. */
function startFailure(
  container: PodContainer,
  events: readonly KubeEvent[],
): { executable: string; problem: string; text: string } | undefined {
  const status = container.status;
  const texts: string[] = [];
  if (status?.state?.waiting && START_WAITING_REASONS.has(status.state.waiting.reason ?? ''))
    texts.push(status.state.waiting.message ?? '');
  for (const terminated of [status?.state?.terminated, status?.lastState?.terminated]) {
    if (terminated && START_FAILURE_REASONS.has(terminated.reason ?? ''))
      texts.push(terminated.message ?? '');
  }
  if (!texts.length) return undefined;
  texts.push(...events.filter((e) => e.reason === 'Failed').map(eventMessage));
  for (const raw of texts) {
    const text = sanitizeText(raw);
    const match = EXEC_FAILED.exec(text);
    if (match) return { executable: match[1] ?? '', problem: match[2] ?? '', text };
  }
  return undefined;
}

/** command-not-found for one pod (regular and init containers). */
export function commandNotFoundFindings(pod: Pod, view: ClusterView): Finding[] {
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    const own = ownEvents(events, container);
    const failure = startFailure(container, own);
    if (!failure) continue;
    const spec = container.spec;
    const paths = spec?.command?.length
      ? [`${container.path}.command[0]`, `${container.path}.command`]
      : spec?.args?.length
        ? [`${container.path}.args[0]`, `${container.path}.args`]
        : [];
    const fixes = restoreFix(pod, view, container);
    if (spec?.command?.length) {
      fixes.push({
        title: "Remove command and use the image's ENTRYPOINT",
        changes: [{ op: 'remove', root: 'podSpec', path: `${container.path}.command` }],
      });
    }
    const terminated = container.status?.lastState?.terminated ?? container.status?.state?.terminated;
    const related = own.filter((e) => e.reason === 'Failed' || e.reason === 'BackOff');
    const problem = failure.problem.startsWith('permission denied')
      ? 'is not executable'
      : failure.problem.startsWith('stat')
        ? 'does not exist in the image'
        : 'was not found in the image ($PATH)';
    findings.push(
      podFinding(pod, {
        code: 'command-not-found',
        message: `${container.kind === 'initContainers' ? 'Init container' : 'Container'} "${container.name}" cannot start: executable "${failure.executable}" ${problem}`,
        phase: container.kind === 'initContainers' ? 'Initialization' : 'Preparation',
        container,
        paths: [...paths, `${container.path}.name`],
        evidence: [
          ...(terminated && START_FAILURE_REASONS.has(terminated.reason ?? '')
            ? [terminationLine(container, terminated)]
            : []),
          failure.text,
          ...related.map(describeEvent),
        ],
        fixes,
        lastSeen: newest(newestEventTime(related), terminated?.finishedAt),
      }),
    );
  }
  return findings;
}

/** crash-loop for one pod's regular and sidecar containers (other init containers: see initContainers.ts). */
export function crashLoopFindings(pod: Pod, view: ClusterView, options: AnalysisOptions = {}): Finding[] {
  // A pod being deleted, or stopped by the kubelet (deadline, node shutdown, critical-pod
  // preemption, eviction), had its containers killed on purpose: their exit codes are not crashes.
  if (pod.metadata?.deletionTimestamp || STOPPED_BY_KUBELET.has(pod.status?.reason ?? '')) return [];
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    // Sidecars (restartable init containers) crash-loop like regular containers; other init containers: initContainers.ts.
    const sidecar = container.kind === 'initContainers' && container.spec?.restartPolicy === 'Always';
    if (container.kind !== 'containers' && !sidecar) continue;
    const backingOff = container.status?.state?.waiting?.reason === 'CrashLoopBackOff';
    const between = betweenCrashes(container, view.now());
    const terminated = crashTermination(container) ?? between;
    if (!terminated && !backingOff) continue;
    const restarts = container.status?.restartCount ?? 0;
    const backOffEvents = ownEvents(events, container).filter((e) => e.reason === 'BackOff');
    const waitingMessage = backingOff ? sanitizeText(container.status?.state?.waiting?.message ?? '') : '';
    const explained = terminated ? explainExit(terminated) : undefined;
    const how = explained
      ? `exited with code ${explained.code}${explained.signal ? ` (${explained.signal})` : ''}`
      : 'keeps exiting';
    findings.push(
      podFinding(pod, {
        code: 'crash-loop',
        // Running again between crashes: degraded until it exits again.
        severity: between ? 'warning' : 'error',
        message: `Container "${container.name}" ${how}${restarts ? `, restarted ${restarts} times` : ''}${backingOff ? ' (CrashLoopBackOff)' : ''}${between ? '; running again for now' : ''}`,
        phase: 'Run',
        container,
        paths: crashPaths(container),
        evidence: [
          ...(terminated ? [terminationLine(container, terminated)] : []),
          ...terminationMessage(terminated),
          ...(waitingMessage ? [`${container.name}: CrashLoopBackOff: ${waitingMessage}`] : []),
          ...backOffEvents.map(describeEvent),
          ...logEvidence(pod, container, options),
        ],
        fixes: restoreFix(pod, view, container),
        lastSeen: newest(newestEventTime(backOffEvents), terminated?.finishedAt),
      }),
    );
  }
  return findings;
}
