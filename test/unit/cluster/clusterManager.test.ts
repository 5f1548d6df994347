import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterError } from '../../../src/cluster/clusterError';
import { ClusterManager } from '../../../src/cluster/clusterManager';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';

describe('cluster/clusterManager', function () {
  // The first session here is usually the first of the run to load client-node through tsx
  // (files run in name order): about a second on a quiet machine, past mocha's 2 s on a busy one.
  this.timeout(10_000);
  const servers: FakeApiServer[] = [];
  let kubeconfig: string;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-manager-'));
    const files: string[] = [];
    for (const [i, name] of ['alpha', 'beta'].entries()) {
      const server = new FakeApiServer();
      await server.start();
      server.put('pods', { metadata: { name: `${name}-pod`, namespace: 'default' } });
      servers.push(server);
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(
        file,
        [
          ...(i === 0 ? [`current-context: ${name}`] : []),
          'clusters:',
          `- name: ${name}`,
          `  cluster: {server: "${server.url}", insecure-skip-tls-verify: true}`,
          'users:',
          `- name: ${name}-user`,
          `  user: {token: ${FIXTURE_TOKEN}}`,
          'contexts:',
          `- name: ${name}`,
          `  context: {cluster: ${name}, user: ${name}-user}`,
          '',
        ].join('\n'),
      );
      files.push(file);
    }
    kubeconfig = files.join(path.delimiter);
  });
  after(async () => {
    for (const s of servers) await s.stop();
  });

  it('keeps several contexts open at once, one session per context', async () => {
    const manager = new ClusterManager({
      source: () => ({ env: { KUBECONFIG: kubeconfig } }),
      kinds: ['Pod'],
    });
    try {
      assert.deepEqual(
        (await manager.contexts()).map((c) => c.name),
        ['alpha', 'beta'],
      );
      const alpha = await manager.open();
      const beta = await manager.open('beta');
      assert.equal(await manager.open('alpha'), alpha, 'an open context is reused');
      await Promise.all([alpha.whenSettled(), beta.whenSettled()]);
      assert.deepEqual(
        alpha.list('Pod').map((p) => p.metadata?.name),
        ['alpha-pod'],
      );
      assert.deepEqual(
        beta.list('Pod').map((p) => p.metadata?.name),
        ['beta-pod'],
      );
      assert.equal((await manager.openSessions()).length, 2);
      await manager.close('alpha');
      assert.equal((await manager.openSessions()).length, 1);
      assert.notEqual(await manager.open('alpha'), alpha, 'closing and reopening gives a fresh session');
    } finally {
      await manager.closeAll();
      manager.dispose();
    }
  });

  it('reports a typed error for an unknown context and for a missing kubeconfig', async () => {
    const manager = new ClusterManager({
      source: () => ({ env: { KUBECONFIG: kubeconfig } }),
      kinds: ['Pod'],
    });
    await assert.rejects(
      manager.open('gamma'),
      (e: unknown) => e instanceof ClusterError && e.reason === 'badKubeconfig',
    );
    const missing = new ClusterManager({
      source: () => ({ path: path.join(os.tmpdir(), 'no-such-kubeconfig') }),
    });
    await assert.rejects(
      missing.contexts(),
      (e: unknown) => e instanceof ClusterError && e.reason === 'noKubeconfig',
    );
    manager.dispose();
    missing.dispose();
  });
});
