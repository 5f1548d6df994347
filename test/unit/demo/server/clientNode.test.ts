// @kubernetes/client-node 1.4 (what src/cluster/ uses) against the demo apiserver: list and
// watch through a kubeconfig written by writeKubeconfig.
import { strict as assert } from 'node:assert';
import type * as ClientNode from '@kubernetes/client-node';
import type { Harness } from './harness';
import { startHarness, waitFor } from './harness';

describe('client-node 1.4 against the demo apiserver', function () {
  this.timeout(20000);
  let h: Harness;
  let k8s: typeof ClientNode;
  let config: ClientNode.KubeConfig;
  before(async () => {
    k8s = await import('@kubernetes/client-node');
    h = await startHarness();
    config = new k8s.KubeConfig();
    config.loadFromFile(h.kubeconfig);
  });
  after(async () => {
    await h.close();
  });

  it('reads the kubeconfig context and namespace', () => {
    assert.equal(config.getCurrentContext(), 'podscope-demo');
    assert.equal(config.getContextObject('podscope-demo')?.namespace, 'demo');
  });

  it('lists pods across namespaces and reads one', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const list = await core.listPodForAllNamespaces();
    assert.deepEqual(
      list.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
      ['demo/api-1', 'demo/db-0', 'demo/web-1', 'demo/web-2', 'shop/cart-1'],
    );
    assert.equal(list.metadata?.resourceVersion, h.store.resourceVersion());
    const pod = await core.readNamespacedPod({ name: 'web-1', namespace: 'demo' });
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 2);
  });

  it('surfaces a Forbidden Status as an ApiException with code 403', async () => {
    h.server.rbac.forbid({ resource: 'pods', namespace: 'shop' });
    try {
      const core = config.makeApiClient(k8s.CoreV1Api);
      await assert.rejects(
        core.listNamespacedPod({ namespace: 'shop' }),
        (e: unknown) => e instanceof k8s.ApiException && e.code === 403,
      );
    } finally {
      h.server.rbac.clear();
    }
  });

  it('watches: initial ADDED events, then a MODIFIED', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(config);
    const request = await watch.watch(
      '/api/v1/namespaces/demo/pods',
      { allowWatchBookmarks: true },
      (type: string, obj: { metadata?: { name?: string } }) =>
        seen.push(`${type} ${obj.metadata?.name ?? ''}`),
      () => undefined,
    );
    try {
      await waitFor('initial events', () => seen.length === 4);
      const pod = structuredClone(h.store.get('Pod', 'demo', 'db-0'));
      h.store.update({ ...pod, metadata: { ...pod?.metadata, labels: { app: 'db', touched: 'yes' } } });
      await waitFor('MODIFIED event', () => seen.includes('MODIFIED db-0'));
    } finally {
      request.abort();
    }
  });

  it('an informer re-lists after the server drops its watch', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(config, '/api/v1/namespaces/shop/pods', () =>
      core.listNamespacedPod({ namespace: 'shop' }),
    );
    const names = new Set<string>();
    informer.on('add', (p) => names.add(p.metadata?.name ?? ''));
    informer.on('error', () => undefined);
    await informer.start();
    try {
      await waitFor('informer watch', () => h.server.watchCount() > 0);
      h.server.dropWatches();
      h.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cart-2', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      });
      await waitFor('pod seen after reconnect', () => names.has('cart-2'), 10000);
    } finally {
      await informer.stop();
    }
  });

  it('an informer recovers from 410 Expired by listing again', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = k8s.makeInformer(config, '/api/v1/namespaces/demo/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'demo' });
    });
    const names = new Set<string>();
    informer.on('add', (o) => names.add(o.metadata?.name ?? ''));
    informer.on('error', () => undefined);
    await informer.start();
    try {
      await waitFor('informer watch', () => h.server.watchCount() > 0);
      h.server.expireNextWatch();
      h.server.dropWatches();
      h.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'after-expiry', namespace: 'demo' },
      });
      await waitFor('re-list after 410', () => lists >= 2 && names.has('after-expiry'), 10000);
    } finally {
      await informer.stop();
    }
  });

  it('an informer reconnects after the server restarts', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(config, '/api/v1/namespaces/shop/pods', () =>
      core.listNamespacedPod({ namespace: 'shop' }),
    );
    const names = new Set<string>();
    informer.on('add', (p) => names.add(p.metadata?.name ?? ''));
    // client-node's documented recovery: a ListWatch stops on a connection error and is started again.
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 100);
    });
    await informer.start();
    try {
      await waitFor('informer watch', () => h.server.watchCount() > 0);
      await h.server.restart();
      h.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'after-restart', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      });
      await waitFor('pod seen after the restart', () => names.has('after-restart'), 10000);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
