import { strict as assert } from 'node:assert';
import type { KubeObject, OwnerReference } from '../../../src/kube/types';
import { MemoryClusterView } from '../../../src/kube/memoryClusterView';
import { controlledPods, controllerOf, ownerChain, topController } from '../../../src/kube/ownership';

const NS = 'shop';

function owner(kind: string, name: string, uid = `${name}-uid`, controller = true): OwnerReference {
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind, name, uid, ...(controller ? { controller: true } : {}) };
}

function object(kind: string, name: string, owners: OwnerReference[] = [], uid = `${name}-uid`): KubeObject {
  return { kind, metadata: { name, namespace: NS, uid, ownerReferences: owners } };
}

const deployment = object('Deployment', 'checkout');
const replicaSet = object('ReplicaSet', 'checkout-6d8f7b9c5', [owner('Deployment', 'checkout')]);
const rsPod = object('Pod', 'checkout-6d8f7b9c5-abcde', [owner('ReplicaSet', 'checkout-6d8f7b9c5')]);
const cronJob = object('CronJob', 'nightly-report');
const job = object('Job', 'nightly-report-29150400', [owner('CronJob', 'nightly-report')]);
const jobPod = object('Pod', 'nightly-report-29150400-q7x2k', [owner('Job', 'nightly-report-29150400')]);
const statefulSet = object('StatefulSet', 'postgres');
const stsPod = object('Pod', 'postgres-0', [owner('StatefulSet', 'postgres')]);
const daemonPod = object('Pod', 'node-exporter-x1', [owner('DaemonSet', 'node-exporter')]);
const barePod = object('Pod', 'debug');
const orphanedRsPod = object('Pod', 'old-7f-zzz', [owner('ReplicaSet', 'old-7f')]);
const staleRsPod = object('Pod', 'checkout-6d8f7b9c5-stale', [
  owner('ReplicaSet', 'checkout-6d8f7b9c5', 'previous-uid'),
]);
const nonControllerPod = object('Pod', 'gc-only', [
  owner('ReplicaSet', 'checkout-6d8f7b9c5', undefined, false),
]);
const customPod = object('Pod', 'argo-wf-1', [
  { ...owner('Workflow', 'wf'), apiVersion: 'argoproj.io/v1alpha1' },
]);

const view = new MemoryClusterView({
  Deployment: [deployment],
  ReplicaSet: [replicaSet],
  CronJob: [cronJob],
  Job: [job],
  StatefulSet: [statefulSet],
  Pod: [rsPod, jobPod, stsPod, daemonPod, barePod, orphanedRsPod, staleRsPod, nonControllerPod, customPod],
});

describe('ownerChain', () => {
  const cases: [string, KubeObject, string[]][] = [
    ['Pod → ReplicaSet → Deployment', rsPod, ['ReplicaSet/checkout-6d8f7b9c5', 'Deployment/checkout']],
    ['Pod → Job → CronJob', jobPod, ['Job/nightly-report-29150400', 'CronJob/nightly-report']],
    ['Pod → StatefulSet', stsPod, ['StatefulSet/postgres']],
    ['Pod → DaemonSet not in the view still names it', daemonPod, ['DaemonSet/node-exporter']],
    ['bare pod', barePod, []],
    ['ReplicaSet missing from the view ends the chain there', orphanedRsPod, ['ReplicaSet/old-7f']],
    ['owner recreated under another uid is not climbed', staleRsPod, ['ReplicaSet/checkout-6d8f7b9c5']],
    ['a non-controller owner is no controller', nonControllerPod, []],
    ['custom controller kinds are named, not climbed', customPod, ['Workflow/wf']],
    ['from a ReplicaSet', replicaSet, ['Deployment/checkout']],
    ['a Deployment has no controller', deployment, []],
  ];
  for (const [name, start, expected] of cases) {
    it(name, () => {
      const chain = ownerChain(view, start);
      assert.deepEqual(
        chain.map((r) => `${r.kind}/${r.name}`),
        expected,
      );
      for (const ref of chain) assert.equal(ref.namespace, NS);
    });
  }

  it('carries apiVersion and uid from the ownerReference', () => {
    assert.deepEqual(ownerChain(view, jobPod)[1], {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'nightly-report',
      uid: 'nightly-report-uid',
      namespace: NS,
    });
  });

  it('stops on an ownership cycle', () => {
    const a = object('ReplicaSet', 'a', [owner('Deployment', 'b')]);
    const b = object('Deployment', 'b', [owner('ReplicaSet', 'a')]);
    const pod = object('Pod', 'p', [owner('ReplicaSet', 'a')]);
    const cyclic = new MemoryClusterView({ ReplicaSet: [a], Deployment: [b], Pod: [pod] });
    assert.deepEqual(
      ownerChain(cyclic, pod).map((r) => r.name),
      ['a', 'b'],
    );
  });
});

describe('topController', () => {
  it('is the last link, or undefined for a bare pod', () => {
    assert.equal(topController(view, rsPod)?.kind, 'Deployment');
    assert.equal(topController(view, jobPod)?.kind, 'CronJob');
    assert.equal(topController(view, stsPod)?.kind, 'StatefulSet');
    assert.equal(topController(view, barePod), undefined);
  });
});

describe('controllerOf', () => {
  it('picks the ownerReference flagged controller', () => {
    const pod = object('Pod', 'p', [owner('ConfigMap', 'cm', 'cm-uid', false), owner('ReplicaSet', 'rs')]);
    assert.equal(controllerOf(pod)?.name, 'rs');
    assert.equal(controllerOf(nonControllerPod), undefined);
    assert.equal(controllerOf({}), undefined);
  });
});

describe('controlledPods', () => {
  const names = (pods: readonly KubeObject[]): string[] => pods.map((p) => p.metadata?.name ?? '').sort();

  it("reaches a Deployment's pods through its ReplicaSets, by uid", () => {
    // staleRsPod points at an older ReplicaSet uid; nonControllerPod has no controller.
    assert.deepEqual(names(controlledPods(view, deployment)), ['checkout-6d8f7b9c5-abcde']);
  });
  it("reaches a CronJob's pods through its Jobs", () => {
    assert.deepEqual(names(controlledPods(view, cronJob)), ['nightly-report-29150400-q7x2k']);
  });
  it('finds direct pods of a StatefulSet and a Job', () => {
    assert.deepEqual(names(controlledPods(view, statefulSet)), ['postgres-0']);
    assert.deepEqual(names(controlledPods(view, job)), ['nightly-report-29150400-q7x2k']);
  });
  it('falls back to the selector for objects without a uid', () => {
    const labelled = (name: string, labels: Record<string, string>): KubeObject => ({
      kind: 'Pod',
      metadata: { name, namespace: NS, labels },
    });
    const local = new MemoryClusterView({
      Pod: [
        labelled('a', { app: 'web' }),
        labelled('b', { app: 'api' }),
        labelled('c', { app: 'web', tier: 'x' }),
      ],
    });
    const d: KubeObject = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NS },
      spec: { selector: { matchLabels: { app: 'web' } } },
    };
    assert.deepEqual(names(controlledPods(local, d)), ['a', 'c']);
    assert.deepEqual(controlledPods(local, { ...d, kind: 'CronJob' }), []);
  });
});
