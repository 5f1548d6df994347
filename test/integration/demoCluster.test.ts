// "Podscope: Start Demo Cluster" inside a real VS Code: the simulator runs in the extension host,
// answers over HTTPS with the kubeconfig it wrote into the extension's storage, and stops.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { startDemoCluster } from '../../src/demo/demoCluster';

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
  contexts: { name: string }[];
}

/** GETs a path with the kubeconfig's CA and token; resolves with the status, or the error code. */
function get(
  kubeconfig: Kubeconfig,
  path: string,
): Promise<{ status: number; body: string } | { error: string }> {
  const cluster = kubeconfig.clusters[0]!.cluster;
  return new Promise((resolve) => {
    const req = request(
      `${cluster.server}${path}`,
      {
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        headers: { authorization: `Bearer ${kubeconfig.users[0]!.user.token}` },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe('Podscope: Start / Stop Demo Cluster', function () {
  this.timeout(60_000);

  it('starts the simulator in-process, without touching ~/.kube/config, and stops it', async () => {
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    assert.ok(path, 'the command did not resolve with the kubeconfig path');
    assert.ok(!path.startsWith(`${homedir()}/.kube`), path);
    const kubeconfig = parse(readFileSync(path, 'utf8')) as Kubeconfig;
    assert.deepEqual(
      kubeconfig.contexts.map((c) => c.name),
      ['podscope-demo'],
    );

    const pods = await get(kubeconfig, '/api/v1/namespaces/demo/pods');
    assert.ok('status' in pods && pods.status === 200, JSON.stringify(pods));
    const names = (JSON.parse(pods.body) as { items: { metadata: { name: string } }[] }).items.map(
      (p) => p.metadata.name,
    );
    assert.ok(names.includes('missing-cm'), `the workspace scenarios were not applied: ${names.join(', ')}`);

    await vscode.commands.executeCommand('podscope.demo.stop');
    const after = await get(kubeconfig, '/version');
    assert.deepEqual(after, { error: 'ECONNREFUSED' });
  });

  it('offers a demo the kubeconfig already points at (as in the npm run demo window) instead of starting one', async () => {
    // Started by this test, outside the extension, as `npm run demo` starts one outside VS Code.
    const outside = await startDemoCluster({
      kubeconfigOut: join(mkdtempSync(join(tmpdir(), 'podscope-outside-')), 'kubeconfig'),
      workspaceDir: '',
    });
    const settings = vscode.workspace.getConfiguration('podscope');
    try {
      await settings.update('kubeconfig', outside.kubeconfigPath, vscode.ConfigurationTarget.Global);
      const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
      assert.equal(path, outside.kubeconfigPath);
    } finally {
      await settings.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      await outside.stop();
    }
  });
});
