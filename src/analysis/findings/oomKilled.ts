// OOMKilled (catalog §6): the runtime saw the container's memory cgroup hit its limit. The evidence
// is the termination record, not an event; the fix is a larger limit, sized from the old limit and
// (when the caller knows it) observed usage, rounded to a value a person would write.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding, FixSuggestion } from '../finding';
import type { ContainerStateTerminated, Pod } from '../../kube/types';
import type { AnalysisOptions } from './analysisOptions';
import { newest, podFinding, refOf } from './findingBase';
import type { PodContainer } from './podContainers';
import { podContainers } from './podContainers';
import { formatMemory, parseQuantity } from '../../kube/quantity';
import { tidyMemoryUp } from './tidyQuantity';

/** Headroom over observed usage when usage is known. */
const USAGE_HEADROOM = 1.5;
/** Running ready this long after an OOM kill makes it history rather than a current failure. */
const STABLE_AFTER_MS = 60 * 60 * 1000;

/** The proposed memory limit: twice the old limit, or 1.5× observed usage if that is more, rounded up tidily. */
export function proposedMemoryLimit(
  oldLimitBytes: number | undefined,
  usageBytes: number | undefined,
  requestBytes: number | undefined,
): string | undefined {
  const candidates = [
    oldLimitBytes !== undefined ? oldLimitBytes * 2 : undefined,
    usageBytes !== undefined ? usageBytes * USAGE_HEADROOM : undefined,
  ];
  // Without a limit or usage, the request is the only size the author gave.
  if (oldLimitBytes === undefined && usageBytes === undefined && requestBytes !== undefined)
    candidates.push(requestBytes * 2);
  const target = Math.max(...candidates.filter((c): c is number => c !== undefined));
  return Number.isFinite(target) && target > 0 ? tidyMemoryUp(target) : undefined;
}

function oomTermination(container: PodContainer): ContainerStateTerminated | undefined {
  const current = container.status?.state?.terminated;
  if (current?.reason === 'OOMKilled') return current;
  const last = container.status?.lastState?.terminated;
  return last?.reason === 'OOMKilled' ? last : undefined;
}

/** oom-killed for one pod. */
export function oomKilledFindings(pod: Pod, view: ClusterView, options: AnalysisOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    const terminated = oomTermination(container);
    if (!terminated) continue;
    const limit = container.spec?.resources?.limits?.['memory'];
    const request = container.spec?.resources?.requests?.['memory'];
    const usage = options.memoryUsage?.(refOf(pod, 'Pod'), container.name);
    const proposed = proposedMemoryLimit(parseQuantity(limit), usage, parseQuantity(request));
    const fixes: FixSuggestion[] = [];
    if (proposed && proposed !== limit) {
      const basis = [
        limit ? `2× the old limit ${limit}` : undefined,
        usage !== undefined ? `1.5× observed usage ${formatMemory(usage)}` : undefined,
      ]
        .filter((s) => s !== undefined)
        .join(', ');
      fixes.push({
        title: `Raise the memory limit to ${proposed}${basis ? ` (${basis})` : ''}`,
        changes: [
          { op: 'set', root: 'podSpec', path: `${container.path}.resources.limits.memory`, value: proposed },
        ],
      });
    }
    const restarts = container.status?.restartCount ?? 0;
    // lastState keeps an OOM kill until the next termination: once the container has run ready for
    // a while since, the kill is a warning about headroom, not a failure.
    const finished = Date.parse(terminated.finishedAt ?? '');
    const stable =
      container.status?.ready === true && !Number.isNaN(finished) && view.now() - finished > STABLE_AFTER_MS;
    const when = terminated.finishedAt ? ` at ${terminated.finishedAt}` : '';
    findings.push(
      podFinding(pod, {
        code: 'oom-killed',
        severity: stable ? 'warning' : 'error',
        message: `Container "${container.name}" was OOMKilled (${limit ? `limit ${limit}` : 'no memory limit'}, exit code ${terminated.exitCode})${restarts ? `, restarted ${restarts} times` : ''}`,
        phase: 'Run',
        container,
        paths: limit
          ? [
              `${container.path}.resources.limits.memory`,
              `${container.path}.resources`,
              `${container.path}.name`,
            ]
          : [`${container.path}.resources`, `${container.path}.name`],
        evidence: [
          `${container.name}: last terminated: reason OOMKilled, exit code ${terminated.exitCode}${when}`,
          ...(limit ? [`resources.limits.memory: ${limit}`] : []),
          ...(request ? [`resources.requests.memory: ${request}`] : []),
          ...(usage !== undefined ? [`observed memory usage: ${formatMemory(usage)}`] : []),
        ],
        fixes,
        lastSeen: newest(terminated.finishedAt),
      }),
    );
  }
  return findings;
}
