// startDemoCluster end to end on a stepped clock: the workspace is applied, the API server
// answers with the kubeconfig's token and CA, and pods/log comes from the simulation.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parse } from 'yaml';
import type { Pod } from '../../../../src/kube/types';
import { startDemoCluster } from '../../../../src/demo/demoCluster';
import type { DemoCluster } from '../../../../src/demo/demoCluster';
import { ManualClock } from '../../../../src/demo/manualClock';

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

function get(cluster: DemoCluster, path: string): Promise<{ status: number; body: string }> {
  const config = parse(readFileSync(cluster.kubeconfigPath, 'utf8')) as Kubeconfig;
  const ca = Buffer.from(config.clusters[0]!.cluster['certificate-authority-data'], 'base64');
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.url}${path}`,
      { ca, headers: { authorization: `Bearer ${config.users[0]!.user.token}`, accept: 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('startDemoCluster', function () {
  this.timeout(20_000);
  let cluster: DemoCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('applies the workspace and serves it over HTTPS with the written kubeconfig', async () => {
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    cluster = await startDemoCluster({ clock });
    clock.advance(60_000);
    const nodes = JSON.parse((await get(cluster, '/api/v1/nodes')).body) as {
      items: { metadata: { name: string } }[];
    };
    assert.deepEqual(
      nodes.items.map((n) => n.metadata.name),
      ['control-plane-1', 'worker-1', 'worker-2', 'worker-3', 'worker-4'],
    );
    const pods = JSON.parse((await get(cluster, '/api/v1/namespaces/demo/pods')).body) as { items: Pod[] };
    const missing = pods.items.find((p) => p.metadata?.name === 'missing-cm');
    assert.equal(
      missing?.status?.containerStatuses?.[0]?.state?.waiting?.reason,
      'CreateContainerConfigError',
    );
    const apache = pods.items.find((p) => p.metadata?.name?.startsWith('apache-'))!;
    const log = await get(cluster, `/api/v1/namespaces/demo/pods/${apache.metadata!.name}/log?previous=true`);
    assert.equal(log.status, 200);
    assert.match(log.body, /httpd: Syntax error on line 178 of \/opt\/bitnami\/apache\/conf\/httpd\.conf/);
  });

  it('adds a benchmark load of running pods with --pods', async () => {
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    cluster = await startDemoCluster({ clock, pods: 500, workspaceDir: '' });
    assert.deepEqual(cluster.scale, { namespaces: 10, deployments: 100, pods: 500, nodes: 5, events: 1000 });
    const before = cluster.store.resourceVersion();
    clock.advance(120_000);
    assert.equal(cluster.store.resourceVersion(), before, 'settled pods cause no writes');
    const pods = cluster.store.list('Pod', 'bench-003') as Pod[];
    assert.equal(pods.length, 50);
    assert.ok(pods.every((p) => p.status?.phase === 'Running'));
  });
});
