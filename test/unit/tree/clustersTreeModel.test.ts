// The Clusters view's model without VS Code: rows per catalog scenario read as kubectl prints
// them, icons tell failure families apart, menus get faceted contextValues and the terminal
// commands their plain targets; live changes fire only the rows that changed (same node objects,
// so expansion survives); failures become message nodes; nothing is awaited in children().
import * as assert from 'node:assert/strict';
import { ClusterError } from '../../../src/cluster/clusterError';
import type { KubeObject, Pod } from '../../../src/kube/types';
import { ClustersTreeModel } from '../../../src/tree/model/clustersTreeModel';
import { decorationQuery, parseDecorationQuery, rowDecoration } from '../../../src/tree/model/rowDecoration';
import type { TreeNode } from '../../../src/tree/model/treeNode';
import { signature } from '../../../src/tree/model/treeNode';
import { CATALOG_NOW, loadExample, objectsOf } from '../analysis/findings/catalogView';
import { FakeLiveModel, FakeSource } from './fakeLive';

const CONTEXT = { name: 'prod', cluster: 'c', user: 'u', namespace: 'shop', file: '/home/me/.kube/config' };

function nextChange(model: ClustersTreeModel): Promise<TreeNode[] | undefined> {
  return new Promise((resolve) => {
    const sub = model.onDidChange((nodes) => {
      sub.dispose();
      resolve(nodes);
    });
  });
}

interface Harness {
  source: FakeSource;
  live: FakeLiveModel;
  model: ClustersTreeModel;
  context: TreeNode;
}

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) {
    h.model.dispose();
    h.live.dispose();
  }
});

/** A tree over these objects, with the context opened and synced. */
async function openTree(objects: readonly KubeObject[], context = CONTEXT): Promise<Harness> {
  const source = new FakeSource(context);
  source.load(objects);
  const live = new FakeLiveModel([source]);
  const model = new ClustersTreeModel(live, { debounceMs: 0 });
  const harness = { source, live, model } as Harness;
  harnesses.push(harness);
  const loaded = nextChange(model);
  assert.deepEqual(labels(model.roots()), ['Loading kubeconfig…']);
  await loaded;
  const [node] = model.roots();
  assert.ok(node);
  harness.context = node;
  assert.deepEqual(labels(model.children(node)), [`Connecting to ${context.name}…`]);
  assert.deepEqual(live.opens, [context.name], 'expanding a closed context opens it');
  await Promise.resolve();
  assert.deepEqual(labels(model.children(node)), ['Loading…'], 'not synced yet');
  const ready = nextChange(model);
  source.finishSync();
  await ready;
  await live.get(context.name)?.whenReady();
  return harness;
}

const labels = (nodes: readonly TreeNode[]): string[] => nodes.map((n) => n.data.label);

function find(model: ClustersTreeModel, from: TreeNode, path: readonly string[]): TreeNode {
  let node = from;
  for (const label of path) {
    const children = model.children(node);
    const next = children.find((c) => c.data.label === label);
    assert.ok(next, `no "${label}" under ${node.id}: ${labels(children).join(', ')}`);
    node = next;
  }
  return node;
}

describe('tree/clustersTreeModel', () => {
  describe('pods of the catalog read as kubectl prints them', () => {
    const examples = [
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '08',
      '09',
      '10',
      '11',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
      '24',
      '29',
      '30',
    ];
    for (const prefix of examples) {
      it(`example ${prefix}`, async () => {
        const example = loadExample(prefix);
        const pod = example.pod as Pod;
        const expected = example._meta?.['expectedKubectlGetPods'] as Record<string, string>;
        const { model, context } = await openTree(objectsOf(example));
        const name = pod.metadata?.name ?? '';
        const group = pod.metadata?.ownerReferences?.some((o) => o.kind === 'Job')
          ? ['Jobs', 'nightly-report-29150400']
          : ['Pods'];
        const node = find(model, context, ['shop', ...group, name]);
        const restarts = Number(expected['RESTARTS']?.split(' ')[0] ?? 0);
        assert.equal(
          node.data.description,
          [expected['READY'], expected['STATUS'], ...(restarts > 0 ? [`${restarts}↻`] : [])].join(' · '),
        );
        assert.match(node.data.contextValue, /^pod:/);
        assert.deepEqual(node.target, {
          context: 'prod',
          kubeconfig: '/home/me/.kube/config',
          namespace: 'shop',
          pod: name,
          containers: (pod.spec?.containers ?? []).map((c) => c.name),
        });
        assert.equal(node.pod, name, 'the node itself carries the plain fields');
      });
    }
  });

  it('tells CrashLoopBackOff, OOMKilled, image pulls, config errors and unschedulable pods apart', async () => {
    const cases: [string, string, string, string][] = [
      ['13', 'debug-restart', 'failed', 'pod:crashing:restarted'],
      ['11', 'flame', 'failed', 'pod:crashing:restarted'],
      ['08', 'cloud-download', 'failed', 'pod:failing'],
      ['01', 'gear', 'failed', 'pod:failing'],
      ['17', 'circle-slash', 'failed', 'pod:failing'],
      ['15', 'warning', 'degraded', 'pod:degraded'],
      // Still Terminating a minute past its deletion deadline: stuck, not on its way.
      ['23', 'trash', 'degraded', 'pod:degraded'],
    ];
    for (const [prefix, icon, tone, contextValue] of cases) {
      const example = loadExample(prefix);
      const { model, context } = await openTree(objectsOf(example));
      const node = find(model, context, ['shop', 'Pods', example.pod?.metadata?.name ?? '']);
      assert.deepEqual(
        [node.data.icon, node.data.contextValue, node.data.badge],
        [{ id: icon, tone }, contextValue, '!'],
        `example ${prefix}`,
      );
    }
  });

  it('rolls a Job up from its failed pods: description, badge, namespace and context counts', async () => {
    const { model, context } = await openTree(objectsOf(loadExample('29')));
    const roots = model.roots();
    assert.equal(roots[0]?.data.description, 'active · 1 failing');
    const shop = find(model, context, ['shop']);
    assert.equal(shop.data.description, 'home · 1 failing');
    assert.equal(shop.data.badge, '1');
    const jobs = find(model, context, ['shop', 'Jobs']);
    assert.equal(jobs.data.description, '1 · 1 failing');
    const job = find(model, context, ['shop', 'Jobs', 'nightly-report-29150400']);
    assert.equal(job.data.description, '0/1 · Error');
    assert.equal(job.data.contextValue, 'workload:job:failing');
    assert.deepEqual(job.target, {
      context: 'prod',
      kubeconfig: '/home/me/.kube/config',
      namespace: 'shop',
      kind: 'Job',
      name: 'nightly-report-29150400',
    });
    assert.equal(model.failingCount(), 1);
  });

  it('groups a Deployment’s pods under it through the ReplicaSet, and gives containers their last state', async () => {
    const example = loadExample('11');
    const pod = example.pod as Pod;
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop', uid: 'd-1' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'checkout' } } },
      status: {
        replicas: 1,
        readyReplicas: 0,
        updatedReplicas: 1,
        availableReplicas: 0,
        observedGeneration: 1,
      },
    };
    const rsRef = pod.metadata?.ownerReferences?.[0];
    assert.ok(rsRef);
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsRef.name,
        namespace: 'shop',
        uid: rsRef.uid,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', uid: 'd-1', controller: true },
        ],
      },
    };
    const { model, context } = await openTree([...objectsOf(example), deployment, replicaSet]);
    const workload = find(model, context, ['shop', 'Deployments', 'checkout']);
    assert.equal(workload.data.description, '0/1 · CrashLoopBackOff · 4↻');
    assert.deepEqual(workload.data.icon, { id: 'flame', tone: 'failed' });
    const container = find(model, context, [
      'shop',
      'Deployments',
      'checkout',
      pod.metadata?.name ?? '',
      'app',
    ]);
    assert.match(container.data.description, /^CrashLoopBackOff · last: OOMKilled \(exit 137\) · 4↻$/);
    assert.equal(container.data.contextValue, 'container:waiting:restarted');
    assert.equal(container.container, 'app');
    const tooltip = model.tooltip(container) ?? '';
    assert.match(tooltip, /Last state: OOMKilled, exit code 137 \(SIGKILL\)/);
    assert.match(tooltip, /Killed by the kernel OOM killer/);
    const podTooltip =
      model.tooltip(find(model, context, ['shop', 'Deployments', 'checkout', pod.metadata?.name ?? ''])) ??
      '';
    assert.match(podTooltip, /Last event: Warning \*\*BackOff\*\*/);
    assert.match(podTooltip, /`oom-killed`/);
    // Each fact once: the restart count on the Status line, the container's state and last exit
    // on its own lines (not again as a health reason above them).
    assert.match(podTooltip, /^Status: CrashLoopBackOff, ready 0\/1, restarts 4 \\\(10m ago\\\)$/m);
    assert.match(podTooltip, /^Last state: OOMKilled, exit code 137 \(SIGKILL\), 10m ago {2}$/m);
    assert.doesNotMatch(podTooltip, /Restarts: /, 'one container: its restarts are the pod’s');
    assert.doesNotMatch(podTooltip, /^- container app/m, 'no health reason restating the container');
  });

  it('updates only the changed rows, in place, when a pod restarts again', async () => {
    const example = loadExample('13');
    const { source, model, context } = await openTree([
      ...objectsOf(example),
      ...objectsOf(loadExample('29')),
    ]);
    const name = example.pod?.metadata?.name ?? '';
    const pod = find(model, context, ['shop', 'Pods', name]);
    const container = find(model, context, ['shop', 'Pods', name, 'app']);
    const job = find(model, context, ['shop', 'Jobs', 'nightly-report-29150400']);
    const restarted = structuredClone(source.get('Pod', 'shop', name)) as Pod;
    restarted.metadata = { ...restarted.metadata, resourceVersion: '999999' };
    for (const s of restarted.status?.containerStatuses ?? []) s.restartCount += 1;
    const fired = nextChange(model);
    source.apply('Pod', 'MODIFIED', restarted);
    const nodes = await fired;
    assert.ok(nodes, 'a partial refresh, not the whole tree');
    assert.deepEqual(
      nodes.map((n) => n.id),
      [pod.id],
      'the pod row (VS Code asks for its containers again); not the namespace, group or Job',
    );
    assert.equal(
      find(model, context, ['shop', 'Pods', name]),
      pod,
      'the same node object, so VS Code keeps its state',
    );
    assert.equal(pod.data.description, '0/1 · CrashLoopBackOff · 7↻');
    assert.equal(find(model, context, ['shop', 'Pods', name, 'app']), container);
    assert.equal(find(model, context, ['shop', 'Jobs', 'nightly-report-29150400']), job);
  });

  it('fires the context row when its failing count changes (a pod heals)', async () => {
    const example = loadExample('13');
    const { source, model, context } = await openTree(objectsOf(example));
    const name = example.pod?.metadata?.name ?? '';
    const pod = find(model, context, ['shop', 'Pods', name]);
    const healed = structuredClone(source.get('Pod', 'shop', name)) as Pod;
    healed.metadata = { ...healed.metadata, resourceVersion: '999999' };
    healed.status = {
      ...healed.status,
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: (healed.status?.containerStatuses ?? []).map((s) => ({
        ...s,
        ready: true,
        state: { running: { startedAt: new Date(CATALOG_NOW - 20 * 60_000).toISOString() } },
        // Its last crash is 25 minutes old: healed, not between two crashes.
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            finishedAt: new Date(CATALOG_NOW - 25 * 60_000).toISOString(),
          },
        },
      })),
    };
    const fired = nextChange(model);
    source.apply('Pod', 'MODIFIED', healed);
    assert.deepEqual(
      (await fired)?.map((n) => n.id),
      [context.id],
    );
    assert.equal(context.data.description, 'active');
    assert.equal(find(model, context, ['shop', 'Pods', name]), pod);
    assert.equal(pod.data.description, '1/1 · Running · 6↻');
    assert.deepEqual(pod.data.icon, { id: 'pass', tone: 'ok' });
    assert.equal(model.failingCount(), 0);
  });

  it('gives every row the badge and health its own text says, through its decoration URI query', async () => {
    const examples = ['01', '08', '11', '13', '14', '15', '17', '20', '22', '25', '26', '27', '29'];
    const { model, context } = await openTree(examples.flatMap((id) => objectsOf(loadExample(id))));
    model.setShowAllNamespaces(true);
    model.flush();
    const rows: TreeNode[] = [];
    const walk = (node: TreeNode): void => {
      rows.push(node);
      for (const child of model.children(node)) walk(child);
    };
    walk(context);
    let counted = 0;
    for (const row of rows) {
      const decoration = rowDecoration(row.data);
      if (!decoration) continue;
      // What the provider reads back is what getTreeItem wrote, from the same row.
      assert.deepEqual(parseDecorationQuery(decorationQuery(decoration)), decoration, row.id);
      assert.equal(decoration.health, row.data.health);
      const failing = /(\d+) failing/.exec(row.data.description)?.[1];
      if (row.type === 'context' || row.type === 'namespace' || row.type === 'group') {
        assert.equal(decoration.badge, failing, `${row.id}: "${row.data.description}"`);
        // "failing" counts the rows below that wear the `!` (failed or degraded), nothing else.
        const below = model.children(row);
        const marked =
          row.type === 'group'
            ? below.filter((c) => c.data.badge === '!').length
            : below.reduce((n, c) => n + Number(c.data.badge ?? 0), 0);
        if (row.type !== 'context' || !below.some((c) => c.type === 'message'))
          assert.equal(marked, Number(failing ?? 0), `${row.id}: "${row.data.description}"`);
        if (failing) counted++;
      } else {
        const marked = row.data.health === 'failed' || row.data.health === 'degraded';
        assert.equal(decoration.badge, marked ? '!' : undefined, row.id);
        // One health per row: the icon's tone is the level that colours the label and sets the badge.
        assert.equal(row.data.icon.tone, row.data.health, row.id);
      }
    }
    assert.ok(counted >= 3, 'the context, a namespace and a group carry counts');
  });

  it('changes a row’s decoration query and fires the row when only its health changes', async () => {
    const example = loadExample('13');
    const { source, model, context } = await openTree(objectsOf(example));
    const name = example.pod?.metadata?.name ?? '';
    const pod = find(model, context, ['shop', 'Pods', name]);
    const before = decorationQuery(rowDecoration(pod.data) ?? { health: 'unknown' });
    assert.equal(parseDecorationQuery(before)?.badge, '!');
    const data = { ...pod.data, health: 'degraded' as const };
    assert.notEqual(signature(data), signature(pod.data), 'a health change alone refreshes the row');
    const healed = structuredClone(source.get('Pod', 'shop', name)) as Pod;
    healed.metadata = { ...healed.metadata, resourceVersion: '999998' };
    healed.status = {
      ...healed.status,
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: (healed.status?.containerStatuses ?? []).map((s) => ({
        ...s,
        ready: true,
        state: { running: { startedAt: new Date(CATALOG_NOW - 20 * 60_000).toISOString() } },
        lastState: {},
      })),
    };
    const fired = nextChange(model);
    source.apply('Pod', 'MODIFIED', healed);
    await fired;
    const after = find(model, context, ['shop', 'Pods', name]);
    const query = decorationQuery(rowDecoration(after.data) ?? { health: 'unknown' });
    assert.notEqual(query, before, 'a new URI: VS Code cannot serve the cached failing decoration');
    assert.deepEqual(parseDecorationQuery(query), { health: 'ok', summary: after.data.healthSummary });
  });

  it('never shows a workload healthier than a pod under it (ready, but crashed two minutes ago)', async () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'session-cache', namespace: 'shop', uid: 'd-1', generation: 1 },
      spec: { replicas: 1, selector: { matchLabels: { app: 'cache' } } },
      status: {
        replicas: 1,
        readyReplicas: 1,
        updatedReplicas: 1,
        availableReplicas: 1,
        observedGeneration: 1,
      },
    };
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'session-cache-d69c9bf8',
        namespace: 'shop',
        uid: 'rs-1',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'session-cache', uid: 'd-1', controller: true },
        ],
      },
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'session-cache-d69c9bf8-xnkw2',
        namespace: 'shop',
        uid: 'p-1',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'session-cache-d69c9bf8',
            uid: 'rs-1',
            controller: true,
          },
        ],
      },
      spec: { containers: [{ name: 'cache' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          {
            name: 'cache',
            ready: true,
            restartCount: 31,
            image: 'x',
            imageID: '',
            state: { running: { startedAt: new Date(CATALOG_NOW - 60_000).toISOString() } },
            lastState: {
              terminated: {
                exitCode: 137,
                reason: 'Error',
                finishedAt: new Date(CATALOG_NOW - 120_000).toISOString(),
              },
            },
          },
        ],
      },
    };
    const { model, context } = await openTree([deployment, replicaSet, pod]);
    const workload = find(model, context, ['shop', 'Deployments', 'session-cache']);
    const podRow = find(model, context, ['shop', 'Deployments', 'session-cache', pod.metadata?.name ?? '']);
    assert.equal(podRow.data.health, 'degraded');
    assert.equal(workload.data.health, 'degraded');
    assert.equal(workload.data.icon.tone, 'degraded');
    assert.equal(workload.data.badge, '!');
    assert.equal(find(model, context, ['shop', 'Deployments']).data.description, '1 · 1 failing');
  });

  it('shows the home namespace and namespaces with problems; the rest on request', async () => {
    const healthy: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ok', namespace: 'quiet', uid: 'q1' },
      spec: { containers: [{ name: 'c' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'c', ready: true, restartCount: 0, image: 'x', imageID: '', state: { running: {} } },
        ],
      },
    };
    const { model, context } = await openTree([...objectsOf(loadExample('13')), healthy], {
      ...CONTEXT,
      namespace: 'team',
    });
    assert.deepEqual(labels(model.children(context)), ['shop', '1 more namespace without problems']);
    const hidden = model.children(context)[1];
    assert.equal(hidden?.data.command?.command, 'podscope.clusters.showAllNamespaces');
    const all = nextChange(model);
    model.setShowAllNamespaces(true);
    assert.equal(await all, undefined);
    assert.deepEqual(labels(model.children(context)), ['quiet', 'shop']);
    model.setShowAllNamespaces(false);
    model.setHomeNamespace('prod', 'quiet');
    assert.deepEqual(labels(model.children(context)), ['quiet', 'shop']);
    assert.equal(model.children(context)[0]?.data.description, 'home');
    model.chooseNamespaces('prod', ['quiet']);
    assert.deepEqual(labels(model.children(context)), ['quiet']);
  });

  it('filters by name across namespaces', async () => {
    const { model, context } = await openTree([
      ...objectsOf(loadExample('13')),
      ...objectsOf(loadExample('29')),
    ]);
    model.setFilter('nightly');
    assert.equal(model.message, 'Filtered by "nightly"');
    assert.deepEqual(labels(model.children(find(model, context, ['shop']))), ['Jobs']);
    model.setFilter('no-such-pod');
    assert.deepEqual(labels(model.children(context)), ['No match']);
    model.setFilter(undefined);
    assert.deepEqual(labels(model.children(find(model, context, ['shop']))), ['Jobs', 'Pods']);
  });

  describe('message nodes', () => {
    it('no kubeconfig: no rows (the welcome view shows) and a message', async () => {
      const live = new FakeLiveModel([]);
      live.kubeconfigError = new ClusterError(
        'noKubeconfig',
        'no kubeconfig found: /root/.kube/config does not exist',
      );
      const model = new ClustersTreeModel(live, { debounceMs: 0 });
      harnesses.push({ model, live } as Harness);
      const loaded = nextChange(model);
      model.roots();
      await loaded;
      assert.deepEqual(model.roots(), []);
      assert.equal(model.message, 'No kubeconfig: no kubeconfig found: /root/.kube/config does not exist');
    });

    it('broken kubeconfig: the file and the parse error', async () => {
      const live = new FakeLiveModel([]);
      live.kubeconfigError = new ClusterError(
        'badKubeconfig',
        '/tmp/k is not a valid kubeconfig (YAML error near line 3)',
      );
      const model = new ClustersTreeModel(live, { debounceMs: 0 });
      harnesses.push({ model, live } as Harness);
      const loaded = nextChange(model);
      model.roots();
      await loaded;
      assert.deepEqual(labels(model.roots()), [
        'Broken kubeconfig: /tmp/k is not a valid kubeconfig (YAML error near line 3)',
      ]);
      assert.equal(model.roots()[0]?.data.contextValue, 'message:badKubeconfig');
    });

    it('unreachable: the error and a retry that opens the context again', async () => {
      const { source, model, context, live } = await openTreeWith([
        {
          kind: 'Pod',
          status: 'error',
          error: new ClusterError('unreachable', 'cannot reach the API server (ECONNREFUSED)'),
        },
      ]);
      const [node] = model.children(context);
      assert.equal(
        node?.data.label,
        'Cannot reach the cluster: cannot reach the API server (ECONNREFUSED) — click to retry',
      );
      assert.deepEqual(node?.data.command, {
        command: 'podscope.clusters.retry',
        title: 'Retry',
        arguments: ['prod'],
      });
      assert.match(model.roots()[0]?.data.description ?? '', /unreachable/);
      await model.retry('prod');
      assert.equal(live.get('prod'), undefined);
      assert.deepEqual(labels(model.children(context)), ['Connecting to prod…']);
      assert.deepEqual(live.opens, ['prod', 'prod']);
      source.dispose();
    });

    it('forbidden namespace list: reads the context namespace and says so', async () => {
      const note = 'pods: not allowed cluster-wide; reading only namespace(s) shop';
      const { model, context } = await openTreeWith(
        [{ kind: 'Pod', status: 'synced', namespaces: ['shop'], note }],
        objectsOf(loadExample('13')),
      );
      assert.deepEqual(labels(model.children(context)), [note, 'shop']);
      assert.equal(model.children(context)[0]?.data.contextValue, 'message:forbiddenNamespaces');
    });

    it('forbidden outright, and Restricted Mode', async () => {
      const forbidden = await openTreeWith([
        {
          kind: 'Pod',
          status: 'forbidden',
          error: new ClusterError('forbidden', 'RBAC does not allow this (403)'),
        },
      ]);
      assert.deepEqual(labels(forbidden.model.children(forbidden.context)), [
        'Forbidden: RBAC does not allow this (403)',
      ]);

      const source = new FakeSource(CONTEXT);
      const live = new FakeLiveModel([source]);
      live.openError = new ClusterError('untrusted', 'Restricted Mode');
      const model = new ClustersTreeModel(live, { debounceMs: 0 });
      harnesses.push({ model, live, source } as Harness);
      const loaded = nextChange(model);
      model.roots();
      await loaded;
      const [context] = model.roots();
      assert.ok(context);
      const failed = nextChange(model);
      model.children(context);
      await failed;
      const [node] = model.children(context);
      assert.equal(
        node?.data.label,
        'Restricted Mode: this context runs a credential plugin; trust the workspace to connect',
      );
      assert.equal(node?.data.command?.command, 'workbench.trust.manage');
    });
  });
});

async function openTreeWith(
  states: Parameters<FakeSource['finishSync']>[0],
  objects: readonly KubeObject[] = [],
): Promise<Harness> {
  const source = new FakeSource(CONTEXT);
  source.load(objects);
  const live = new FakeLiveModel([source]);
  const model = new ClustersTreeModel(live, { debounceMs: 0 });
  const harness: Harness = { source, live, model, context: undefined as unknown as TreeNode };
  harnesses.push(harness);
  const loaded = nextChange(model);
  model.roots();
  await loaded;
  const [context] = model.roots();
  assert.ok(context);
  harness.context = context;
  model.children(context);
  await Promise.resolve();
  const ready = nextChange(model);
  source.finishSync(states);
  await ready;
  return harness;
}
