// The workload controllers: Deployment → ReplicaSet → Pod shapes and rollouts, Deployment
// conditions (§17), ReplicaSet FailedCreate (§19), Job back-off (§20), CronJob, StatefulSet,
// DaemonSet and Endpoints, with the controllers' real event texts.
import { strict as assert } from 'node:assert';
import type {
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Job,
  KubeObject,
  ReplicaSet,
  StatefulSet,
} from '../../../../../src/kube/types';
import { nextRun, parseCron } from '../../../../../src/demo/sim/controllers/cron';
import { podTemplateHash, safeEncode } from '../../../../../src/demo/sim/names';
import { Harness } from '../harness';

function deployment(name: string, image: string, replicas = 3, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: demo}
spec:
  replicas: ${replicas}
${extra}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: ${image}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
`;
}

function rsOf(h: Harness, name: string): ReplicaSet[] {
  return (h.store.list('ReplicaSet', 'demo') as ReplicaSet[]).filter(
    (rs) => rs.metadata?.ownerReferences?.[0]?.name === name,
  );
}

function condition(
  object: KubeObject,
  type: string,
): { status?: string; reason?: string; message?: string } | undefined {
  return (
    (
      object['status'] as
        { conditions?: { type: string; status?: string; reason?: string; message?: string }[] } | undefined
    )?.conditions ?? []
  ).find((c) => c.type === type);
}

describe('controllers', () => {
  it('pod-template-hash is FNV-32a, safe-encoded', () => {
    assert.equal(safeEncode('0123456789'), '456789bcdf');
    const hash = podTemplateHash({
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'a', image: 'nginx' }] },
    });
    assert.match(hash, /^[4-9bcdf]{6,10}$/);
    assert.equal(
      hash,
      podTemplateHash({
        spec: { containers: [{ image: 'nginx', name: 'a' }] },
        metadata: { labels: { app: 'x' } },
      }),
    );
  });

  it('Deployment → ReplicaSet `<name>-<hash>` → pods `<rs>-<5>`, with owner references, events and status', () => {
    const h = new Harness();
    h.apply(deployment('web', 'nginx:1.27.2'));
    h.advance(10);
    const [rs] = rsOf(h, 'web');
    const hash = rs!.metadata!.labels!['pod-template-hash']!;
    assert.equal(rs!.metadata!.name, `web-${hash}`);
    assert.equal(rs!.metadata!.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(rs!.spec?.selector?.matchLabels, { app: 'web', 'pod-template-hash': hash });
    const pods = h.pods('demo', 'web-');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata!.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata!.generateName, `web-${hash}-`);
      assert.deepEqual(p.metadata!.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs!.metadata!.name,
          uid: rs!.metadata!.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.equal(p.metadata!.labels!['pod-template-hash'], hash);
    }
    assert.ok(
      h.messages('demo', 'web').includes(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`),
    );
    assert.ok(
      h
        .messages('demo', rs!.metadata!.name)
        .includes(`SuccessfulCreate: Created pod: ${pods[0]!.metadata!.name}`),
    );
    const rsEvent = h.events('demo', rs!.metadata!.name).find((e) => e.reason === 'SuccessfulCreate');
    assert.deepEqual(rsEvent?.source, { component: 'replicaset-controller' });
    const d = h.store.get('Deployment', 'demo', 'web') as Deployment;
    assert.deepEqual(
      [d.status?.replicas, d.status?.updatedReplicas, d.status?.readyReplicas, d.status?.availableReplicas],
      [3, 3, 3, 3],
    );
    assert.deepEqual(condition(d, 'Available'), {
      ...condition(d, 'Available'),
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    assert.deepEqual(condition(d, 'Progressing'), {
      ...condition(d, 'Progressing'),
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    const rsStatus = h.store.get('ReplicaSet', 'demo', rs!.metadata!.name)?.['status'];
    assert.deepEqual(rsStatus, {
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
  });

  it('a changed template rolls out: a new ReplicaSet scales up as the old one scales down', () => {
    const h = new Harness();
    h.apply(deployment('web', 'nginx:1.27.2'));
    h.advance(10);
    const [old] = rsOf(h, 'web');
    h.apply(deployment('web', 'nginx:1.26'));
    h.advance(1);
    const fresh = rsOf(h, 'web').find((rs) => rs.metadata?.uid !== old!.metadata?.uid)!;
    assert.equal(fresh.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');
    const d = h.store.get('Deployment', 'demo', 'web') as Deployment;
    assert.equal(condition(d, 'Progressing')?.reason, 'ReplicaSetUpdated');
    h.advance(60);
    const events = h.messages('demo', 'web');
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled up replica set ${fresh.metadata!.name} from 0 to 1`),
      events.join('\n'),
    );
    assert.ok(
      events.includes(`ScalingReplicaSet: Scaled down replica set ${old!.metadata!.name} from 3 to 2`),
      events.join('\n'),
    );
    assert.equal((h.store.get('ReplicaSet', 'demo', old!.metadata!.name!) as ReplicaSet).spec?.replicas, 0);
    assert.equal((h.store.get('ReplicaSet', 'demo', fresh.metadata!.name!) as ReplicaSet).spec?.replicas, 3);
    assert.deepEqual(h.rows('demo', 'web-'), ['1/1 Running 0', '1/1 Running 0', '1/1 Running 0']);
    assert.ok(
      h
        .pods('demo', 'web-')
        .every(
          (p) => p.metadata?.labels?.['pod-template-hash'] === fresh.metadata!.labels!['pod-template-hash'],
        ),
    );
    assert.equal(
      condition(h.store.get('Deployment', 'demo', 'web')!, 'Progressing')?.reason,
      'NewReplicaSetAvailable',
    );
  });

  it('a rollout that never becomes available times out: ProgressDeadlineExceeded', () => {
    const h = new Harness();
    h.apply(deployment('stuck', 'nginx:1.27.99', 2, '  progressDeadlineSeconds: 60\n'));
    h.advance(30);
    const d1 = h.store.get('Deployment', 'demo', 'stuck') as Deployment;
    assert.equal(condition(d1, 'Progressing')?.status, 'True');
    h.advance(40);
    const d = h.store.get('Deployment', 'demo', 'stuck') as Deployment;
    const [rs] = rsOf(h, 'stuck');
    assert.deepEqual(
      [
        condition(d, 'Progressing')?.status,
        condition(d, 'Progressing')?.reason,
        condition(d, 'Progressing')?.message,
      ],
      ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs!.metadata!.name}" has timed out progressing.`],
    );
    assert.deepEqual(
      [condition(d, 'Available')?.status, condition(d, 'Available')?.reason],
      ['False', 'MinimumReplicasUnavailable'],
    );
  });

  it('ReplicaSet FailedCreate when the ServiceAccount or PriorityClass is missing, and recovery', () => {
    const h = new Harness();
    h.apply(
      deployment('checkout', 'nginx:1.27.2', 2).replace(
        '      containers:',
        '      serviceAccountName: checkout-sa\n      containers:',
      ),
    );
    h.apply(
      deployment('batch', 'nginx:1.27.2', 1).replace(
        '      containers:',
        '      priorityClassName: business-critcal\n      containers:',
      ),
    );
    h.advance(5);
    const [rs] = rsOf(h, 'checkout');
    const name = rs!.metadata!.name!;
    const reason = `pods "${name}-" is forbidden: error looking up service account demo/checkout-sa: serviceaccount "checkout-sa" not found`;
    assert.ok(h.messages('demo', name).includes(`FailedCreate: Error creating: ${reason}`));
    const failure = condition(h.store.get('ReplicaSet', 'demo', name)!, 'ReplicaFailure');
    assert.deepEqual([failure?.status, failure?.reason, failure?.message], ['True', 'FailedCreate', reason]);
    assert.equal(
      condition(h.store.get('Deployment', 'demo', 'checkout')!, 'ReplicaFailure')?.message,
      reason,
    );
    assert.equal(h.pods('demo', 'checkout').length, 0);
    const [batch] = rsOf(h, 'batch');
    assert.ok(
      h
        .messages('demo', batch!.metadata!.name)
        .includes(
          `FailedCreate: Error creating: pods "${batch!.metadata!.name}-" is forbidden: no PriorityClass with name business-critcal was found`,
        ),
    );
    h.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: checkout-sa, namespace: demo}\n');
    h.advance(10);
    assert.equal(h.pods('demo', 'checkout').length, 2);
    assert.equal(condition(h.store.get('ReplicaSet', 'demo', name)!, 'ReplicaFailure'), undefined);
  });

  it('Job: failed pods count against backoffLimit, replacements wait out the back-off, then BackoffLimitExceeded', () => {
    const h = new Harness();
    h.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: nightly, namespace: demo}
spec:
  backoffLimit: 3
  template:
    spec:
      restartPolicy: Never
      containers: [{name: report, image: "busybox:1.36", command: [/bin/sh, -c, "exit 2"]}]
`);
    h.advance(5);
    assert.equal(h.pods('demo', 'nightly').length, 1);
    h.advance(3);
    assert.equal(h.pods('demo', 'nightly').length, 1, 'the second pod waits for the 10s back-off');
    h.advance(8);
    assert.equal(h.pods('demo', 'nightly').length, 2);
    h.advance(120);
    const job = h.store.get('Job', 'demo', 'nightly') as Job;
    assert.equal(job.status?.failed, 4);
    assert.deepEqual(
      job.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
        ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ],
    );
    const event = h.events('demo', 'nightly').find((e) => e.reason === 'BackoffLimitExceeded');
    assert.deepEqual(
      [event?.type, event?.message, event?.source?.component],
      ['Warning', 'Job has reached the specified backoff limit', 'job-controller'],
    );
    assert.ok(
      h
        .pods('demo', 'nightly')
        .every((p) => p.metadata?.labels?.['job-name'] === 'nightly' && p.status?.phase === 'Failed'),
    );
    assert.deepEqual(h.rows('demo', 'nightly')[0], '0/1 Error 0');
  });

  it('Job completions with parallelism; CronJob creates Jobs on schedule', () => {
    const h = new Harness();
    h.apply(`apiVersion: batch/v1
kind: CronJob
metadata: {name: tick, namespace: demo}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      completions: 3
      parallelism: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: "busybox:1.36", command: [/bin/sh, -c, "echo hi; sleep 2"]}]
`);
    h.advance(301);
    const jobs = h.store.list('Job', 'demo') as Job[];
    assert.equal(jobs.length, 1);
    const minutes = Math.floor(Date.parse('2025-06-10T09:05:00Z') / 60000);
    assert.equal(jobs[0]!.metadata!.name, `tick-${minutes}`);
    assert.ok(h.messages('demo', 'tick').includes(`SuccessfulCreate: Created job tick-${minutes}`));
    h.advance(30);
    const job = h.store.get('Job', 'demo', `tick-${minutes}`) as Job;
    assert.equal(job.status?.succeeded, 3);
    assert.ok(job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True'));
    assert.ok(
      h
        .messages('demo', 'tick')
        .includes(`SawCompletedJob: Saw completed job: tick-${minutes}, status: Complete`),
    );
    const cj = h.store.get('CronJob', 'demo', 'tick') as CronJob;
    assert.equal(cj.status?.lastScheduleTime, '2025-06-10T09:05:00Z');
    h.advance(1200);
    assert.equal((h.store.list('Job', 'demo') as Job[]).length, 3, 'successfulJobsHistoryLimit');
  });

  it('StatefulSet pods start in order with their claims', () => {
    const h = new Harness();
    h.apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: demo}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: redis, image: "redis:7.2.5", readinessProbe: {tcpSocket: {port: 6379}, initialDelaySeconds: 2, periodSeconds: 2}}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    h.advance(1);
    assert.deepEqual(
      h.pods('demo', 'db-').map((p) => p.metadata!.name),
      ['db-0'],
    );
    h.advance(30);
    assert.deepEqual(
      h.pods('demo', 'db-').map((p) => p.metadata!.name),
      ['db-0', 'db-1', 'db-2'],
    );
    assert.deepEqual(h.rows('demo', 'db-'), ['1/1 Running 0', '1/1 Running 0', '1/1 Running 0']);
    assert.equal(
      (h.store.get('PersistentVolumeClaim', 'demo', 'data-db-1') as { status?: { phase?: string } }).status
        ?.phase,
      'Bound',
    );
    assert.ok(
      h.messages('demo', 'db').includes('SuccessfulCreate: create Pod db-1 in StatefulSet db successful'),
    );
    assert.equal((h.store.get('StatefulSet', 'demo', 'db') as StatefulSet).status?.readyReplicas, 3);
  });

  it('DaemonSet: one pod per schedulable node, and one more for a new node', () => {
    const h = new Harness();
    h.apply(
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: demo}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: a, image: "quay.io/prometheus/node-exporter:v1.8.2"}]}\n',
    );
    h.advance(5);
    assert.deepEqual(
      h
        .pods('demo', 'agent')
        .map((p) => p.spec?.nodeName)
        .sort(),
      ['worker-1', 'worker-2', 'worker-3', 'worker-4'],
    );
    h.sim.addNodes([{ name: 'worker-5' }]);
    h.advance(5);
    assert.equal(h.pods('demo', 'agent').length, 5);
    const ds = h.store.get('DaemonSet', 'demo', 'agent') as DaemonSet;
    assert.deepEqual([ds.status?.desiredNumberScheduled, ds.status?.numberReady], [5, 5]);
  });

  it('Endpoints and EndpointSlices follow pod readiness; a selector that matches nothing leaves no subsets', () => {
    const h = new Harness();
    h.apply(deployment('web', 'nginx:1.27.2', 2));
    h.apply(
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: demo}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}]\n',
    );
    h.apply(
      'apiVersion: v1\nkind: Service\nmetadata: {name: typo, namespace: demo}\nspec:\n  selector: {app: check-out}\n  ports: [{port: 80}]\n',
    );
    h.advance(10);
    const ep = h.store.get('Endpoints', 'demo', 'web') as KubeObject & {
      subsets?: { addresses?: { ip: string; targetRef: { kind: string } }[]; ports: unknown[] }[];
    };
    assert.equal(ep.subsets?.[0]?.addresses?.length, 2);
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 80, protocol: 'TCP' }]);
    const slice = (h.store.list('EndpointSlice', 'demo') as EndpointSlice[]).find(
      (s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'web',
    );
    assert.equal(slice?.endpoints?.length, 2);
    assert.ok(slice?.endpoints?.every((e) => e.conditions?.ready === true));
    const empty = h.store.get('Endpoints', 'demo', 'typo')!;
    assert.equal('subsets' in empty, false);
    const emptySlice = (h.store.list('EndpointSlice', 'demo') as EndpointSlice[]).find(
      (s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'typo',
    );
    assert.equal(emptySlice?.endpoints, null);
  });

  it('cron schedules', () => {
    const at = (spec: string, from: string): string =>
      new Date(nextRun(parseCron(spec), Date.parse(from))!).toISOString();
    assert.equal(at('*/5 * * * *', '2025-06-10T09:00:00Z'), '2025-06-10T09:05:00.000Z');
    assert.equal(at('0 2 * * *', '2025-06-10T09:00:00Z'), '2025-06-11T02:00:00.000Z');
    assert.equal(at('@hourly', '2025-06-10T09:30:00Z'), '2025-06-10T10:00:00.000Z');
    assert.equal(at('30 8 * * 1-5', '2025-06-13T09:00:00Z'), '2025-06-16T08:30:00.000Z');
    assert.throws(() => parseCron('61 * * * *'));
  });
});
