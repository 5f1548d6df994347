// The Job controller: up to `parallelism` active pods until `completions` succeed, failed pods
// counted against `backoffLimit` (container restarts too, with OnFailure), replacement pods after
// the pod-failure back-off (10 s doubling, 6 min cap), and the terminal conditions of §20:
// FailureTarget then Failed with BackoffLimitExceeded, or SuccessCriteriaMet then Complete.
import type { Job, Pod } from '../../../kube/types';
import { isPodReady, isTerminal, setCondition, writeStatus } from '../objects';
import { createPodFromTemplate } from './podFactory';
import { markForDeletion } from './replicaSetController';
import type { SimContext } from '../simContext';
import { rfc3339 } from '../../../kube/timeFormat';

const component = 'job-controller';

export class JobController {
  constructor(
    private readonly ctx: SimContext,
    private readonly requeue: (namespace: string, name: string, afterMs: number) => void,
  ) {}

  reconcile(namespace: string, name: string): void {
    const job: Job | undefined = this.ctx.store.get('Job', namespace, name);
    if (!job || job.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const status = { ...(job.status ?? {}) };
    const finished = (status.conditions ?? []).some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = this.ctx.owners.owned<Pod>('Pod', job);
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata?.deletionTimestamp);
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failedPods = pods.filter((p) => p.status?.phase === 'Failed');
    const restarts =
      job.spec?.template?.spec?.restartPolicy === 'OnFailure'
        ? active.reduce(
            (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, s) => m + s.restartCount, 0),
            0,
          )
        : 0;
    const failed = failedPods.length;
    const completions = job.spec?.completions ?? 1;
    const parallelism = job.spec?.parallelism ?? 1;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    if (!status.startTime && !job.spec?.['suspend']) status.startTime = rfc3339(now);
    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.succeeded = succeeded;
    status.failed = failed;
    status['terminating'] = pods.filter((p) => p.metadata?.deletionTimestamp && !isTerminal(p)).length;
    status['uncountedTerminatedPods'] = {};
    if (!finished) {
      if (failed + restarts > backoffLimit) {
        const message = 'Job has reached the specified backoff limit';
        for (const pod of active) markForDeletion(this.ctx, pod);
        status.conditions = setCondition(
          status.conditions ?? [],
          { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message },
          now,
          'job',
        );
        status.conditions = setCondition(
          status.conditions,
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message },
          now,
          'job',
        );
        status.active = 0;
        this.ctx.events.record(job, { type: 'Warning', reason: 'BackoffLimitExceeded', message, component });
      } else if (succeeded >= completions) {
        status.conditions = setCondition(
          status.conditions ?? [],
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          now,
          'job',
        );
        status.conditions = setCondition(
          status.conditions,
          {
            type: 'Complete',
            status: 'True',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          now,
          'job',
        );
        status.completionTime = rfc3339(now);
        this.ctx.events.record(job, {
          type: 'Normal',
          reason: 'Completed',
          message: 'Job completed',
          component,
        });
      } else if (!job.spec?.['suspend']) {
        const want = Math.min(parallelism, completions - succeeded) - active.length;
        const lastFailure = Math.max(
          0,
          ...failedPods.map(
            (p) => Date.parse(p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? '') || 0,
          ),
        );
        const delay = failed > 0 ? Math.min(10_000 * 2 ** (failed - 1), 360_000) : 0;
        if (want > 0 && lastFailure + delay > now) this.requeue(namespace, name, lastFailure + delay - now);
        else {
          for (let i = 0; i < want; i++) {
            const uid = job.metadata?.uid ?? '';
            const result = createPodFromTemplate(this.ctx, job, job.spec?.template, {
              component,
              labels: {
                'batch.kubernetes.io/controller-uid': uid,
                'batch.kubernetes.io/job-name': name,
                'controller-uid': uid,
                'job-name': name,
              },
            });
            if ('error' in result) break;
            this.ctx.events.record(job, {
              type: 'Normal',
              reason: 'SuccessfulCreate',
              message: `Created pod: ${result.pod.metadata?.name}`,
              component,
            });
            status.active = (status.active ?? 0) + 1;
          }
        }
      }
    }
    writeStatus(this.ctx.store, job, status);
  }
}
