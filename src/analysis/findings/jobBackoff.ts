// job-backoff-exceeded: a Job that ran out of retries (catalog §20, BackoffLimitExceeded), blamed
// on what its pods failed with.
import type { ClusterView } from '../../kube/clusterView';
import type { Finding } from '../finding';
import type { Job } from '../../kube/types';
import { controllerOf } from '../../kube/ownership';
import { sanitizeText } from '../../kube/sanitize';
import { describeEvent, newestEventTime } from './eventText';
import type { ExplainPod } from './controllerFinding';
import { causeEvidence, controllerFinding, podCauses } from './controllerFinding';

const DEFAULT_BACKOFF_LIMIT = 6;

/** job-backoff-exceeded for one Job. */
export function jobFindings(job: Job, view: ClusterView, explain: ExplainPod): Finding[] {
  const namespace = job.metadata?.namespace;
  const name = job.metadata?.name ?? '';
  // `Failed` is final; 1.31+ sets `FailureTarget` first, while the last pods terminate.
  const backoff = (type: string) =>
    job.status?.conditions?.find(
      (c) => c.type === type && c.status === 'True' && c.reason === 'BackoffLimitExceeded',
    );
  const condition = backoff('Failed') ?? backoff('FailureTarget');
  const events = view.eventsFor('Job', namespace, name).filter((e) => e.reason === 'BackoffLimitExceeded');
  if (!condition && !events.length) return [];
  const causes = podCauses(view, job.metadata?.uid, explain);
  const limit = job.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  const cronJob = controllerOf(job)?.kind === 'CronJob';
  const prefix = cronJob ? 'spec.jobTemplate.spec' : 'spec';
  return [
    controllerFinding(job, 'Job', {
      code: 'job-backoff-exceeded',
      message: `Job ${name} failed: ${job.status?.failed ?? '?'} pods failed, backoffLimit is ${limit}${causes[0] ? ` (${causes[0].code}: ${causes[0].message})` : ''}`,
      phase: 'Run',
      blame: { root: 'object', paths: [`${prefix}.backoffLimit`, prefix] },
      evidence: [
        ...(condition
          ? [`${condition.type}: ${condition.reason ?? ''}: ${sanitizeText(condition.message ?? '')}`]
          : []),
        ...events.map(describeEvent),
        ...causeEvidence(causes),
      ],
      fixes: [
        {
          title: `Allow ${limit * 2} retries (backoffLimit, now ${limit}); only helps when failures are transient`,
          changes: [{ op: 'set', root: 'object', path: `${prefix}.backoffLimit`, value: limit * 2 }],
        },
      ],
      lastSeen: newestEventTime(events) ?? condition?.lastTransitionTime,
    }),
  ];
}
