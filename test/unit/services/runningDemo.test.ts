// "Start Demo Cluster" must not start a second demo when the kubeconfig already points at one
// that answers (as in the window `npm run demo` opens).
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { DemoCluster } from '../../../src/demo/demoCluster';
import { startDemoCluster } from '../../../src/demo/demoCluster';
import { findRunningDemo } from '../../../src/services/runningDemo';

describe('findRunningDemo', () => {
  let dir: string;
  let cluster: DemoCluster;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podscope-running-demo-'));
    cluster = await startDemoCluster({ kubeconfigOut: join(dir, 'demo'), workspaceDir: '' });
    writeFileSync(
      join(dir, 'other'),
      'apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: u}\n',
    );
  });
  after(() => cluster.stop());

  it('finds the demo that $KUBECONFIG points at while its server answers', async () => {
    const env = { KUBECONFIG: cluster.kubeconfigPath };
    assert.deepEqual(await findRunningDemo({ env }), {
      running: { kubeconfig: cluster.kubeconfigPath, server: cluster.url },
    });
  });

  it('goes by the current context: the demo listed second in $KUBECONFIG is not the one in use', async () => {
    const other = join(dir, 'other');
    const second = await findRunningDemo({
      env: { KUBECONFIG: [other, cluster.kubeconfigPath].join(delimiter) },
    });
    assert.deepEqual(second, { absent: "the kubeconfig's current context is prod" });
    const first = await findRunningDemo({
      env: { KUBECONFIG: [cluster.kubeconfigPath, other].join(delimiter) },
    });
    assert.deepEqual(first, {
      running: { kubeconfig: [cluster.kubeconfigPath, other].join(delimiter), server: cluster.url },
    });
  });

  it('honours an explicit kubeconfig path over $KUBECONFIG', async () => {
    const found = await findRunningDemo({
      path: cluster.kubeconfigPath,
      env: { KUBECONFIG: join(dir, 'other') },
    });
    assert.ok('running' in found, JSON.stringify(found));
  });

  it('is absent without a kubeconfig', async () => {
    const found = await findRunningDemo({ env: { KUBECONFIG: join(dir, 'missing') } });
    assert.ok('absent' in found && found.absent.startsWith('noKubeconfig:'), JSON.stringify(found));
  });

  it('is absent once that demo has stopped, though its kubeconfig remains', async () => {
    const stopped = await startDemoCluster({ kubeconfigOut: join(dir, 'stopped'), workspaceDir: '' });
    await stopped.stop();
    const found = await findRunningDemo({ path: stopped.kubeconfigPath }, 1000);
    assert.ok('absent' in found && found.absent.startsWith('unreachable:'), JSON.stringify(found));
  });
});
