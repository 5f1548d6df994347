import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { KubeEvent, Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding } from './expectFinding';

const app = 'containers[name=app]';

/** Example 15 with the readiness probe on a port the container does not declare. */
function readinessOnWrongPort(): MemoryClusterView {
  const example = loadExample('15');
  const probe = (example.pod as Pod).spec?.containers[0]?.readinessProbe;
  if (probe?.httpGet) probe.httpGet.port = 8081;
  return viewOf(objectsOf(example));
}

/** Example 14 with aggregated probe events whose output varies (catalog §1.2, §9.2). */
function livenessAggregatedTimeouts(): MemoryClusterView {
  const example = loadExample('14');
  const unhealthy = (example.events as KubeEvent[]).find((e) => e.reason === 'Unhealthy') as KubeEvent;
  unhealthy.message =
    '(combined from similar events): Liveness probe failed: Get "http://10.244.2.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  return viewOf(objectsOf(example));
}

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '14 liveness probe fails and the kubelet restarts the container',
    view: () => catalogView('14'),
    expected: {
      code: 'liveness-probe-failed',
      severity: 'error',
      container: 'app',
      paths: [`${app}.livenessProbe`, `${app}.name`],
      message: ['HTTP probe failed with statuscode: 500', 'restarted the container 5 times'],
      evidence: [
        'Liveness probe failed: HTTP probe failed with statuscode: 500 (×15)',
        'Container app failed liveness probe, will be restarted',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.livenessProbe.failureThreshold`, value: 6 }],
    },
  },
  {
    name: '14 liveness timeouts behind the aggregation prefix: longer timeoutSeconds',
    view: livenessAggregatedTimeouts,
    expected: {
      code: 'liveness-probe-failed',
      paths: [`${app}.livenessProbe`],
      evidence: ['context deadline exceeded'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.livenessProbe.timeoutSeconds`, value: 5 }],
    },
  },
  {
    name: '15 readiness probe fails while running: a warning; wait longer before the first check',
    view: () => catalogView('15'),
    expected: {
      code: 'readiness-probe-failed',
      severity: 'warning',
      container: 'app',
      paths: [`${app}.readinessProbe`],
      evidence: [
        'Readiness probe failed: Get "http://10.244.2.17:8080/ready": dial tcp 10.244.2.17:8080: connect: connection refused',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.readinessProbe.initialDelaySeconds`, value: 30 }],
    },
  },
  {
    name: '15 readiness probe on an undeclared port: probe the declared one',
    view: readinessOnWrongPort,
    expected: {
      code: 'readiness-probe-failed',
      paths: [`${app}.readinessProbe`],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.readinessProbe.httpGet.port`, value: 8080 }],
    },
  },
  {
    name: '16 startup probe budget too small: double failureThreshold',
    view: () => catalogView('16'),
    expected: {
      code: 'startup-probe-failed',
      severity: 'error',
      container: 'app',
      paths: [`${app}.startupProbe`],
      message: ['within 60s'],
      evidence: [
        'Startup probe failed: HTTP probe failed with statuscode: 503',
        'Container app failed startup probe, will be restarted',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.startupProbe.failureThreshold`, value: 12 }],
    },
  },
];

describe('probe findings (catalog §9)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('16: the startup probe explains the CrashLoopBackOff (no separate crash-loop)', () => {
    assert.deepEqual(
      analyzeCluster(catalogView('16')).map((f) => f.code),
      ['startup-probe-failed'],
    );
  });

  it('14: a container ready again for ten minutes since its last liveness failure has recovered', () => {
    const example = loadExample('14');
    const status = (example.pod as Pod).status?.containerStatuses?.[0];
    if (status) status.ready = true;
    // The last Unhealthy event is at 09:09:40; CATALOG_NOW is 09:20:00. The kill ended the
    // container right after, so that restart is not a recent crash either.
    if (status?.lastState?.terminated) status.lastState.terminated.finishedAt = '2025-06-10T09:09:55Z';
    assert.deepEqual(analyzeCluster(viewOf(objectsOf(example))), []);
  });

  it('15: old readiness failures do not count once the container is ready', () => {
    const example = loadExample('15');
    const status = (example.pod as Pod).status?.containerStatuses?.[0];
    if (status) status.ready = true;
    assert.deepEqual(
      analyzeCluster(viewOf([example.pod as Pod, ...(example.events ?? [])])).filter(
        (f) => f.code === 'readiness-probe-failed',
      ),
      [],
    );
  });
});
