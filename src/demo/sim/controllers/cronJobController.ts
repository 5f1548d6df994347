// The CronJob controller: at each scheduled minute on the sim clock it creates the Job
// `<name>-<minutes since the epoch>` (the real naming), records SuccessfulCreate /
// SawCompletedJob, keeps successfulJobsHistoryLimit / failedJobsHistoryLimit, and schedules itself.
import type { CronJob, Job, KubeObject } from '../../../kube/types';
import { nextRun, parseCron } from './cron';
import { clone, controllerRef, writeStatus } from '../objects';
import type { SimContext } from '../simContext';
import { rfc3339 } from '../../../kube/timeFormat';

const component = 'cronjob-controller';

function finishedAs(job: Job): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c?.type as 'Complete' | 'Failed' | undefined;
}

export class CronJobController {
  private readonly seenFinished = new Set<string>();

  constructor(
    private readonly ctx: SimContext,
    private readonly requeue: (namespace: string, name: string, afterMs: number) => void,
  ) {}

  reconcile(namespace: string, name: string): void {
    const cj: CronJob | undefined = this.ctx.store.get('CronJob', namespace, name);
    if (!cj || cj.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    let schedule;
    try {
      schedule = parseCron(cj.spec?.schedule ?? '');
    } catch (err) {
      this.ctx.events.record(cj, {
        type: 'Warning',
        reason: 'UnparseableSchedule',
        message: `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${(err as Error).message}`,
        component,
      });
      return;
    }
    const status = { ...(cj.status ?? {}) };
    const since = Date.parse(status.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '') || now;
    // Like robfig/cron's Next: strictly after the creation or the last scheduled time.
    const due = nextRun(schedule, since);
    if (
      due !== undefined &&
      due <= now &&
      !cj.spec?.suspend &&
      due > (Date.parse(status.lastScheduleTime ?? '') || 0)
    ) {
      const jobName = `${name}-${Math.floor(due / 60_000)}`;
      if (!this.ctx.store.get('Job', namespace, jobName)) {
        const template = clone(cj.spec?.jobTemplate ?? {});
        const job: KubeObject = {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            ...(template.metadata ?? {}),
            name: jobName,
            namespace,
            ownerReferences: [controllerRef(cj)],
            annotations: {
              ...(template.metadata?.annotations ?? {}),
              'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(due),
            },
          },
          spec: template.spec ?? {},
        };
        this.ctx.store.create(job);
        this.ctx.events.record(cj, {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created job ${jobName}`,
          component,
        });
      }
      status.lastScheduleTime = rfc3339(due);
    }
    const fresh = this.ctx.owners.owned<Job>('Job', cj);
    for (const job of fresh) {
      const result = finishedAs(job);
      const uid = job.metadata?.uid ?? '';
      if (result && !this.seenFinished.has(uid)) {
        this.seenFinished.add(uid);
        this.ctx.events.record(cj, {
          type: 'Normal',
          reason: 'SawCompletedJob',
          message: `Saw completed job: ${job.metadata?.name}, status: ${result}`,
          component,
        });
        if (result === 'Complete') status.lastSuccessfulTime = job.status?.completionTime ?? rfc3339(now);
      }
    }
    for (const [kind, limit] of [
      ['Complete', Number(cj.spec?.['successfulJobsHistoryLimit'] ?? 3)],
      ['Failed', Number(cj.spec?.['failedJobsHistoryLimit'] ?? 1)],
    ] as const) {
      const done = fresh
        .filter((j) => finishedAs(j) === kind)
        .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
      for (const old of done.slice(0, Math.max(0, done.length - limit))) {
        this.ctx.store.delete('Job', namespace, old.metadata?.name ?? '');
        this.ctx.events.record(cj, {
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted job ${old.metadata?.name}`,
          component,
        });
      }
    }
    const active = this.ctx.owners.owned<Job>('Job', cj).filter((j) => !finishedAs(j));
    // status.active holds ObjectReferences (not owner references) to the running Jobs.
    const next: Record<string, unknown> = { ...status };
    if (active.length) {
      next['active'] = active.map((j) => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: j.metadata?.name,
        namespace: j.metadata?.namespace,
        uid: j.metadata?.uid,
      }));
    } else delete next['active'];
    writeStatus(this.ctx.store, cj, next);
    const upcoming = nextRun(schedule, Math.max(now, Date.parse(status.lastScheduleTime ?? '') || 0));
    if (upcoming !== undefined) this.requeue(namespace, name, upcoming - now);
  }
}
