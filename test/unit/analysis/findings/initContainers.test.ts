import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { Container, Pod } from '../../../../src/kube/types';
import { catalogView, loadExample, viewOf } from './catalogView';
import { expectFinding } from './expectFinding';
import { checkoutHistory } from './history';

const waitForDb = 'initContainers[name=wait-for-db]';

function initPods(): Pod[] {
  return (loadExample('25').items ?? []).filter((o) => o.kind === 'Pod');
}

describe('init container findings (catalog §16)', () => {
  it('25: Init:CrashLoopBackOff and Init:Error, blamed on the init container’s command', () => {
    const findings = analyzeCluster(catalogView('25'));
    assert.deepEqual(findings.map((f) => `${f.code} ${f.subject.name}`).sort(), [
      'init-container-failed checkout-6d8f7b9c5-init1',
      'init-container-failed migrate-job-once-init2',
    ]);
    const crashing = findings.find((f) => f.subject.name === 'checkout-6d8f7b9c5-init1');
    assert.ok(crashing);
    assert.deepEqual(crashing.container, { name: 'wait-for-db', kind: 'initContainers' });
    assert.deepEqual(crashing.blame.paths, [`${waitForDb}.command`, `${waitForDb}.name`]);
    assert.equal(crashing.phase, 'Initialization');
    assert.ok(crashing.message.includes('Init:CrashLoopBackOff'));
    assert.ok(
      crashing.evidence.some((e) =>
        e.includes('Back-off restarting failed container wait-for-db in pod checkout-6d8f7b9c5-init1_shop'),
      ),
    );
    assert.ok(crashing.evidence.some((e) => e.includes('until nc -z postgres 5432')));
    const failed = findings.find((f) => f.subject.name === 'migrate-job-once-init2');
    assert.ok(failed?.message.includes('Init:Error'));
  });

  it('25: the fix restores the init command the previous revision ran', () => {
    const pod = initPods()[0] as Pod;
    const current = pod.spec?.initContainers ?? [];
    const previous: Container[] = current.map((c) =>
      c.name === 'wait-for-db'
        ? { ...c, command: ['sh', '-c', 'until nc -z postgres 5432; do sleep 2; done'] }
        : c,
    );
    const view = viewOf([
      pod,
      ...checkoutHistory([...(pod.spec?.containers ?? [])], [...(pod.spec?.containers ?? [])]).map((o) => {
        // Both revisions carry the init containers; only wait-for-db's command differs.
        const spec = (o.spec as { template?: { spec?: { initContainers?: Container[] } } } | undefined)
          ?.template?.spec;
        if (spec) spec.initContainers = o.metadata?.name === 'checkout-5c7b8d9f4' ? previous : current;
        return o;
      }),
    ]);
    expectFinding(analyzeCluster(view), {
      code: 'init-container-failed',
      container: 'wait-for-db',
      paths: [`${waitForDb}.command`],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: `${waitForDb}.command`,
          value: ['sh', '-c', 'until nc -z postgres 5432; do sleep 2; done'],
        },
      ],
    });
  });

  it('a missing ConfigMap in an init container is configmap-missing on initContainers[name=…], not init-container-failed', () => {
    const pod = initPods()[0] as Pod;
    const init = pod.spec?.initContainers?.[1] as Container;
    init.env = [{ name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'migrate-config', key: 'url' } } }];
    const statuses = pod.status?.initContainerStatuses ?? [];
    pod.status = {
      ...pod.status,
      initContainerStatuses: statuses.map((s) =>
        s.name === 'migrate'
          ? {
              ...s,
              state: {
                waiting: {
                  reason: 'CreateContainerConfigError',
                  message: 'configmap "migrate-config" not found',
                },
              },
            }
          : { ...s, state: { terminated: { exitCode: 0, reason: 'Completed' } }, lastState: {} },
      ),
    };
    const findings = analyzeCluster(viewOf([pod]));
    assert.deepEqual(
      findings.map((f) => f.code),
      ['configmap-missing'],
    );
    expectFinding(findings, {
      code: 'configmap-missing',
      container: 'migrate',
      paths: ['initContainers[name=migrate].env[name=DB_URL].valueFrom.configMapKeyRef.name'],
      create: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'migrate-config', namespace: 'shop' },
          data: { url: '' },
        },
      ],
    });
  });
});
