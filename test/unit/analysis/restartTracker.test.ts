import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerStateTerminated, ContainerStatus, Pod } from '../../../src/kube/types';
import { RestartTracker, type RestartEvent } from '../../../src/analysis/restartTracker';

const CATALOG = join(__dirname, '../../fixtures/catalog');
const NOW = Date.parse('2025-06-10T09:12:00Z');

interface Snap {
  restartPolicy?: string;
  phase?: string;
  deleting?: boolean;
  uid?: string;
  image?: string;
  app?: { restarts: number; last?: ContainerStateTerminated; image?: string };
  init?: { restarts: number; last?: ContainerStateTerminated; sidecar?: boolean };
}

function snap(s: Snap): Pod {
  const status = (
    name: string,
    restarts: number,
    last?: ContainerStateTerminated,
    image = 'app:1',
  ): ContainerStatus => ({
    name,
    state: { running: { startedAt: '2025-06-10T09:00:00Z' } },
    ...(last ? { lastState: { terminated: last } } : {}),
    ready: true,
    restartCount: restarts,
    image,
    imageID: '',
  });
  return {
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: s.uid ?? 'uid-1',
      ...(s.deleting ? { deletionTimestamp: '2025-06-10T09:11:00Z' } : {}),
    },
    spec: {
      ...(s.restartPolicy ? { restartPolicy: s.restartPolicy } : {}),
      containers: [{ name: 'app', image: s.image ?? 'app:1' }],
      ...(s.init
        ? { initContainers: [{ name: 'setup', ...(s.init.sidecar ? { restartPolicy: 'Always' } : {}) }] }
        : {}),
    },
    status: {
      phase: s.phase ?? 'Running',
      ...(s.app ? { containerStatuses: [status('app', s.app.restarts, s.app.last, s.app.image)] } : {}),
      ...(s.init ? { initContainerStatuses: [status('setup', s.init.restarts, s.init.last)] } : {}),
    },
  };
}

const exit = (
  exitCode: number,
  reason: string,
  finishedAt = '2025-06-10T09:10:00Z',
): ContainerStateTerminated => ({
  exitCode,
  reason,
  finishedAt,
});

/** Feeds the snapshots in order and returns what each observation emitted. */
function run(snaps: (Snap | 'forget')[]): RestartEvent[][] {
  const tracker = new RestartTracker();
  return snaps.map((s, i) => {
    if (s === 'forget') {
      tracker.forget(snap({}));
      return [];
    }
    return tracker.observe(snap(s), NOW + i * 1000);
  });
}

const summary = (events: RestartEvent[][]): string[][] =>
  events.map((batch) =>
    batch.map(
      (e) =>
        `${e.initContainer ? 'init:' : ''}${e.container}#${e.restartCount}:${e.reason}:${e.exitCode ?? '-'}`,
    ),
  );

describe('RestartTracker', () => {
  const cases: { name: string; snaps: (Snap | 'forget')[]; expected: string[][] }[] = [
    {
      name: 'the first snapshot is a baseline, even with past restarts',
      snaps: [{ app: { restarts: 4, last: exit(137, 'OOMKilled') } }],
      expected: [[]],
    },
    {
      name: 'a rising restartCount is one event with the last exit',
      snaps: [
        { app: { restarts: 0 } },
        { app: { restarts: 1, last: exit(1, 'Error') } },
        { app: { restarts: 1, last: exit(1, 'Error') } },
        { app: { restarts: 2, last: exit(137, 'OOMKilled') } },
      ],
      expected: [[], ['app#1:Error:1'], [], ['app#2:OOMKilled:137']],
    },
    {
      name: 'a restart with exit 0 under restartPolicy Always is reported (one-shot process in a Deployment)',
      snaps: [{ app: { restarts: 0 } }, { app: { restarts: 1, last: exit(0, 'Completed') } }],
      expected: [[], ['app#1:Completed:0']],
    },
    {
      name: 'exit 0 under OnFailure is a completion, not trouble',
      snaps: [
        { restartPolicy: 'OnFailure', app: { restarts: 0 } },
        { restartPolicy: 'OnFailure', app: { restarts: 1, last: exit(0, 'Completed') } },
      ],
      expected: [[], []],
    },
    {
      name: 'a failure under OnFailure is reported',
      snaps: [
        { restartPolicy: 'OnFailure', app: { restarts: 0 } },
        { restartPolicy: 'OnFailure', app: { restarts: 1, last: exit(2, 'Error') } },
      ],
      expected: [[], ['app#1:Error:2']],
    },
    {
      name: 'a pod being deleted (scale-down, rollout) reports nothing',
      snaps: [{ app: { restarts: 0 } }, { deleting: true, app: { restarts: 1, last: exit(143, 'Error') } }],
      expected: [[], []],
    },
    {
      name: 'a finished Job pod reports nothing',
      snaps: [
        { restartPolicy: 'OnFailure', app: { restarts: 0 } },
        { restartPolicy: 'OnFailure', phase: 'Succeeded', app: { restarts: 1, last: exit(1, 'Error') } },
      ],
      expected: [[], []],
    },
    {
      name: 'an init container that completed and was run again is noise',
      snaps: [
        { init: { restarts: 0 }, app: { restarts: 0 } },
        { init: { restarts: 1, last: exit(0, 'Completed') }, app: { restarts: 0 } },
      ],
      expected: [[], []],
    },
    {
      name: 'a failing init container is reported as such',
      snaps: [
        { phase: 'Pending', init: { restarts: 2, last: exit(1, 'Error') } },
        { phase: 'Pending', init: { restarts: 3, last: exit(1, 'Error') } },
      ],
      expected: [[], ['init:setup#3:Error:1']],
    },
    {
      name: 'a sidecar that exits 0 is restarted on purpose, and that is reported',
      snaps: [
        { init: { restarts: 0, sidecar: true }, app: { restarts: 0 } },
        { init: { restarts: 1, sidecar: true, last: exit(0, 'Completed') }, app: { restarts: 0 } },
      ],
      expected: [[], ['init:setup#1:Completed:0']],
    },
    {
      name: 'an in-place image update restarts once without an event; later restarts count again',
      snaps: [
        { app: { restarts: 0 } },
        { image: 'app:2', app: { restarts: 0 } },
        { image: 'app:2', app: { restarts: 1, last: exit(143, 'Error'), image: 'app:2' } },
        { image: 'app:2', app: { restarts: 2, last: exit(1, 'Error'), image: 'app:2' } },
      ],
      expected: [[], [], [], ['app#2:Error:1']],
    },
    {
      name: 'an image update seen in the same snapshot as the restart is noise too',
      snaps: [
        { app: { restarts: 0 } },
        { image: 'app:2', app: { restarts: 1, last: exit(143, 'Error'), image: 'app:2' } },
      ],
      expected: [[], []],
    },
    {
      name: 'a pod recreated under the same name (new uid) starts a new baseline',
      snaps: [{ app: { restarts: 5 } }, { uid: 'uid-2', app: { restarts: 1, last: exit(1, 'Error') } }],
      expected: [[], []],
    },
    {
      name: 'after forget, the pod is a new baseline',
      snaps: [{ app: { restarts: 0 } }, 'forget', { app: { restarts: 3, last: exit(1, 'Error') } }],
      expected: [[], [], []],
    },
    {
      name: 'a falling restartCount only resets the baseline',
      snaps: [
        { app: { restarts: 5 } },
        { app: { restarts: 0 } },
        { app: { restarts: 1, last: exit(1, 'Error') } },
      ],
      expected: [[], [], ['app#1:Error:1']],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(summary(run(c.snaps)), c.expected));
  }

  it('fills the event from lastState.terminated: signal, message, time, missed restarts', () => {
    const events = run([
      { app: { restarts: 1 } },
      {
        app: {
          restarts: 4,
          last: { exitCode: 137, reason: 'Error', message: 'killed', finishedAt: '2025-06-10T09:11:30Z' },
        },
      },
    ]);
    assert.deepEqual(events[1], [
      {
        pod: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'uid-1' },
        container: 'app',
        initContainer: false,
        restartCount: 4,
        restarts: 3,
        reason: 'Error',
        exitCode: 137,
        signal: 'SIGKILL',
        message: 'killed',
        time: '2025-06-10T09:11:30Z',
      },
    ]);
  });

  it('reports an exit when it shows in lastState during the back-off, once, with the restart it causes', () => {
    // The kubelet's order: the container exits (lastState overwritten, restartCount still 8, as
    // `kubectl get pods` prints `8 (24s ago)`), then after the back-off it starts the next one (9).
    const first = exit(1, 'Error', '2025-06-10T09:05:00Z');
    const second = exit(1, 'Error', '2025-06-10T09:10:00Z');
    const events = run([
      { app: { restarts: 8, last: first } },
      { app: { restarts: 8, last: second } },
      { app: { restarts: 9, last: second } },
      { app: { restarts: 9, last: exit(137, 'OOMKilled', '2025-06-10T09:11:00Z') } },
    ]);
    assert.deepEqual(summary(events), [[], ['app#9:Error:1'], [], ['app#10:OOMKilled:137']]);
    assert.equal(events[1]![0]!.time, '2025-06-10T09:10:00Z');
    assert.equal(events[1]![0]!.restarts, 1);
  });

  it('still reports the rise whose exit was already in lastState when Podscope first looked', () => {
    const last = exit(1, 'Error', '2025-06-10T09:05:00Z');
    const events = run([{ app: { restarts: 8, last } }, { app: { restarts: 9, last } }]);
    assert.deepEqual(summary(events), [[], ['app#9:Error:1']]);
  });

  it('uses the observation time and an empty reason when lastState is missing', () => {
    const events = run([{ app: { restarts: 0 } }, { app: { restarts: 1 } }]);
    assert.deepEqual(
      events[1]!.map((e) => [e.reason, e.exitCode, e.time]),
      [['', undefined, new Date(NOW + 1000).toISOString()]],
    );
  });

  it('replays catalog 11 (OOMKilled crash loop) from restartCount 3 to 4', () => {
    const pod = (
      JSON.parse(readFileSync(join(CATALOG, '11-oomkilled-crashloop.json'), 'utf8')) as { pod: Pod }
    ).pod;
    const before = structuredClone(pod);
    before.status!.containerStatuses![0]!.restartCount = 3;
    const tracker = new RestartTracker();
    assert.deepEqual(tracker.observe(before, NOW), []);
    const [event] = tracker.observe(pod, NOW);
    assert.equal(event?.reason, 'OOMKilled');
    assert.equal(event?.exitCode, 137);
    assert.equal(event?.signal, 'SIGKILL');
    assert.equal(event?.time, '2025-06-10T09:09:58Z');
    assert.equal(tracker.size, 1);
    tracker.forget(pod);
    assert.equal(tracker.size, 0);
  });
});
