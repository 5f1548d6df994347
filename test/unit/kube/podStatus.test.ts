import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStatus, Pod } from '../../../src/kube/types';
import { podAge, podRow, podWideColumns } from '../../../src/kube/podStatus';

// Copies of shared/reference/examples: CI clones this repository alone.
const CATALOG = join(__dirname, '../../fixtures/catalog');

/** The fixed clock for the catalog pods (all created at 2025-06-10T09:00:00Z). */
const NOW = Date.parse('2025-06-10T09:12:00Z');

/** `(<age> ago)` at NOW, computed by hand from each pod's newest lastState.terminated.finishedAt. */
const AGE_AT_NOW: Record<string, string> = {
  'checkout-6d8f7b9c5-24f07': '2m2s', // 09:09:58
  'checkout-6d8f7b9c5-4f743': '119s', // 09:10:01, under 2m prints seconds
  'checkout-6d8f7b9c5-de31d': '100s', // 09:10:20
  'checkout-6d8f7b9c5-d3542': '2m59s', // 09:09:01
  'checkout-6d8f7b9c5-cmd01': '10m', // 09:01:02 → 10m58s, seconds dropped from 10m on
  'checkout-6d8f7b9c5-dkr01': '11m', // 09:00:30
  'checkout-6d8f7b9c5-init1': '6m40s', // 09:05:20
};

interface Expected {
  READY?: string;
  STATUS: string;
  RESTARTS?: string;
}

interface Case {
  file: string;
  pod: Pod;
  expected: Expected;
}

function catalogCases(): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(CATALOG)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(join(CATALOG, file), 'utf8')) as {
      _meta?: { expectedKubectlGetPods?: Expected };
      pod?: Pod;
      items?: Pod[];
      metadata?: { annotations?: Record<string, string> };
    };
    if (doc.pod && doc._meta?.expectedKubectlGetPods) {
      cases.push({ file, pod: doc.pod, expected: doc._meta.expectedKubectlGetPods });
    }
    // List-shaped examples keep their expectations in an annotation, keyed by pod name: either a
    // full row or, for the exit-code gallery, the STATUS alone.
    const annotation = doc.metadata?.annotations?.['catalog/expectedKubectlStatus'];
    if (annotation && doc.items) {
      const byName = JSON.parse(annotation) as Record<string, Expected | string>;
      for (const pod of doc.items.filter((i) => i.kind === 'Pod')) {
        const expected = byName[pod.metadata?.name ?? ''];
        if (expected === undefined) continue;
        cases.push({ file, pod, expected: typeof expected === 'string' ? { STATUS: expected } : expected });
      }
    }
  }
  return cases;
}

function withAge(restarts: string, podName: string): string {
  if (!restarts.includes('<age>')) return restarts;
  const age = AGE_AT_NOW[podName];
  assert.ok(age, `no hand-computed age for ${podName}`);
  return restarts.replace('<age>', age);
}

describe('podRow: catalog examples', () => {
  const cases = catalogCases();

  it('finds every example that states an expected row', () => {
    // 25 single-pod files (01–11, 13–24, 29, 30), 8 exit-code gallery pods (12), 2 init pods (25).
    assert.equal(cases.length, 35);
  });

  for (const { file, pod, expected } of cases) {
    it(`${file} ${pod.metadata?.name ?? ''} → ${expected.STATUS}`, () => {
      const row = podRow(pod, NOW);
      assert.equal(row.status, expected.STATUS);
      if (expected.READY !== undefined) assert.equal(row.ready, expected.READY);
      if (expected.RESTARTS !== undefined) {
        assert.equal(row.restarts, withAge(expected.RESTARTS, pod.metadata?.name ?? ''));
      }
    });
  }

  it('renders the related pods of 23 and 27 (no expectation in the catalog, computed by hand)', () => {
    const related = (file: string, name: string): Pod => {
      const doc = JSON.parse(readFileSync(join(CATALOG, file), 'utf8')) as { related: Pod[] };
      return doc.related.find((o) => o.kind === 'Pod' && o.metadata?.name === name)!;
    };
    const preemptor = related('23-preempted-by-higher-priority-pod.json', 'payments-api-7d4b9c8f5-hi001');
    assert.deepEqual(podRow(preemptor, NOW), {
      ready: '0/1',
      status: 'Pending',
      restarts: '0',
      restartCount: 0,
    });
    assert.deepEqual(podWideColumns(preemptor), {
      ip: '<none>',
      node: '<none>',
      nominatedNode: 'worker-2',
      readinessGates: '<none>',
    });
    const healthy = related('27-service-no-endpoints.json', 'checkout-6d8f7b9c5-ok001');
    assert.deepEqual(podRow(healthy, NOW), {
      ready: '1/1',
      status: 'Running',
      restarts: '0',
      restartCount: 0,
    });
    assert.deepEqual(podWideColumns(healthy), {
      ip: '10.244.2.17',
      node: 'worker-2',
      nominatedNode: '<none>',
      readinessGates: '<none>',
    });
    assert.equal(podAge(healthy, NOW), '12m');
  });
});

// ---- hand-made pods, one per branch of printPod ----

const T0 = '2025-06-10T09:00:00Z';
const HAND_NOW = Date.parse('2025-06-10T10:00:00Z');

function cs(
  name: string,
  state: ContainerStatus['state'],
  extra: Partial<ContainerStatus> = {},
): ContainerStatus {
  return { name, state, ready: false, restartCount: 0, image: 'img', imageID: '', ...extra };
}
const running = { running: { startedAt: T0 } };
const waiting = (reason?: string) => ({ waiting: reason === undefined ? {} : { reason } });
const terminated = (exitCode: number, reason?: string, signal?: number) => ({
  terminated: {
    exitCode,
    ...(reason === undefined ? {} : { reason }),
    ...(signal === undefined ? {} : { signal }),
  },
});
const lastTerminated = (finishedAt: string) => ({ terminated: { exitCode: 1, reason: 'Error', finishedAt } });

interface PodInput {
  phase?: string;
  reason?: string;
  deleting?: boolean;
  conditions?: [string, string, string?][];
  containers?: string[];
  init?: { name: string; sidecar?: boolean }[];
  statuses?: ContainerStatus[];
  initStatuses?: ContainerStatus[];
}

function makePod(p: PodInput): Pod {
  const pod: Pod = {
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', creationTimestamp: T0 },
    spec: {
      containers: (p.containers ?? ['app']).map((name) => ({ name })),
      ...(p.init
        ? {
            initContainers: p.init.map((c) => ({
              name: c.name,
              ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
            })),
          }
        : {}),
    },
    status: {
      ...(p.phase === undefined ? {} : { phase: p.phase }),
      ...(p.reason === undefined ? {} : { reason: p.reason }),
      conditions: (p.conditions ?? []).map(([type, status, reason]) => ({
        type,
        status,
        ...(reason ? { reason } : {}),
      })),
      ...(p.statuses ? { containerStatuses: p.statuses } : {}),
      ...(p.initStatuses ? { initContainerStatuses: p.initStatuses } : {}),
    },
  };
  if (p.deleting) pod.metadata!.deletionTimestamp = '2025-06-10T09:30:00Z';
  return pod;
}

const HAND_CASES: { name: string; pod: PodInput; ready: string; status: string; restarts?: string }[] = [
  { name: 'phase only, no statuses', pod: { phase: 'Pending' }, ready: '0/1', status: 'Pending' },
  { name: 'no phase at all prints an empty STATUS', pod: {}, ready: '0/1', status: '' },
  {
    name: 'status.reason beats phase when no container speaks (admission-rejected Evicted)',
    pod: { phase: 'Failed', reason: 'Evicted' },
    ready: '0/1',
    status: 'Evicted',
  },
  {
    name: 'a container reason overwrites status.reason',
    pod: {
      phase: 'Failed',
      reason: 'Evicted',
      statuses: [cs('app', terminated(137, 'ContainerStatusUnknown'))],
    },
    ready: '0/1',
    status: 'ContainerStatusUnknown',
  },
  {
    name: 'SchedulingGated beats phase and status.reason',
    pod: { phase: 'Pending', reason: 'Whatever', conditions: [['PodScheduled', 'False', 'SchedulingGated']] },
    ready: '0/1',
    status: 'SchedulingGated',
  },
  {
    name: 'Unschedulable stays Pending',
    pod: { phase: 'Pending', conditions: [['PodScheduled', 'False', 'Unschedulable']] },
    ready: '0/1',
    status: 'Pending',
  },
  {
    name: 'running and ready',
    pod: { phase: 'Running', statuses: [cs('app', running, { ready: true })] },
    ready: '1/1',
    status: 'Running',
  },
  {
    name: 'running, not ready: phase shows, READY 0/1',
    pod: { phase: 'Running', statuses: [cs('app', running)] },
    ready: '0/1',
    status: 'Running',
  },
  {
    name: 'waiting with an empty reason says nothing',
    pod: { phase: 'Pending', statuses: [cs('app', waiting())] },
    ready: '0/1',
    status: 'Pending',
  },
  {
    name: 'the first container by status order wins (loop runs backwards)',
    pod: {
      phase: 'Running',
      containers: ['a', 'b'],
      statuses: [cs('a', waiting('ImagePullBackOff')), cs('b', waiting('CrashLoopBackOff'))],
    },
    ready: '0/2',
    status: 'ImagePullBackOff',
  },
  {
    name: 'terminated without reason, exit code',
    pod: { phase: 'Failed', statuses: [cs('app', terminated(3))] },
    ready: '0/1',
    status: 'ExitCode:3',
  },
  {
    name: 'terminated without reason, signal',
    pod: { phase: 'Failed', statuses: [cs('app', terminated(137, undefined, 9))] },
    ready: '0/1',
    status: 'Signal:9',
  },
  {
    name: 'terminated with reason beats Signal',
    pod: { phase: 'Failed', statuses: [cs('app', terminated(137, 'OOMKilled', 9))] },
    ready: '0/1',
    status: 'OOMKilled',
  },
  {
    name: 'Completed',
    pod: { phase: 'Succeeded', statuses: [cs('app', terminated(0, 'Completed'))] },
    ready: '0/1',
    status: 'Completed',
  },
  {
    name: 'Completed + a running ready container + Ready=True → Running',
    pod: {
      phase: 'Running',
      containers: ['a', 'b'],
      conditions: [['Ready', 'True']],
      statuses: [cs('a', terminated(0, 'Completed')), cs('b', running, { ready: true })],
    },
    ready: '1/2',
    status: 'Running',
  },
  {
    name: 'Completed + a running ready container without Ready=True → NotReady',
    pod: {
      phase: 'Running',
      containers: ['a', 'b'],
      conditions: [['Ready', 'False']],
      statuses: [cs('a', terminated(0, 'Completed')), cs('b', running, { ready: true })],
    },
    ready: '1/2',
    status: 'NotReady',
  },
  {
    name: 'Completed + a running container that is not ready stays Completed',
    pod: {
      phase: 'Running',
      containers: ['a', 'b'],
      statuses: [cs('a', terminated(0, 'Completed')), cs('b', running)],
    },
    ready: '0/2',
    status: 'Completed',
  },
  {
    name: 'Init:0/2 while the first init container runs',
    pod: {
      phase: 'Pending',
      init: [{ name: 'i1' }, { name: 'i2' }],
      initStatuses: [cs('i1', running), cs('i2', waiting('PodInitializing'))],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/1',
    status: 'Init:0/2',
  },
  {
    name: 'Init:1/2 counts the finished ones',
    pod: {
      phase: 'Pending',
      init: [{ name: 'i1' }, { name: 'i2' }],
      initStatuses: [cs('i1', terminated(0, 'Completed')), cs('i2', waiting('PodInitializing'))],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/1',
    status: 'Init:1/2',
  },
  {
    name: 'Init:ImagePullBackOff from a waiting reason',
    pod: {
      phase: 'Pending',
      init: [{ name: 'i1' }],
      initStatuses: [cs('i1', waiting('ImagePullBackOff'))],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/1',
    status: 'Init:ImagePullBackOff',
  },
  {
    name: 'Init:OOMKilled from a terminated reason',
    pod: {
      phase: 'Failed',
      init: [{ name: 'i1' }],
      initStatuses: [cs('i1', terminated(137, 'OOMKilled'))],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/1',
    status: 'Init:OOMKilled',
  },
  {
    name: 'Init:ExitCode:N without a reason',
    pod: {
      phase: 'Failed',
      init: [{ name: 'i1' }],
      initStatuses: [cs('i1', terminated(2))],
    },
    ready: '0/1',
    status: 'Init:ExitCode:2',
  },
  {
    name: 'Init:Signal:N without a reason',
    pod: {
      phase: 'Failed',
      init: [{ name: 'i1' }],
      initStatuses: [cs('i1', terminated(143, undefined, 15))],
    },
    ready: '0/1',
    status: 'Init:Signal:15',
  },
  {
    name: 'an init container terminated without exitCode counts as exit 0 (Go zero value)',
    pod: {
      phase: 'Running',
      init: [{ name: 'i1' }],
      initStatuses: [cs('i1', { terminated: {} as { exitCode: number } })],
      statuses: [cs('app', running, { ready: true })],
    },
    ready: '1/1',
    status: 'Running',
  },
  {
    name: 'a container terminated without exitCode or reason prints ExitCode:0',
    pod: { phase: 'Failed', statuses: [cs('app', { terminated: {} as { exitCode: number } })] },
    ready: '0/1',
    status: 'ExitCode:0',
  },
  {
    name: 'init done: the regular containers speak',
    pod: {
      phase: 'Running',
      init: [{ name: 'i1' }],
      conditions: [
        ['Initialized', 'True'],
        ['Ready', 'True'],
      ],
      initStatuses: [cs('i1', terminated(0, 'Completed'))],
      statuses: [cs('app', running, { ready: true })],
    },
    ready: '1/1',
    status: 'Running',
  },
  {
    name: 'a started sidecar is counted in READY and does not block init',
    pod: {
      phase: 'Running',
      init: [{ name: 'proxy', sidecar: true }, { name: 'i2' }],
      conditions: [
        ['Initialized', 'True'],
        ['Ready', 'True'],
      ],
      initStatuses: [
        cs('proxy', running, { started: true, ready: true }),
        cs('i2', terminated(0, 'Completed')),
      ],
      statuses: [cs('app', running, { ready: true })],
    },
    ready: '2/2',
    status: 'Running',
  },
  {
    name: 'a sidecar not yet started holds init at Init:0/2',
    pod: {
      phase: 'Pending',
      init: [{ name: 'proxy', sidecar: true }, { name: 'i2' }],
      initStatuses: [cs('proxy', running, { started: false }), cs('i2', waiting('PodInitializing'))],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/2',
    status: 'Init:0/2',
  },
  {
    name: 'a crashing sidecar that has not started shows Init:CrashLoopBackOff',
    pod: {
      phase: 'Pending',
      init: [{ name: 'proxy', sidecar: true }],
      initStatuses: [cs('proxy', waiting('CrashLoopBackOff'), { started: false })],
      statuses: [cs('app', waiting('PodInitializing'))],
    },
    ready: '0/2',
    status: 'Init:CrashLoopBackOff',
  },
  {
    name: 'Initialized=True lets the regular containers override a failed init reason',
    pod: {
      phase: 'Running',
      init: [{ name: 'i1' }],
      conditions: [['Initialized', 'True']],
      initStatuses: [cs('i1', terminated(1, 'Error'))],
      statuses: [cs('app', waiting('CrashLoopBackOff'))],
    },
    ready: '0/1',
    status: 'CrashLoopBackOff',
  },
  {
    name: 'deletionTimestamp on a running pod → Terminating',
    pod: { phase: 'Running', deleting: true, statuses: [cs('app', running, { ready: true })] },
    ready: '1/1',
    status: 'Terminating',
  },
  {
    name: 'deletionTimestamp on a terminal pod keeps its status',
    pod: { phase: 'Succeeded', deleting: true, statuses: [cs('app', terminated(0, 'Completed'))] },
    ready: '0/1',
    status: 'Completed',
  },
  {
    name: 'deletionTimestamp + NodeLost → Unknown, even for a terminal phase',
    pod: {
      phase: 'Failed',
      reason: 'NodeLost',
      deleting: true,
      statuses: [cs('app', running, { ready: true })],
    },
    ready: '1/1',
    status: 'Unknown',
  },
  {
    name: 'NodeLost without deletionTimestamp: the container still speaks',
    pod: { phase: 'Running', reason: 'NodeLost', statuses: [cs('app', running, { ready: true })] },
    ready: '1/1',
    status: 'NodeLost',
  },
];

describe('podRow: each branch of printPod', () => {
  for (const c of HAND_CASES) {
    it(c.name, () => {
      const row = podRow(makePod(c.pod), HAND_NOW);
      assert.equal(row.status, c.status);
      assert.equal(row.ready, c.ready);
    });
  }
});

describe('podRow: RESTARTS', () => {
  const cases: { name: string; pod: PodInput; restarts: string; count: number; last?: string }[] = [
    {
      name: 'restarts without a lastState time print the bare number',
      pod: { phase: 'Running', statuses: [cs('app', running, { restartCount: 3 })] },
      restarts: '3',
      count: 3,
    },
    {
      name: 'the newest finishedAt across containers gives the age',
      pod: {
        phase: 'Running',
        containers: ['a', 'b'],
        statuses: [
          cs('a', running, { restartCount: 2, lastState: lastTerminated('2025-06-10T09:00:00Z') }),
          cs('b', running, { restartCount: 3, lastState: lastTerminated('2025-06-10T09:57:57Z') }),
        ],
      },
      restarts: '5 (2m3s ago)',
      count: 5,
      last: '2025-06-10T09:57:57Z',
    },
    {
      name: 'while initializing, only init restarts count',
      pod: {
        phase: 'Pending',
        init: [{ name: 'i1' }],
        initStatuses: [
          cs('i1', waiting('CrashLoopBackOff'), {
            restartCount: 4,
            lastState: lastTerminated('2025-06-10T07:00:00Z'),
          }),
        ],
        statuses: [cs('app', waiting('PodInitializing'), { restartCount: 9 })],
      },
      restarts: '4 (3h ago)',
      count: 4,
      last: '2025-06-10T07:00:00Z',
    },
    {
      name: 'after init, completed init restarts drop out but sidecar restarts stay',
      pod: {
        phase: 'Running',
        init: [{ name: 'i1' }, { name: 'proxy', sidecar: true }],
        conditions: [['Initialized', 'True']],
        initStatuses: [
          cs('i1', terminated(0, 'Completed'), {
            restartCount: 7,
            lastState: lastTerminated('2025-06-10T09:59:00Z'),
          }),
          cs('proxy', running, {
            started: true,
            ready: true,
            restartCount: 1,
            lastState: lastTerminated('2025-06-10T06:55:00Z'),
          }),
        ],
        statuses: [cs('app', running, { ready: true, restartCount: 2 })],
      },
      restarts: '3 (3h5m ago)',
      count: 3,
      last: '2025-06-10T06:55:00Z',
    },
    {
      name: 'zero restarts never print an age',
      pod: {
        phase: 'Running',
        statuses: [
          cs('app', running, { restartCount: 0, lastState: lastTerminated('2025-06-10T09:00:00Z') }),
        ],
      },
      restarts: '0',
      count: 0,
      last: '2025-06-10T09:00:00Z',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const row = podRow(makePod(c.pod), HAND_NOW);
      assert.equal(row.restarts, c.restarts);
      assert.equal(row.restartCount, c.count);
      assert.equal(row.lastRestartTime, c.last);
    });
  }
});

describe('podWideColumns', () => {
  it('counts readiness gates whose condition is True', () => {
    const pod = makePod({
      phase: 'Running',
      conditions: [
        ['example.com/lb', 'True'],
        ['example.com/dns', 'False'],
      ],
    });
    pod.spec!['readinessGates'] = [
      { conditionType: 'example.com/lb' },
      { conditionType: 'example.com/dns' },
      { conditionType: 'example.com/missing' },
    ];
    pod.spec!.nodeName = 'worker-1';
    pod.status!['podIPs'] = [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }];
    assert.deepEqual(podWideColumns(pod), {
      ip: '10.0.0.5',
      node: 'worker-1',
      nominatedNode: '<none>',
      readinessGates: '1/3',
    });
  });

  it('prints <none> for everything on a bare pod', () => {
    assert.deepEqual(podWideColumns({ kind: 'Pod' }), {
      ip: '<none>',
      node: '<none>',
      nominatedNode: '<none>',
      readinessGates: '<none>',
    });
  });
});

describe('podAge', () => {
  it('measures from creationTimestamp and prints <unknown> without one', () => {
    assert.equal(podAge(makePod({}), HAND_NOW), '60m');
    assert.equal(podAge({ kind: 'Pod', metadata: {} }, HAND_NOW), '<unknown>');
  });
});
