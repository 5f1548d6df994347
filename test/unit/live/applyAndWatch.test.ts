// Against the in-process demo cluster (its HTTPS API server, its simulated kubelet on a stepped
// clock): namespaces first with a handover that loses and doubles nothing, server-side apply
// (dry run, then for real) watched until the finding clears, a ConfigMap created for
// configmap-missing, and memory-near-limit from metrics.k8s.io polled only while watched.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ClusterError } from '../../../src/cluster/clusterError';
import type { StoreChange } from '../../../src/cluster/clusterStore';
import { ClusterManager } from '../../../src/cluster/clusterManager';
import type { ClusterSession } from '../../../src/cluster/clusterSession';
import { compareResourceVersions } from '../../../src/cluster/resourceVersion';
import { startDemoCluster } from '../../../src/demo/demoCluster';
import type { DemoCluster } from '../../../src/demo/demoCluster';
import { ManualClock } from '../../../src/demo/manualClock';
import type { KubeObject } from '../../../src/kube/types';
import type { RolloutResult } from '../../../src/live/applyWatch';
import { watchRollout } from '../../../src/live/applyWatch';
import type { LiveContext } from '../../../src/live/liveContext';
import { LiveModel } from '../../../src/live/liveModel';
import { recordingLogger, until } from '../cluster/until';

const workspace = join(__dirname, '../../../demo/workspace');
const reportWorker = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'report-worker' };
const missingCm = { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'missing-cm' };

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const versions = (objects: readonly KubeObject[]): string =>
  objects
    .map((o) => `${keyOf(o)}@${o.metadata?.resourceVersion ?? ''}`)
    .sort()
    .join(' ');

function withLimit(memory: string): KubeObject {
  const fixed = parse(readFileSync(join(workspace, 'fixes', 'report-worker.yaml'), 'utf8')) as KubeObject;
  const spec = fixed['spec'] as { template: { spec: { containers: { resources: { limits: object } }[] } } };
  spec.template.spec.containers[0]!.resources.limits = { memory };
  return fixed;
}

interface Harness {
  cluster: DemoCluster;
  clock: ManualClock;
  model: LiveModel;
  log: ReturnType<typeof recordingLogger>;
}

async function start(
  options: { metrics?: false; onRequest?: (line: string) => void } = {},
): Promise<Harness> {
  const clock = new ManualClock('2025-06-10T09:00:00Z');
  const cluster = await startDemoCluster({
    clock,
    pods: 300,
    ...(options.metrics === false ? { metrics: false } : {}),
    logger: (level, message) => {
      if (level === 'debug') options.onRequest?.(message);
    },
  });
  // Ten simulated minutes: the scenarios reach their failures (OOMKilled, CreateContainerConfigError).
  for (let i = 0; i < 60; i++) clock.advance(10_000);
  const log = recordingLogger();
  const model = new LiveModel(
    new ClusterManager({ source: () => ({ path: cluster.kubeconfigPath }), logger: log, pageSize: 50 }),
    { usage: { intervalMs: 20, logger: log } },
  );
  return { cluster, clock, model, log };
}

/** The session holds what the demo's store holds for these kinds in these namespaces. */
function inStep(h: Harness, session: ClusterSession, namespaces: string[]): () => boolean {
  return () =>
    namespaces.every((ns) =>
      (['Pod', 'ReplicaSet', 'Deployment', 'ConfigMap'] as const).every(
        (kind) => versions(session.list(kind, ns)) === versions(h.cluster.store.list(kind, ns)),
      ),
    );
}

/**
 * Runs the simulation in 5-second steps, each followed by the session catching up (and, when
 * usage is watched, a metrics poll), until `pending` settles.
 */
async function stepUntil<T>(
  h: Harness,
  context: LiveContext,
  pending: Promise<T>,
  options: { usage?: boolean; maxSteps?: number } = {},
): Promise<T> {
  let settled = false;
  void pending.then(() => (settled = true));
  const session = context.source as ClusterSession;
  for (let i = 0; i < (options.maxSteps ?? 120) && !settled; i++) {
    h.clock.advance(5_000);
    await until(session, inStep(h, session, ['demo']), 'the session catching up with the demo');
    if (options.usage) await context.nextUsagePoll();
  }
  return pending;
}

describe('live: namespaces first, apply and watch, usage against limits (demo cluster)', function () {
  this.timeout(60_000);
  let h: Harness;
  afterEach(async () => {
    h.model.dispose();
    await h.cluster.stop();
  });

  it('findings of the focused namespace come before the rest of the cluster; the handover loses and doubles nothing', async () => {
    let churned = false;
    let harness: Harness | undefined;
    // While the cluster-wide pod list is being read page by page, pods come and go in the
    // focused namespace and elsewhere.
    h = harness = await start({
      onRequest: (line) => {
        if (churned || !harness || !line.startsWith('GET /api/v1/pods?') || !line.includes('continue='))
          return;
        churned = true;
        const store = harness.cluster.store;
        for (const [ns, name] of [
          ['demo', 'late-demo'],
          ['bench-002', 'late-bench'],
        ] as const)
          store.create({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name, namespace: ns },
            spec: { containers: [{ name: 'app', image: 'nginx:1.27.2' }] },
          });
        const victim = store.list('Pod', 'bench-001')[0];
        if (victim) store.delete('Pod', 'bench-001', victim.metadata?.name ?? '');
      },
    });
    const early = new Promise<{ ready: boolean; podState: string | undefined; codes: string[] }>(
      (resolve) => {
        const sub = h.model.onDidChange((change) => {
          const context = h.model.get(change.context);
          const codes = context?.findingsOf(reportWorker).map((f) => f.code) ?? [];
          if (!codes.includes('oom-killed')) return;
          sub.dispose();
          resolve({
            ready: context!.isReady,
            podState: context!.source.states().find((s) => s.kind === 'Pod')?.status,
            codes,
          });
        });
      },
    );
    const context = await h.model.open('podscope-demo', { focus: ['demo'] });
    const changes: StoreChange[] = [];
    (context.source as ClusterSession).onDidChange((batch) => changes.push(...batch));
    const first = await early;
    assert.equal(first.ready, false, 'the finding should come before the whole first sync');
    assert.equal(first.podState, 'syncing');
    await context.whenReady(30_000);
    assert.ok(churned, 'the churn hook never ran');
    const session = context.source as ClusterSession;
    await until(
      session,
      () => versions(session.list('Pod')) === versions(h.cluster.store.list('Pod')),
      'every pod of the cluster, once, in its current version',
    );
    assert.ok(session.get('Pod', 'demo', 'late-demo') && session.get('Pod', 'bench-002', 'late-bench'));
    // In the focused namespace, each object's reported versions only ever move forward.
    const last = new Map<string, string>();
    for (const { kind, type, object } of changes) {
      if (object.metadata?.namespace !== 'demo' || type === 'DELETED') continue;
      const rv = object.metadata.resourceVersion ?? '';
      const key = `${kind}/${keyOf(object)}`;
      const previous = last.get(key);
      if (previous)
        assert.ok((compareResourceVersions(rv, previous) ?? 0) > 0, `${keyOf(object)} ${previous} → ${rv}`);
      last.set(key, rv);
    }
    assert.ok(context.findingsOf(reportWorker).some((f) => f.code === 'oom-killed'));
  });

  it('oom-killed: dry run changes nothing; the apply rolls out, the pods run, the finding clears', async () => {
    h = await start();
    const context = await h.model.open('podscope-demo', { focus: ['demo'] });
    await context.whenReady(30_000);
    const session = context.source as ClusterSession;
    const fixed = withLimit('512Mi');
    // The demo loaded report-worker as `kubectl apply -f` does: kubectl-client-side-apply owns the
    // limit, so changing it server-side is a conflict unless forced, as on a real cluster.
    await assert.rejects(
      session.applyObject(fixed, { dryRun: true }),
      (e: ClusterError) =>
        e.conflict &&
        e.causes[0]?.field === '.spec.template.spec.containers[name="worker"].resources.limits.memory',
    );
    const dry = await session.applyObject(fixed, { dryRun: true, force: true });
    const limits = (o: KubeObject | undefined): unknown =>
      (
        o?.['spec'] as
          { template: { spec: { containers: { resources: { limits: unknown } }[] } } } | undefined
      )?.template.spec.containers[0]?.resources.limits;
    assert.deepEqual(limits(dry), { memory: '512Mi' });
    assert.deepEqual(limits(await session.readObject(fixed)), { memory: '128Mi' });
    assert.deepEqual(limits(h.cluster.store.get('Deployment', 'demo', 'report-worker')), { memory: '128Mi' });
    assert.ok(context.findingsOf(reportWorker).some((f) => f.code === 'oom-killed'));

    const applied = await session.applyObject(fixed, { force: true });
    assert.deepEqual(limits(applied), { memory: '512Mi' });
    const progress: string[] = [];
    const result: RolloutResult = await stepUntil(
      h,
      context,
      watchRollout(context, {
        owners: [reportWorker],
        applied,
        timeoutMs: 30_000,
        onProgress: (t) => progress.push(t),
      }),
    );
    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(result.message, 'Deployment demo/report-worker: rolled out; oom-killed cleared.');
    assert.deepEqual(context.findingsOf(reportWorker), []);
    const pods = session.list('Pod', 'demo').filter((p) => p.metadata?.name?.startsWith('report-worker-'));
    assert.ok(
      pods.length > 0 && pods.every((p) => p.status?.phase === 'Running'),
      JSON.stringify(pods.map((p) => p.status?.phase)),
    );
    assert.ok(progress.length > 0, 'no progress was reported while rolling out');
  });

  it('memory-near-limit: a limit just above the working set warns, from metrics polled while watched', async () => {
    h = await start();
    const context = await h.model.open('podscope-demo', { focus: ['demo'] });
    await context.whenReady(30_000);
    const session = context.source as ClusterSession;
    const interest = context.watchUsage(['demo']);
    // stress holds 250M (251Mi of working set in the simulation): 98 % of 256Mi.
    const applied = await session.applyObject(withLimit('256Mi'), { force: true });
    const rollout = await stepUntil(
      h,
      context,
      watchRollout(context, { owners: [reportWorker], applied, timeoutMs: 30_000 }),
      { usage: true },
    );
    // The OOM kills stop; the warning comes with the first poll that sees the new pod run
    // (possibly after the rollout has been reported cleared).
    assert.ok(['cleared', 'newFinding'].includes(rollout.outcome), rollout.message);
    const near = () => context.findingsOf(reportWorker).find((f) => f.code === 'memory-near-limit');
    const warned = new Promise<void>((resolve) => {
      if (near()) return resolve();
      const sub = context.onDidChange(() => near() && (sub.dispose(), resolve()));
    });
    await stepUntil(h, context, warned, { usage: true });
    const result = { finding: near() };
    assert.deepEqual(
      context.findingsOf(reportWorker).map((f) => f.code),
      ['memory-near-limit'],
    );
    assert.equal(result.finding?.severity, 'warning');
    assert.match(
      result.finding?.evidence.join('\n') ?? '',
      /memory usage 251Mi · request 64Mi · limit 256Mi \(98 % of the limit/,
    );
    assert.equal(result.finding?.fixes[0]?.changes[0]?.op, 'set');
    // Interest ends: the usage goes, and with it the warning.
    const gone = new Promise<void>((resolve) => {
      const sub = context.onDidChange(() => {
        if (context.findingsOf(reportWorker).some((f) => f.code === 'memory-near-limit')) return;
        sub.dispose();
        resolve();
      });
    });
    interest.dispose();
    await gone;
  });

  it('configmap-missing: creating the ConfigMap with the keys the pod reads starts the pod and clears the finding', async () => {
    h = await start();
    const context = await h.model.open('podscope-demo', { focus: ['demo'] });
    await context.whenReady(30_000);
    const session = context.source as ClusterSession;
    assert.ok(context.findingsOf(missingCm).some((f) => f.code === 'configmap-missing'));
    const created = await session.createObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'key-cm', namespace: 'demo' },
      data: { MY_KEY1: '', MY_KEY2: '' },
    });
    const result = await stepUntil(
      h,
      context,
      watchRollout(context, { owners: [missingCm], applied: created, timeoutMs: 30_000 }),
    );
    assert.equal(result.outcome, 'cleared', result.message);
    assert.equal(session.get('Pod', 'demo', 'missing-cm')?.status?.phase, 'Running');
    await assert.rejects(session.createObject(created), (e: { conflict?: boolean }) => e.conflict === true);
  });

  it('a cluster without metrics.k8s.io: no usage findings, no error, one debug line', async () => {
    h = await start({ metrics: false });
    const context = await h.model.open('podscope-demo', { focus: ['demo'] });
    await context.whenReady(30_000);
    const session = context.source as ClusterSession;
    assert.equal(await session.readPodMetrics('demo'), undefined);
    const polled = context.nextUsagePoll();
    const interest = context.watchUsage(['demo']);
    await polled;
    await session.applyObject(withLimit('256Mi'), { force: true });
    for (let i = 0; i < 40; i++) {
      h.clock.advance(5_000);
      await until(session, inStep(h, session, ['demo']), 'catching up');
    }
    assert.ok(!context.findings().some((f) => f.code === 'memory-near-limit'));
    assert.equal(
      h.log.lines.filter((l) => l.includes('serves no metrics.k8s.io')).length,
      1,
      h.log.lines.join('\n'),
    );
    assert.deepEqual(
      h.log.lines.filter((l) => l.startsWith('error') || l.includes('metrics failed')),
      [],
    );
    interest.dispose();
  });
});
