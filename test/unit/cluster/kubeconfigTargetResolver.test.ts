// Until the live model resolves targets, the kubeconfig kubectl would read does.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeconfigTargetResolver } from '../../../src/cluster/kubeconfigTargetResolver';
import type { PodTarget, WorkloadTarget } from '../../../src/kube/kubeTarget';

function kubeconfig(dir: string, file: string, current: string): string {
  const full = path.join(dir, file);
  fs.writeFileSync(
    full,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${current}`,
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts:',
      '- {name: dev, context: {cluster: c, user: u, namespace: team-a}}',
      '- {name: prod, context: {cluster: c, user: u}}',
      '',
    ].join('\n'),
  );
  return full;
}

describe('KubeconfigTargetResolver', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-resolver-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fills the setting’s file, its current context and that context’s namespace', async () => {
    const file = kubeconfig(dir, 'config', 'dev');
    const resolver = new KubeconfigTargetResolver(() => ({ path: file, env: {} }));
    assert.deepEqual(await resolver.resolve<PodTarget>({ pod: 'web-1' }), {
      pod: 'web-1',
      namespace: 'team-a',
      context: 'dev',
      kubeconfig: file,
    });
  });

  it('keeps what the target says, and defaults the namespace to "default"', async () => {
    const file = kubeconfig(dir, 'config', 'dev');
    const resolver = new KubeconfigTargetResolver(() => ({ env: { KUBECONFIG: file } }));
    assert.deepEqual(
      await resolver.resolve<WorkloadTarget>({ context: 'prod', kind: 'Deployment', name: 'a' }),
      {
        context: 'prod',
        kind: 'Deployment',
        name: 'a',
        namespace: 'default',
        kubeconfig: file,
      },
    );
  });

  it('passes no --kubeconfig for a $KUBECONFIG list, whose merge no single file holds', async () => {
    const first = kubeconfig(dir, 'a', 'prod');
    const second = kubeconfig(dir, 'b', 'dev');
    const resolver = new KubeconfigTargetResolver(() => ({
      env: { KUBECONFIG: `${first}${path.delimiter}${second}` },
    }));
    assert.deepEqual(await resolver.resolve<PodTarget>({ pod: 'p' }), {
      pod: 'p',
      namespace: 'default',
      context: 'prod',
    });
  });

  it('reads no file when the target is complete', async () => {
    const resolver = new KubeconfigTargetResolver(() => ({ path: path.join(dir, 'absent'), env: {} }));
    const target = { context: 'x', kubeconfig: '/k', namespace: 'n', pod: 'p' };
    assert.deepEqual(await resolver.resolve<PodTarget>(target), target);
  });

  it('rejects with noKubeconfig when there is none to read', async () => {
    const resolver = new KubeconfigTargetResolver(() => ({ path: path.join(dir, 'absent'), env: {} }));
    await assert.rejects(resolver.resolve<PodTarget>({ pod: 'p' }), { reason: 'noKubeconfig' });
  });
});

describe('KubeconfigTargetResolver with the demo kubeconfig beside the user’s', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-resolver-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function demoKubeconfig(): string {
    const full = path.join(dir, 'demo-kubeconfig');
    fs.writeFileSync(
      full,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: podscope-demo',
        'clusters: [{name: demo, cluster: {server: "https://127.0.0.1:2"}}]',
        'users: [{name: demo, user: {token: t}}]',
        'contexts: [{name: podscope-demo, context: {cluster: demo, user: demo, namespace: demo}}]',
        '',
      ].join('\n'),
    );
    return full;
  }

  it('passes the demo’s own file for the demo context, and the user’s for theirs', async () => {
    const user = kubeconfig(dir, 'config', 'dev');
    const demo = demoKubeconfig();
    const resolver = new KubeconfigTargetResolver(() => ({ path: user, env: {}, extraPaths: [demo] }));
    assert.deepEqual(await resolver.resolve<PodTarget>({ context: 'podscope-demo', pod: 'web-1' }), {
      context: 'podscope-demo',
      pod: 'web-1',
      namespace: 'demo',
      kubeconfig: demo,
    });
    // The user's current context still wins over the demo's.
    assert.deepEqual(await resolver.resolve<PodTarget>({ pod: 'web-1' }), {
      pod: 'web-1',
      namespace: 'team-a',
      context: 'dev',
      kubeconfig: user,
    });
  });

  it('finds the demo context when the user has no kubeconfig at all', async () => {
    const demo = demoKubeconfig();
    const home = path.join(dir, 'home');
    const resolver = new KubeconfigTargetResolver(() => ({ env: { HOME: home }, extraPaths: [demo] }));
    assert.deepEqual(await resolver.resolve<PodTarget>({ pod: 'p' }), {
      pod: 'p',
      namespace: 'demo',
      context: 'podscope-demo',
      kubeconfig: demo,
    });
  });
});
