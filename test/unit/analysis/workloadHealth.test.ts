import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KindMap, KindName } from '../../../src/kube/clusterView';
import type {
  ContainerStatus,
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Job,
  KubeObject,
  Pod,
  ReplicaSet,
  Service,
  StatefulSet,
} from '../../../src/kube/types';
import { MemoryClusterView } from '../../../src/kube/memoryClusterView';
import {
  podHealth,
  workloadHealth,
  worseOf,
  type Health,
  type HealthLevel,
} from '../../../src/analysis/workloadHealth';

const CATALOG = join(__dirname, '../../fixtures/catalog');
const NOW = Date.parse('2025-06-10T09:12:00Z');

interface CatalogDoc {
  pod?: Pod;
  related?: KubeObject[];
  items?: KubeObject[];
}
const load = (file: string): CatalogDoc =>
  JSON.parse(readFileSync(join(CATALOG, file), 'utf8')) as CatalogDoc;

function viewOf(objects: KubeObject[], now = NOW): MemoryClusterView {
  const byKind: Partial<{ [K in KindName]: KindMap[K][] }> = {};
  for (const o of objects) {
    const kind = o.kind as KindName;
    ((byKind[kind] ??= []) as KubeObject[]).push(o);
  }
  return new MemoryClusterView(byKind, () => now);
}

describe('podHealth: catalog pods', () => {
  const cases: [string, string | undefined, HealthLevel, RegExp?][] = [
    [
      '01-createcontainerconfigerror-configmap-missing.json',
      undefined,
      'failed',
      /CreateContainerConfigError/,
    ],
    ['06-failedmount-configmap-volume-missing.json', undefined, 'progressing'],
    ['08-imagepullbackoff-tag-not-found.json', undefined, 'failed', /ImagePullBackOff/],
    ['10-invalidimagename.json', undefined, 'failed', /InvalidImageName/],
    ['11-oomkilled-crashloop.json', undefined, 'failed', /CrashLoopBackOff, last exit 137 OOMKilled/],
    ['13-crashloopbackoff-exit1.json', undefined, 'failed', /last exit 1 Error/],
    // Running, unready, started 80s before NOW: past the readiness grace.
    ['14-liveness-probe-failure.json', undefined, 'degraded', /running, not ready, last exit/],
    ['15-readiness-probe-failure.json', undefined, 'degraded', /app: running, not ready$/],
    [
      '17-failedscheduling-insufficient-memory-and-taint.json',
      undefined,
      'failed',
      /0\/5 nodes are available/,
    ],
    ['19-failedscheduling-unbound-pvc.json', undefined, 'failed', /unbound/],
    [
      '20-runcontainererror-starterror-bad-command.json',
      undefined,
      'failed',
      /RunContainerError, last exit 128 StartError/,
    ],
    [
      '22-evicted-node-memory-pressure.json',
      undefined,
      'failed',
      /Evicted: The node was low on resource: memory/,
    ],
    // Deletion deadlines 09:07:10 and 09:06:15 are minutes behind NOW: stuck.
    ['23-preempted-by-higher-priority-pod.json', undefined, 'degraded', /past its deletion deadline/],
    [
      '23-preempted-by-higher-priority-pod.json',
      'payments-api-7d4b9c8f5-hi001',
      'failed',
      /Insufficient cpu/,
    ],
    ['24-node-notready-unreachable.json', undefined, 'degraded', /Terminating for 5m45s/],
    [
      '25-init-container-failures.json',
      'checkout-6d8f7b9c5-init1',
      'failed',
      /init container wait-for-db: CrashLoopBackOff/,
    ],
    ['25-init-container-failures.json', 'migrate-job-once-init2', 'failed', /wait-for-db: exited 1 Error/],
    ['27-service-no-endpoints.json', 'checkout-6d8f7b9c5-ok001', 'ok'],
    ['29-job-backofflimitexceeded.json', undefined, 'failed', /container report: exited 2 Error/],
    ['30-createcontainerconfigerror-runasnonroot.json', undefined, 'failed'],
  ];
  for (const [file, name, level, reason] of cases) {
    it(`${file}${name ? ` ${name}` : ''} → ${level}`, () => {
      const doc = load(file);
      const pods = [doc.pod, ...(doc.related ?? []), ...(doc.items ?? [])].filter(
        (o): o is Pod => o?.kind === 'Pod' && (name === undefined || o.metadata?.name === name),
      );
      const health = podHealth(pods[0]!, NOW);
      assert.equal(health.level, level, JSON.stringify(health));
      if (reason)
        assert.ok(
          health.reasons.some((r) => reason.test(r)),
          JSON.stringify(health.reasons),
        );
      if (level === 'ok') assert.deepEqual(health.reasons, []);
    });
  }

  it('exit-code gallery: exit 0 is ok (Completed, Succeeded), every other exit is failed', () => {
    const pods = (load('12-exit-code-gallery.json').items ?? []) as Pod[];
    assert.deepEqual(
      pods.map((p) => podHealth(p, NOW).level),
      ['ok', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed'],
    );
  });

  it('summarises READY, STATUS and restarts', () => {
    assert.equal(
      podHealth(load('11-oomkilled-crashloop.json').pod!, NOW).summary,
      '0/1 ready, CrashLoopBackOff, 4 restarts',
    );
    assert.equal(podHealth(load('15-readiness-probe-failure.json').pod!, NOW).summary, '0/1 ready, Running');
  });

  it('a ready pod between two OOM kills is degraded, with the last kill as the reason; an old crash is not', () => {
    const pod = structuredClone<Pod>(load('11-oomkilled-crashloop.json').pod!);
    const status = pod.status!.containerStatuses![0]!;
    status.state = { running: { startedAt: new Date(NOW - 20_000).toISOString() } };
    status.ready = true;
    status.lastState = {
      terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: new Date(NOW - 30_000).toISOString() },
    };
    pod.status!.conditions = [{ type: 'Ready', status: 'True' }];
    const health = podHealth(pod, NOW);
    assert.equal(health.level, 'degraded');
    assert.match(health.reasons[0] ?? '', /^container "\S+" failed 30s ago: OOMKilled \(exit code 137\)$/);
    // The kubelet forgives a crash after 10 minutes of running; so does the health.
    status.lastState.terminated!.finishedAt = new Date(NOW - 11 * 60_000).toISOString();
    assert.equal(podHealth(pod, NOW).level, 'ok');
  });
});

// ---- hand-made objects ----

const NS = 'shop';
const T = (secondsBeforeNow: number): string => new Date(NOW - secondsBeforeNow * 1000).toISOString();

function ref(kind: string, name: string) {
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return [{ apiVersion, kind, name, uid: `${name}-uid`, controller: true }];
}

function meta(name: string, owner?: [string, string], extra: Record<string, unknown> = {}) {
  return {
    name,
    namespace: NS,
    uid: `${name}-uid`,
    labels: { app: 'web' },
    ...(owner ? { ownerReferences: ref(owner[0], owner[1]) } : {}),
    ...extra,
  };
}

function cs(
  state: ContainerStatus['state'],
  ready: boolean,
  extra: Partial<ContainerStatus> = {},
): ContainerStatus {
  return { name: 'app', state, ready, restartCount: 0, image: 'web:1', imageID: '', ...extra };
}

function pod(
  name: string,
  owner: [string, string] | undefined,
  kind: 'ready' | 'crash' | 'creating' | 'unready' | 'done',
): Pod {
  const statuses: Record<typeof kind, { phase: string; cs: ContainerStatus; ready: boolean }> = {
    ready: { phase: 'Running', cs: cs({ running: { startedAt: T(600) } }, true), ready: true },
    unready: { phase: 'Running', cs: cs({ running: { startedAt: T(600) } }, false), ready: false },
    crash: {
      phase: 'Running',
      cs: cs({ waiting: { reason: 'CrashLoopBackOff' } }, false, {
        restartCount: 3,
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: T(30) } },
      }),
      ready: false,
    },
    creating: { phase: 'Pending', cs: cs({ waiting: { reason: 'ContainerCreating' } }, false), ready: false },
    done: {
      phase: 'Succeeded',
      cs: cs({ terminated: { exitCode: 0, reason: 'Completed' } }, false),
      ready: false,
    },
  };
  const s = statuses[kind];
  return {
    kind: 'Pod',
    metadata: meta(name, owner, { creationTimestamp: T(900) }),
    spec: { containers: [{ name: 'app' }] },
    status: {
      phase: s.phase,
      conditions: [{ type: 'Ready', status: s.ready ? 'True' : 'False' }],
      containerStatuses: [s.cs],
    },
  };
}

function deployment(desired: number, status: NonNullable<Deployment['status']>, generation = 1): Deployment {
  return {
    kind: 'Deployment',
    metadata: meta('web', undefined, { generation }),
    spec: { replicas: desired, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: 1, ...status },
  };
}
const rs = (name: string): ReplicaSet => ({
  kind: 'ReplicaSet',
  metadata: meta(name, ['Deployment', 'web']),
});

function check(health: Health, level: HealthLevel, summary: string, reason?: RegExp): void {
  assert.equal(health.level, level, JSON.stringify(health));
  assert.equal(health.summary, summary);
  if (reason)
    assert.ok(
      health.reasons.some((r) => reason.test(r)),
      JSON.stringify(health.reasons),
    );
  else if (level === 'ok') assert.deepEqual(health.reasons, []);
}

describe('Deployment health', () => {
  const full = { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
  const cases: {
    name: string;
    objects: KubeObject[];
    level: HealthLevel;
    summary: string;
    reason?: RegExp;
  }[] = [
    {
      name: 'all replicas updated and ready',
      objects: [deployment(3, full), rs('web-a'), pod('web-a-1', ['ReplicaSet', 'web-a'], 'ready')],
      level: 'ok',
      summary: '3/3 ready',
    },
    {
      name: 'scaled to zero',
      objects: [deployment(0, { replicas: 0, updatedReplicas: 0 })],
      level: 'ok',
      summary: '0/0 ready',
    },
    {
      name: 'new pods still creating',
      objects: [
        deployment(2, { replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0 }),
        rs('web-a'),
        pod('web-a-1', ['ReplicaSet', 'web-a'], 'creating'),
      ],
      level: 'progressing',
      summary: '0/2 ready',
      reason: /0 of 2 updated replicas available/,
    },
    {
      name: 'spec change not yet observed',
      objects: [deployment(3, full, 2)],
      level: 'progressing',
      summary: '3/3 ready',
      reason: /to be observed/,
    },
    {
      name: 'rollout with a crashing new pod while old pods serve',
      objects: [
        deployment(2, { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 }),
        rs('web-old'),
        rs('web-new'),
        pod('web-old-1', ['ReplicaSet', 'web-old'], 'ready'),
        pod('web-old-2', ['ReplicaSet', 'web-old'], 'ready'),
        pod('web-new-1', ['ReplicaSet', 'web-new'], 'crash'),
      ],
      level: 'degraded',
      summary: '2/2 ready',
      reason: /pod web-new-1: container app: CrashLoopBackOff, last exit 1 Error/,
    },
    {
      name: 'nothing available and the only pod crashes',
      objects: [
        deployment(1, { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 }),
        rs('web-a'),
        pod('web-a-1', ['ReplicaSet', 'web-a'], 'crash'),
      ],
      level: 'failed',
      summary: '0/1 ready',
      reason: /CrashLoopBackOff/,
    },
    {
      name: 'a pod running but never ready',
      objects: [
        deployment(1, { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 }),
        rs('web-a'),
        pod('web-a-1', ['ReplicaSet', 'web-a'], 'unready'),
      ],
      level: 'degraded',
      summary: '0/1 ready',
      reason: /running, not ready/,
    },
    {
      name: 'pods of another Deployment do not count',
      objects: [
        deployment(1, { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 }),
        rs('web-a'),
        pod('other-1', ['ReplicaSet', 'other'], 'crash'),
      ],
      level: 'progressing',
      summary: '0/1 ready',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const view = viewOf(c.objects);
      check(workloadHealth(view, c.objects[0]!), c.level, c.summary, c.reason);
    });
  }

  it('catalog 26: ProgressDeadlineExceeded with old pods serving is degraded', () => {
    const objects = load('26-deployment-progressdeadlineexceeded.json').related ?? [];
    const view = viewOf(objects);
    const d = objects.find((o) => o.kind === 'Deployment')!;
    check(
      workloadHealth(view, d),
      'degraded',
      '2/3 ready',
      /^ProgressDeadlineExceeded: ReplicaSet "checkout-5c7b8d9f4" has timed out progressing\.$/,
    );
  });

  it('catalog 28: ReplicaFailure with nothing available is failed', () => {
    const items = load('28-replicaset-failedcreate-admission.json').items ?? [];
    const d = items.find((o) => o.kind === 'Deployment')!;
    const firstRs = items.find((o) => o.kind === 'ReplicaSet')!;
    const view = viewOf([d, firstRs]);
    const health = workloadHealth(view, d);
    check(
      health,
      'failed',
      '0/3 ready',
      /FailedCreate: pods "checkout-6d8f7b9c5-" is forbidden: error looking up service account/,
    );
    // The ReplicaSet's own, different, condition is reported too.
    assert.ok(health.reasons.some((r) => r.includes('exceeded quota: compute-quota')));
  });
});

describe('StatefulSet and DaemonSet health', () => {
  const sts = (status: NonNullable<StatefulSet['status']>): StatefulSet => ({
    kind: 'StatefulSet',
    metadata: meta('db'),
    spec: { replicas: 2 },
    status,
  });
  const ds = (status: NonNullable<DaemonSet['status']>): DaemonSet => ({
    kind: 'DaemonSet',
    metadata: meta('agent'),
    status,
  });
  const cases: {
    name: string;
    objects: KubeObject[];
    level: HealthLevel;
    summary: string;
    reason?: RegExp;
  }[] = [
    {
      name: 'StatefulSet ready at one revision',
      objects: [sts({ readyReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' })],
      level: 'ok',
      summary: '2/2 ready',
    },
    {
      name: 'StatefulSet mid-update',
      objects: [sts({ readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' })],
      level: 'progressing',
      summary: '2/2 ready',
      reason: /1 of 2 pods at the update revision/,
    },
    {
      name: 'StatefulSet with a crashing pod and one ready',
      objects: [sts({ readyReplicas: 1, availableReplicas: 1 }), pod('db-1', ['StatefulSet', 'db'], 'crash')],
      level: 'degraded',
      summary: '1/2 ready',
      reason: /pod db-1/,
    },
    {
      name: 'DaemonSet on every node',
      objects: [
        ds({ desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
      ],
      level: 'ok',
      summary: '3/3 ready',
    },
    {
      name: 'DaemonSet rolling',
      objects: [
        ds({ desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 1, numberAvailable: 3 }),
      ],
      level: 'progressing',
      summary: '3/3 ready',
      reason: /1 of 3 pods updated/,
    },
    {
      name: 'DaemonSet with no pod ready and one failing',
      objects: [
        ds({ desiredNumberScheduled: 1, numberReady: 0, updatedNumberScheduled: 1, numberAvailable: 0 }),
        pod('agent-x', ['DaemonSet', 'agent'], 'crash'),
      ],
      level: 'failed',
      summary: '0/1 ready',
    },
  ];
  for (const c of cases) {
    it(c.name, () => check(workloadHealth(viewOf(c.objects), c.objects[0]!), c.level, c.summary, c.reason));
  }
});

describe('Job and CronJob health', () => {
  const job = (
    name: string,
    status: NonNullable<Job['status']>,
    owner?: [string, string],
    created = T(60),
  ): Job => ({
    kind: 'Job',
    metadata: meta(name, owner, { creationTimestamp: created }),
    spec: { completions: 1, backoffLimit: 3 },
    status,
  });
  const cond = (type: string, reason = '', message = '') => [{ type, status: 'True', reason, message }];
  const cron = (extra: Partial<NonNullable<CronJob['spec']>> = {}): CronJob => ({
    kind: 'CronJob',
    metadata: meta('nightly'),
    spec: { schedule: '0 2 * * *', ...extra },
    status: { lastScheduleTime: T(3 * 3600 + 5 * 60) },
  });
  const cases: {
    name: string;
    objects: KubeObject[];
    level: HealthLevel;
    summary: string;
    reason?: RegExp;
  }[] = [
    {
      name: 'complete',
      objects: [job('once', { succeeded: 1, conditions: cond('Complete') })],
      level: 'ok',
      summary: '1/1 succeeded, Complete',
    },
    {
      name: 'running',
      objects: [job('once', { active: 1 }), pod('once-a', ['Job', 'once'], 'ready')],
      level: 'progressing',
      summary: '0/1 succeeded, 1 active',
    },
    {
      name: 'running after failed attempts',
      objects: [job('once', { active: 1, failed: 2 })],
      level: 'degraded',
      summary: '0/1 succeeded, 1 active',
      reason: /2 failed pods \(backoffLimit 3\)/,
    },
    {
      name: 'suspended on purpose',
      objects: [job('once', { conditions: cond('Suspended') })],
      level: 'ok',
      summary: '0/1 succeeded, Suspended',
    },
    {
      name: 'FailureTarget before Failed is already failed',
      objects: [job('once', { conditions: cond('FailureTarget', 'BackoffLimitExceeded', 'x') })],
      level: 'failed',
      summary: '0/1 succeeded, FailureTarget',
    },
    {
      name: 'CronJob never run',
      objects: [{ ...cron(), status: {} }],
      level: 'ok',
      summary: '0 active, never scheduled',
    },
    {
      name: 'CronJob suspended',
      objects: [cron({ suspend: true })],
      level: 'ok',
      summary: '0 active, last schedule 3h5m ago, suspended',
    },
    {
      name: 'CronJob whose newest Job failed (an older one succeeded)',
      objects: [
        cron(),
        job('nightly-1', { succeeded: 1, conditions: cond('Complete') }, ['CronJob', 'nightly'], T(90000)),
        job(
          'nightly-2',
          {
            failed: 4,
            conditions: cond('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          },
          ['CronJob', 'nightly'],
          T(3600),
        ),
      ],
      level: 'failed',
      summary: '0 active, last schedule 3h5m ago',
      reason: /^job nightly-2: BackoffLimitExceeded: Job has reached the specified backoff limit$/,
    },
    {
      name: 'CronJob whose newest Job succeeded after an older failure',
      objects: [
        cron(),
        job('nightly-1', { failed: 4, conditions: cond('Failed') }, ['CronJob', 'nightly'], T(90000)),
        job('nightly-2', { succeeded: 1, conditions: cond('Complete') }, ['CronJob', 'nightly'], T(3600)),
      ],
      level: 'ok',
      summary: '0 active, last schedule 3h5m ago',
    },
  ];
  for (const c of cases) {
    it(c.name, () => check(workloadHealth(viewOf(c.objects), c.objects[0]!), c.level, c.summary, c.reason));
  }

  it('catalog 29: BackoffLimitExceeded', () => {
    const doc = load('29-job-backofflimitexceeded.json');
    const job29 = doc.related!.find((o) => o.kind === 'Job')!;
    check(
      workloadHealth(viewOf([job29, doc.pod!]), job29),
      'failed',
      '0/1 succeeded, Failed',
      /^BackoffLimitExceeded: Job has reached the specified backoff limit$/,
    );
  });
});

describe('Service health', () => {
  const svc = (spec: NonNullable<Service['spec']>): Service => ({
    kind: 'Service',
    metadata: meta('web'),
    spec,
  });
  const slice = (ready: (boolean | undefined)[]): EndpointSlice => ({
    kind: 'EndpointSlice',
    metadata: { name: 'web-abc', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
    endpoints: ready.map((r, i) => ({
      addresses: [`10.0.0.${i}`],
      ...(r === undefined ? {} : { conditions: { ready: r } }),
    })),
  });
  const cases: {
    name: string;
    objects: KubeObject[];
    level: HealthLevel;
    summary: string;
    reason?: RegExp;
  }[] = [
    {
      name: 'all endpoints ready (a missing ready condition counts as ready)',
      objects: [svc({ selector: { app: 'web' } }), slice([true, undefined])],
      level: 'ok',
      summary: '2/2 endpoints ready',
    },
    {
      name: 'some endpoints unready',
      objects: [svc({ selector: { app: 'web' } }), slice([true, false]), pod('web-2', undefined, 'unready')],
      level: 'degraded',
      summary: '1/2 endpoints ready',
      reason: /pod web-2 not ready/,
    },
    {
      name: 'no slices yet: judged from the matching pods',
      objects: [
        svc({ selector: { app: 'web' } }),
        pod('web-1', undefined, 'ready'),
        pod('web-2', undefined, 'ready'),
      ],
      level: 'ok',
      summary: '2/2 endpoints ready',
    },
    {
      name: 'finished pods are not endpoints',
      objects: [svc({ selector: { app: 'web' } }), pod('web-1', undefined, 'done')],
      level: 'failed',
      summary: '0 endpoints',
      reason: /app=web matches no running pod/,
    },
    {
      name: 'no selector and no slices: endpoints are managed by hand',
      objects: [svc({})],
      level: 'ok',
      summary: 'no selector',
    },
    {
      name: 'no selector, hand-made slice with an unready endpoint',
      objects: [svc({}), slice([false])],
      level: 'failed',
      summary: '0/1 endpoints ready',
    },
    {
      name: 'ExternalName',
      objects: [svc({ type: 'ExternalName' })],
      level: 'ok',
      summary: 'ExternalName',
    },
  ];
  for (const c of cases) {
    it(c.name, () => check(workloadHealth(viewOf(c.objects), c.objects[0]!), c.level, c.summary, c.reason));
  }

  it('catalog 27: selector app=check-out matches no pod', () => {
    const objects = (load('27-service-no-endpoints.json').related ?? []).filter(
      (o) => o.kind !== 'Endpoints',
    );
    const service = objects.find((o) => o.kind === 'Service')!;
    check(
      workloadHealth(viewOf(objects), service),
      'failed',
      '0 endpoints',
      /^selector app=check-out matches no running pod$/,
    );
  });

  it('catalog 15: the only endpoint is unready', () => {
    const doc = load('15-readiness-probe-failure.json');
    const objects = [...(doc.related ?? []).filter((o) => o.kind !== 'Endpoints'), doc.pod!];
    const service = objects.find((o) => o.kind === 'Service')!;
    check(
      workloadHealth(viewOf(objects), service),
      'failed',
      '0/1 endpoints ready',
      /^pod checkout-6d8f7b9c5-rdy01 not ready: containers with unready status: \[app\]$/,
    );
  });

  it('is unknown when pods cannot be read and there are no slices', () => {
    const service = svc({ selector: { app: 'web' } });
    const view = new MemoryClusterView(
      { Service: [service] },
      () => NOW,
      new Set<KindName>(['Pod', 'EndpointSlice']),
    );
    assert.equal(workloadHealth(view, service).level, 'unknown');
  });
});

describe('workloadHealth dispatch and worseOf', () => {
  it('uses the kind argument when list items lack kind, and is unknown for other kinds', () => {
    const bare = pod('p', undefined, 'ready');
    delete bare.kind;
    assert.equal(workloadHealth(viewOf([]), bare, 'Pod').level, 'ok');
    assert.equal(workloadHealth(viewOf([]), { kind: 'Ingress' }).level, 'unknown');
  });

  it('orders levels ok < progressing < unknown < degraded < failed', () => {
    assert.equal(worseOf('ok', 'progressing'), 'progressing');
    assert.equal(worseOf('failed', 'degraded'), 'failed');
    assert.equal(worseOf('unknown', 'degraded'), 'degraded');
    assert.equal(worseOf('progressing', 'unknown'), 'unknown');
  });
});

describe('podHealth: clock-dependent states', () => {
  it('a pod that just started and is not ready yet is progressing', () => {
    const p = pod('p', undefined, 'unready');
    p.status!.containerStatuses![0]!.state = { running: { startedAt: T(5) } };
    assert.equal(podHealth(p, NOW).level, 'progressing');
  });
  it('Terminating within its grace period is progressing', () => {
    const p = pod('p', undefined, 'ready');
    p.metadata!.deletionTimestamp = T(-20);
    const health = podHealth(p, NOW);
    assert.equal(health.level, 'progressing');
    assert.equal(health.summary, '1/1 ready, Terminating');
  });
  it('a Succeeded pod without container statuses is ok', () => {
    const health = podHealth(
      { kind: 'Pod', spec: { containers: [{ name: 'a' }] }, status: { phase: 'Succeeded' } },
      NOW,
    );
    assert.deepEqual(health, { level: 'ok', summary: '0/1 ready, Succeeded', reasons: [] });
  });
  it('Completed while the pod is still Running (restartPolicy Always) is degraded', () => {
    const p = pod('p', undefined, 'done');
    p.status!.phase = 'Running';
    assert.equal(podHealth(p, NOW).level, 'degraded');
  });
});
