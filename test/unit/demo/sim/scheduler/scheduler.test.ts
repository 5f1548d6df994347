// The scheduler: resource fit against allocatable minus bound pods, taints, nodeSelector and
// required node affinity, PVCs, preemption, and the exact FitError grammar of catalog §10.2.
import { strict as assert } from 'node:assert';
import type { KubeEvent, Pod } from '../../../../../src/kube/types';
import { fitErrorMessage } from '../../../../../src/demo/sim/scheduler/fitError';
import type { NodeShape } from '../../../../../src/demo/sim/nodeLifecycle/nodeFactory';
import { Harness } from '../harness';

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: demo}\nspec:\n${spec.replace(/^\n/, '').replace(/^/gm, '  ')}\n`;
}

function requesting(name: string, requests: string, extra = ''): string {
  return pod(
    name,
    `${extra}containers:\n  - name: app\n    image: nginx:1.27.2\n    resources: {requests: {${requests}}}`,
  );
}

function unschedulable(h: Harness, name: string): string | undefined {
  const condition = (h.store.get('Pod', 'demo', name) as Pod).status?.conditions?.find(
    (c) => c.type === 'PodScheduled',
  );
  assert.equal(condition?.status, 'False');
  assert.equal(condition?.reason, 'Unschedulable');
  return condition?.message;
}

const worker: NodeShape[] = [{ name: 'worker-1', cpu: '2', allocatableCpu: '1930m' }];

describe('scheduler', () => {
  it('fits by memory and cpu against allocatable', () => {
    const h = new Harness(worker);
    h.apply(requesting('small', 'cpu: 500m, memory: 1Gi'));
    h.apply(requesting('cpu', 'cpu: "2"'));
    h.apply(requesting('both', 'cpu: "3", memory: 9Gi'));
    assert.equal((h.store.get('Pod', 'demo', 'small') as Pod).spec?.nodeName, 'worker-1');
    assert.equal(
      unschedulable(h, 'cpu'),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    assert.equal(
      unschedulable(h, 'both'),
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('counts the requests of pods already bound', () => {
    const h = new Harness(worker);
    h.apply(requesting('first', 'memory: 5Gi'));
    h.apply(requesting('second', 'memory: 5Gi'));
    assert.equal((h.store.get('Pod', 'demo', 'first') as Pod).spec?.nodeName, 'worker-1');
    assert.match(unschedulable(h, 'second') ?? '', /^0\/1 nodes are available: 1 Insufficient memory\./);
    h.store.delete('Pod', 'demo', 'first');
    h.sim.flush();
    assert.equal(
      (h.store.get('Pod', 'demo', 'second') as Pod).spec?.nodeName,
      'worker-1',
      'retried when a pod went away',
    );
  });

  it('respects taints unless tolerated', () => {
    const h = new Harness([{ name: 'control-plane-1', controlPlane: true }]);
    h.apply(requesting('plain', 'memory: 1Gi'));
    assert.equal(
      unschedulable(h, 'plain'),
      '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    h.apply(
      requesting(
        'tolerant',
        'memory: 1Gi',
        'tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n',
      ),
    );
    assert.equal((h.store.get('Pod', 'demo', 'tolerant') as Pod).spec?.nodeName, 'control-plane-1');
  });

  it('nodeSelector and required node affinity', () => {
    const h = new Harness([
      { name: 'control-plane-1', controlPlane: true },
      { name: 'worker-1' },
      { name: 'worker-2', labels: { disktype: 'ssd' } },
      { name: 'worker-3' },
      { name: 'worker-4' },
    ]);
    h.apply(requesting('selector', 'memory: 1Gi', 'nodeSelector: {disktype: nvme}\n'));
    assert.equal(
      unschedulable(h, 'selector'),
      "0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
    );
    h.apply(
      requesting(
        'affinity',
        'memory: 1Gi',
        'affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms: [{matchExpressions: [{key: disktype, operator: In, values: [ssd]}]}]\n',
      ),
    );
    assert.equal((h.store.get('Pod', 'demo', 'affinity') as Pod).spec?.nodeName, 'worker-2');
  });

  it('sorts the histogram as strings: "10 ..." before "2 ..."', () => {
    const nodes: NodeShape[] = Array.from({ length: 12 }, (_, i) => ({
      name: `node-${i}`,
      labels: i < 10 ? { pool: 'a' } : { pool: 'b' },
    }));
    const h = new Harness(nodes);
    h.apply(requesting('big', 'memory: 64Gi', 'nodeSelector: {pool: a}\n'));
    assert.equal(
      unschedulable(h, 'big'),
      "0/12 nodes are available: 10 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    );
    assert.equal(
      fitErrorMessage(
        3,
        'pod has unbound immediate PersistentVolumeClaims',
        [],
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      ),
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('PVCs: not found, unbound immediate, then bound once it exists', () => {
    const h = new Harness();
    const withClaim = (name: string, claim: string): string =>
      pod(
        name,
        `containers:\n  - name: app\n    image: nginx:1.27.2\n    volumeMounts: [{name: data, mountPath: /data}]\nvolumes:\n  - name: data\n    persistentVolumeClaim: {claimName: ${claim}}`,
      );
    h.apply(withClaim('nopvc', 'pgdata'));
    assert.equal(
      unschedulable(h, 'nopvc'),
      '0/5 nodes are available: persistentvolumeclaim "pgdata" not found. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    );
    h.apply(
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: fast, namespace: demo}\nspec: {storageClassName: fast-ssd, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
    );
    h.apply(withClaim('unbound', 'fast'));
    assert.equal(
      unschedulable(h, 'unbound'),
      '0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    );
    assert.ok(
      h
        .messages('demo', 'fast')
        .includes('ProvisioningFailed: storageclass.storage.k8s.io "fast-ssd" not found'),
    );
    h.apply(
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: pgdata, namespace: demo}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
    );
    h.advance(1);
    assert.ok(
      (h.store.get('Pod', 'demo', 'nopvc') as Pod).spec?.nodeName,
      'scheduled once the claim exists and binds',
    );
  });

  it('FailedScheduling is an events.k8s.io event read through core/v1, counted in series', () => {
    const h = new Harness(worker);
    h.apply(requesting('huge', 'memory: 64Gi'));
    const event = (): KubeEvent => h.events('demo', 'huge').find((e) => e.reason === 'FailedScheduling')!;
    assert.deepEqual(event().source, {});
    assert.equal(event().firstTimestamp, null);
    assert.equal(event().lastTimestamp, null);
    assert.equal(event().count, undefined);
    assert.equal(event().action, 'Scheduling');
    assert.equal(event().type, 'Warning');
    assert.equal(event().reportingComponent, 'default-scheduler');
    assert.equal(event().reportingInstance, 'default-scheduler-control-plane-1');
    assert.match(event().eventTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(event().series, undefined);
    h.advance(61);
    assert.equal(event().series?.count, 2);
    h.advance(60);
    assert.equal(event().series?.count, 3);
  });

  it('retries when the cluster grows', () => {
    const h = new Harness(worker);
    h.apply(requesting('huge', 'memory: 64Gi'));
    h.sim.addNodes([{ name: 'big-1', memory: '131890Mi', allocatableMemory: '129000Mi' }]);
    h.sim.flush();
    assert.equal((h.store.get('Pod', 'demo', 'huge') as Pod).spec?.nodeName, 'big-1');
    const scheduled = h.events('demo', 'huge').find((e) => e.reason === 'Scheduled');
    assert.equal(scheduled?.message, 'Successfully assigned demo/huge to big-1');
    assert.equal(scheduled?.action, 'Binding');
  });

  it('preemptionPolicy Never does not preempt', () => {
    const h = new Harness(worker);
    h.apply(
      'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: polite}\nvalue: 1000\npreemptionPolicy: Never\n',
    );
    h.apply(requesting('low', 'memory: 5Gi'));
    h.apply(requesting('high', 'memory: 5Gi', 'priorityClassName: polite\n'));
    assert.equal(
      unschedulable(h, 'high'),
      '0/1 nodes are available: 1 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.',
    );
    assert.equal((h.store.get('Pod', 'demo', 'high') as Pod).spec?.priority, 1000);
    assert.equal((h.store.get('Pod', 'demo', 'low') as Pod).metadata?.deletionTimestamp, undefined);
  });
});
