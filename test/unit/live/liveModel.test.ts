// The live model's gate for Restricted Mode: a context whose user runs a credential plugin is
// refused before anything starts (the plugin never runs); a token context still opens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterError } from '../../../src/cluster/clusterError';
import { ClusterManager } from '../../../src/cluster/clusterManager';
import { LiveModel } from '../../../src/live/liveModel';

describe('live/liveModel', () => {
  let dir: string;
  let model: LiveModel;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-model-'))));
  afterEach(() => {
    model?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a context with an exec plugin through the gate, without running it, and opens a token one', async () => {
    const marker = path.join(dir, 'plugin-ran');
    const plugin = path.join(dir, 'plugin.sh');
    fs.writeFileSync(plugin, `#!/bin/sh\ntouch ${marker}\necho '{}'\n`, { mode: 0o755 });
    const kubeconfig = path.join(dir, 'config');
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: token',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
        'users:',
        '- {name: t, user: {token: abc}}',
        `- {name: p, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}`,
        'contexts:',
        '- {name: token, context: {cluster: c, user: t}}',
        '- {name: plugin, context: {cluster: c, user: p}}',
        '',
      ].join('\n'),
    );
    const seen: (boolean | undefined)[] = [];
    model = new LiveModel(new ClusterManager({ source: () => ({ path: kubeconfig, env: {} }) }), {
      refuse: (context) => {
        seen.push(context?.runsCredentialPlugin);
        return context?.runsCredentialPlugin ? new ClusterError('untrusted', 'Restricted Mode') : undefined;
      },
    });
    await assert.rejects(
      model.open('plugin'),
      (e: unknown) => e instanceof ClusterError && e.reason === 'untrusted',
    );
    const live = await model.open('token');
    assert.equal(live.name, 'token');
    assert.deepEqual(seen, [true, undefined]);
    assert.equal(fs.existsSync(marker), false, 'the credential plugin ran');
  });
});
