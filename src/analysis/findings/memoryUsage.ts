// memory-near-limit (seed 003, `kubectl top pod`): a running container whose working set has
// reached 90 % of its memory limit. The kernel OOM-kills it when the working set reaches the
// limit, so this is the warning before oom-killed. Usage is not in any API object: it comes from
// metrics.k8s.io through AnalysisOptions.memoryUsage, and without metrics there is no finding.
import type { ClusterView } from '../../kube/clusterView';
import { formatMemory } from '../../kube/quantity';
import type { Pod } from '../../kube/types';
import type { Finding } from '../finding';
import type { AnalysisOptions } from './analysisOptions';
import { podFinding, refOf } from './findingBase';
import { podContainers } from './podContainers';
import { parseQuantity } from '../../kube/quantity';
import { tidyMemoryUp } from './tidyQuantity';

/** The share of the limit at which the warning starts. */
export const NEAR_LIMIT_RATIO = 0.9;
/** The proposed limit leaves this much room over what the container uses now. */
const HEADROOM = 1.5;

/** The limit to propose: 1.5× usage, at least one tidy step above the current limit. */
export function raisedMemoryLimit(usageBytes: number, limitBytes: number): string {
  return tidyMemoryUp(Math.max(usageBytes * HEADROOM, limitBytes + 1));
}

export function memoryNearLimitFindings(
  pod: Pod,
  _view: ClusterView,
  options: AnalysisOptions = {},
): Finding[] {
  if (!options.memoryUsage || pod.status?.phase !== 'Running') return [];
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    if (container.kind !== 'containers' || !container.status?.state?.running) continue;
    // Once the container has been OOM-killed, oom-killed says it more precisely.
    if (container.status.lastState?.terminated?.reason === 'OOMKilled') continue;
    const limit = container.spec?.resources?.limits?.['memory'];
    const limitBytes = parseQuantity(limit);
    if (limit === undefined || limitBytes === undefined || limitBytes <= 0) continue;
    const usage = options.memoryUsage(refOf(pod, 'Pod'), container.name);
    if (usage === undefined || usage < NEAR_LIMIT_RATIO * limitBytes) continue;
    const request = container.spec?.resources?.requests?.['memory'];
    const percent = Math.floor((usage / limitBytes) * 100);
    const proposed = raisedMemoryLimit(usage, limitBytes);
    findings.push(
      podFinding(pod, {
        code: 'memory-near-limit',
        severity: 'warning',
        message: `Container "${container.name}" uses ${formatMemory(usage)} of its ${limit} memory limit (${percent} %); it is OOM-killed when it reaches the limit`,
        phase: 'Run',
        container,
        paths: [
          `${container.path}.resources.limits.memory`,
          `${container.path}.resources`,
          `${container.path}.name`,
        ],
        evidence: [
          `${container.name}: memory usage ${formatMemory(usage)} · request ${request ?? 'none'} · limit ${limit} (${percent} % of the limit; metrics.k8s.io working set)`,
        ],
        fixes: [
          {
            title: `Raise the memory limit to ${proposed} (usage ${formatMemory(usage)} is ${percent} % of ${limit})`,
            changes: [
              {
                op: 'set',
                root: 'podSpec',
                path: `${container.path}.resources.limits.memory`,
                value: proposed,
              },
            ],
          },
        ],
      }),
    );
  }
  return findings;
}
