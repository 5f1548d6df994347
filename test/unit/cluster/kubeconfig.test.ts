import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterError } from '../../../src/cluster/clusterError';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { kubeConfigForContext, kubeconfigPaths, loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-kubeconfig-'));
}

function kubeconfigYaml(opts: {
  current?: string;
  clusters: [string, string][];
  users: [string, string][];
  contexts: [string, string, string, string?][];
}): string {
  const lines = ['apiVersion: v1', 'kind: Config'];
  if (opts.current) lines.push(`current-context: ${opts.current}`);
  lines.push('clusters:');
  for (const [name, server] of opts.clusters)
    lines.push(
      `- name: ${name}`,
      '  cluster:',
      `    server: ${server}`,
      '    insecure-skip-tls-verify: true',
    );
  lines.push('users:');
  for (const [name, token] of opts.users) lines.push(`- name: ${name}`, '  user:', `    token: ${token}`);
  lines.push('contexts:');
  for (const [name, cluster, user, ns] of opts.contexts) {
    lines.push(`- name: ${name}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`);
    if (ns) lines.push(`    namespace: ${ns}`);
  }
  return lines.join('\n') + '\n';
}

async function rejectsWith(promise: Promise<unknown>, reason: string): Promise<ClusterError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ClusterError, `expected ClusterError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    return e;
  }
  assert.fail(`expected a ClusterError '${reason}'`);
}

describe('cluster/kubeconfig', () => {
  it('merges every file in $KUBECONFIG with kubectl rules: first file wins per name and for current-context', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    fs.writeFileSync(
      a,
      kubeconfigYaml({
        current: 'dev',
        clusters: [['dev', 'https://dev.example:6443']],
        users: [['dev-user', 'tok-a']],
        contexts: [['dev', 'dev', 'dev-user', 'team-a']],
      }),
    );
    fs.writeFileSync(
      b,
      kubeconfigYaml({
        current: 'prod',
        // "dev" again: kubectl keeps the first definition; client-node's own merge would throw.
        clusters: [
          ['dev', 'https://other.example:6443'],
          ['prod', 'https://prod.example:6443'],
        ],
        users: [['prod-user', 'tok-b']],
        contexts: [
          ['dev', 'dev', 'dev-user', 'ignored'],
          ['prod', 'prod', 'prod-user'],
        ],
      }),
    );
    const missing = path.join(dir, 'does-not-exist.yaml');
    const loaded = await loadKubeconfig({ env: { KUBECONFIG: [a, missing, b].join(path.delimiter) } });
    assert.deepEqual(loaded.files, [a, b]);
    assert.equal(loaded.currentContext, 'dev');
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.server, c.namespace, c.file]),
      [
        ['dev', 'https://dev.example:6443', 'team-a', a],
        ['prod', 'https://prod.example:6443', undefined, b],
      ],
    );
    const { kubeConfig, context } = await kubeConfigForContext(loaded, 'prod');
    assert.equal(kubeConfig.getCurrentContext(), 'prod');
    assert.equal(kubeConfig.getCurrentCluster()?.server, 'https://prod.example:6443');
    assert.equal(context.user, 'prod-user');
    assert.equal(context.file, b, "a session's context names the file that defined it");
  });

  it('ContextInfo carries names only, never tokens', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      kubeconfigYaml({
        current: 'c',
        clusters: [['c', 'https://c:6443']],
        users: [['u', 'very-secret-token']],
        contexts: [['c', 'c', 'u', 'ns']],
      }),
    );
    const loaded = await loadKubeconfig({ path: file });
    assert.ok(!JSON.stringify(loaded.contexts).includes('very-secret-token'));
  });

  it('an explicit path (setting or --kubeconfig) wins over $KUBECONFIG', async () => {
    const dir = tempDir();
    const explicit = path.join(dir, 'explicit');
    fs.writeFileSync(
      explicit,
      kubeconfigYaml({
        current: 'x',
        clusters: [['x', 'https://x:1']],
        users: [['u', 't']],
        contexts: [['x', 'x', 'u']],
      }),
    );
    assert.deepEqual(kubeconfigPaths({ path: explicit, env: { KUBECONFIG: '/nope' } }), [explicit]);
    const loaded = await loadKubeconfig({ path: explicit, env: { KUBECONFIG: '/nope' } });
    assert.equal(loaded.currentContext, 'x');
  });

  it('falls back to ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths({ env: { HOME: '/home/someone' } }), [
      path.join('/home/someone', '.kube', 'config'),
    ]);
  });

  it('missing kubeconfig → noKubeconfig', async () => {
    const dir = tempDir();
    await rejectsWith(loadKubeconfig({ env: { HOME: dir } }), 'noKubeconfig');
    await rejectsWith(loadKubeconfig({ path: path.join(dir, 'nope') }), 'noKubeconfig');
    await rejectsWith(
      loadKubeconfig({
        env: { KUBECONFIG: [path.join(dir, 'a'), path.join(dir, 'b')].join(path.delimiter) },
      }),
      'noKubeconfig',
    );
  });

  it('broken YAML → badKubeconfig, without quoting the file (it may hold a token)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: "leaked-token\n  : : [\n');
    const err = await rejectsWith(loadKubeconfig({ path: file }), 'badKubeconfig');
    assert.ok(!err.message.includes('leaked-token'), err.message);
  });

  it('YAML that is not a kubeconfig, or invalid entries → badKubeconfig', async () => {
    const dir = tempDir();
    const notConfig = path.join(dir, 'a');
    fs.writeFileSync(notConfig, 'just a string\n');
    await rejectsWith(loadKubeconfig({ path: notConfig }), 'badKubeconfig');
    const noServer = path.join(dir, 'b');
    fs.writeFileSync(noServer, 'clusters:\n- name: c\n  cluster: {}\n');
    await rejectsWith(loadKubeconfig({ path: noServer }), 'badKubeconfig');
  });

  it('an unknown context, or http:// without insecure-skip-tls-verify → badKubeconfig', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      'current-context: c\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n',
    );
    const loaded = await loadKubeconfig({ path: file });
    await rejectsWith(kubeConfigForContext(loaded, 'nope'), 'badKubeconfig');
    await rejectsWith(kubeConfigForContext(loaded, 'c'), 'badKubeconfig');
  });

  describe('against a server', () => {
    let server: FakeApiServer;
    before(async () => {
      server = new FakeApiServer();
      await server.start();
      server.put('pods', { metadata: { name: 'p', namespace: 'default' } });
    });
    after(() => server.stop());

    it('exec credential plugins run through client-node', async () => {
      const dir = tempDir();
      const plugin = path.join(dir, 'plugin.js');
      fs.writeFileSync(
        plugin,
        `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(FIXTURE_TOKEN)} } }));\n`,
      );
      const file = path.join(dir, 'config');
      fs.writeFileSync(
        file,
        [
          'current-context: exec',
          'clusters:',
          '- name: fake',
          `  cluster: {server: "${server.url}", insecure-skip-tls-verify: true}`,
          'users:',
          '- name: exec-user',
          '  user:',
          '    exec:',
          '      apiVersion: client.authentication.k8s.io/v1',
          `      command: ${JSON.stringify(process.execPath)}`,
          `      args: [${JSON.stringify(plugin)}]`,
          '      interactiveMode: Never',
          'contexts:',
          '- name: exec',
          '  context: {cluster: fake, user: exec-user}',
          '',
        ].join('\n'),
      );
      const session = await ClusterSession.open(await loadKubeconfig({ path: file }), 'exec', {
        kinds: ['Pod'],
      });
      try {
        const [state] = await session.whenSettled(10_000);
        assert.equal(state?.status, 'synced');
        assert.deepEqual(
          session.list('Pod').map((p) => p.metadata?.name),
          ['p'],
        );
      } finally {
        await session.close();
      }
    });

    it('a credential plugin that is missing → badKubeconfig; one that fails → unauthorized, its stderr not surfaced', async () => {
      const dir = tempDir();
      const failing = path.join(dir, 'failing.js');
      fs.writeFileSync(
        failing,
        `process.stderr.write('error: token leaked-in-stderr expired'); process.exit(1);\n`,
      );
      const file = path.join(dir, 'config');
      const user = (name: string, command: string, args: string[]) => [
        `- name: ${name}`,
        '  user:',
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1',
        `      command: ${JSON.stringify(command)}`,
        `      args: ${JSON.stringify(args)}`,
      ];
      fs.writeFileSync(
        file,
        [
          'clusters:',
          '- name: fake',
          `  cluster: {server: "${server.url}", insecure-skip-tls-verify: true}`,
          'users:',
          ...user('missing', path.join(dir, 'no-such-plugin'), []),
          ...user('failing', process.execPath, [failing]),
          'contexts:',
          '- name: missing',
          '  context: {cluster: fake, user: missing}',
          '- name: failing',
          '  context: {cluster: fake, user: failing}',
          '',
        ].join('\n'),
      );
      const loaded = await loadKubeconfig({ path: file });
      for (const [context, reason] of [
        ['missing', 'badKubeconfig'],
        ['failing', 'unauthorized'],
      ] as const) {
        const session = await ClusterSession.open(loaded, context, { kinds: ['Pod'] });
        try {
          const [state] = await session.whenSettled(10_000);
          assert.equal(state?.status, 'error');
          assert.equal(state?.error?.reason, reason, state?.error?.message);
          assert.ok(
            !JSON.stringify({ m: state?.error?.message, d: state?.error?.detail }).includes(
              'leaked-in-stderr',
            ),
          );
        } finally {
          await session.close();
        }
      }
    });

    it('a wrong token → unauthorized state, not a crash', async () => {
      const session = await ClusterSession.open(
        await loadKubeconfig({ path: server.writeKubeconfig('wrong-token') }),
        'fake',
        { kinds: ['Pod'] },
      );
      try {
        const [state] = await session.whenSettled(10_000);
        assert.equal(state?.status, 'error');
        assert.equal(state?.error?.reason, 'unauthorized');
        assert.equal(session.isUnavailable('Pod'), true);
      } finally {
        await session.close();
      }
    });
  });
});
