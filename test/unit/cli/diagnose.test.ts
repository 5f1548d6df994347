import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { DiagnoseJson } from '../../../src/cli/report';

const example = JSON.parse(
  readFileSync(
    join(__dirname, '../../fixtures/catalog/02-createcontainerconfigerror-configmap-key-missing.json'),
    'utf8',
  ),
) as { pod: Record<string, unknown>; events: unknown[]; related: Record<string, unknown>[] };

// The catalog pod belongs to ReplicaSet checkout-6d8f7b9c5; the snapshot adds that ReplicaSet and
// its Deployment, as `kubectl get deploy,rs,pods,events,cm -o json` would print them.
const deploymentUid = '0f3c6b1e-0000-4000-8000-000000000001';
const snapshot = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop', uid: deploymentUid },
      spec: {},
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'checkout-6d8f7b9c5',
        namespace: 'shop',
        uid: 'e1cc5be7-b81d-593d-b80b-20d5c5fdfe1a',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'checkout',
            uid: deploymentUid,
            controller: true,
          },
        ],
      },
    },
    { apiVersion: 'v1', kind: 'Pod', ...example.pod },
    ...example.events.map((e) => ({ apiVersion: 'v1', kind: 'Event', ...(e as object) })),
    ...example.related,
  ],
};

const manifest = `# checkout service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/checkout:1.4.2
          env:
            - name: APP_MODE
              valueFrom:
                configMapKeyRef:
                  name: app-config
                  key: mode
`;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd: dir, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

let dir: string;

describe('podscope diagnose --snapshot', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'podscope-cli-'));
    writeFileSync(join(dir, 'state.json'), JSON.stringify(snapshot));
    writeFileSync(join(dir, 'checkout.yaml'), manifest);
    writeFileSync(
      join(dir, 'chart.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    );
  });

  it('puts a missing ConfigMap key on configMapKeyRef.key of the Deployment, as JSON', async () => {
    const { code, stdout } = await run([
      'diagnose',
      'checkout.yaml',
      '--snapshot',
      'state.json',
      '--format',
      'json',
    ]);
    const report = JSON.parse(stdout) as DiagnoseJson;
    const finding = report.findings.find((f) => f.code === 'configmap-key-missing');
    assert.ok(finding, stdout);
    assert.equal(finding.file, 'checkout.yaml');
    // `key: mode` is on line 18 (1-based); the squiggle covers the value `mode`.
    assert.deepEqual(finding.range, { start: { line: 17, character: 23 }, end: { line: 17, character: 27 } });
    assert.deepEqual(finding.object, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
    });
    assert.ok(
      finding.evidence.some((e) => e.includes("couldn't find key mode in ConfigMap shop/app-config")),
      finding.evidence.join('\n'),
    );
    assert.ok(finding.fixes.length > 0);
    assert.equal(code, 1);
  });

  it('prints FILE:LINE:COL lines as text, skips Helm templates with a reason, and honours --fail-on none', async () => {
    const { code, stdout } = await run(['diagnose', '.', '--snapshot', 'state.json', '--fail-on', 'none']);
    assert.match(stdout, /^checkout\.yaml:18:24: error configmap-key-missing: /m);
    assert.match(stdout, /^chart\.yaml: skipped: .*template/im);
    assert.equal(code, 0);
  });

  it('lists in JSON the documents that match nothing in the cluster, as the text output does', async () => {
    const cart =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cart\n  namespace: shop\nspec: {}\n';
    const undeployed = join(dir, 'undeployed');
    mkdirSync(undeployed);
    writeFileSync(join(undeployed, 'both.yaml'), `${manifest}---\n${cart}`);
    const json = await run(['diagnose', 'undeployed', '--snapshot', 'state.json', '--format', 'json']);
    const report = JSON.parse(json.stdout) as DiagnoseJson;
    assert.deepEqual(report.notDeployed, [
      {
        file: join('undeployed', 'both.yaml'),
        // 0-based like the ranges: `apiVersion` of the second document (line 20), after its `---`.
        line: 19,
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' },
      },
    ]);
    const text = await run(['diagnose', 'undeployed', '--snapshot', 'state.json']);
    assert.match(
      text.stdout,
      /^undeployed\/both\.yaml:20:1: note: Deployment shop\/cart is not in the cluster$/m,
    );
  });

  it('prints each path as it was given: relative with ./, absolute, or below a folder named with a slash', async () => {
    const files = async (argv: string[]): Promise<string[]> => {
      const { stdout } = await run([...argv, '--snapshot', 'state.json', '--format', 'json']);
      return (JSON.parse(stdout) as DiagnoseJson).findings.map((f) => f.file);
    };
    assert.deepEqual(await files(['diagnose', './checkout.yaml']), ['./checkout.yaml']);
    assert.deepEqual(await files(['diagnose', join(dir, 'checkout.yaml')]), [join(dir, 'checkout.yaml')]);
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'deeper', 'checkout.yaml'), manifest);
    assert.deepEqual(await files(['diagnose', './nested/']), ['./nested/deeper/checkout.yaml']);
    assert.deepEqual(await files(['diagnose', dir.concat('/nested')]), [
      `${dir}/nested/deeper/checkout.yaml`,
    ]);
    // One file named twice keeps its first spelling and is diagnosed once.
    assert.deepEqual(await files(['diagnose', 'nested/deeper/checkout.yaml', './nested']), [
      'nested/deeper/checkout.yaml',
    ]);
  });

  it('skips a manifest over 2 MB without reading it, and still diagnoses the others', async () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'huge.yaml'), `# ${'x'.repeat(3 * 1024 * 1024)}\n`);
    writeFileSync(join(big, 'checkout.yaml'), manifest);
    const { code, stdout } = await run(['diagnose', 'big', '--snapshot', 'state.json', '--format', 'json']);
    const report = JSON.parse(stdout) as DiagnoseJson;
    assert.deepEqual(report.skipped, [
      { file: join('big', 'huge.yaml'), reason: 'larger than 2 MB (3.0 MB)' },
    ]);
    assert.ok(
      report.findings.some(
        (f) => f.file === join('big', 'checkout.yaml') && f.code === 'configmap-key-missing',
      ),
    );
    assert.equal(code, 1);
  });

  it('exits 2 with one line for an unreadable snapshot or a missing path', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"kind": "List", "items": [');
    const broken = await run(['diagnose', 'checkout.yaml', '--snapshot', 'broken.json']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^podscope: broken\.json: /);
    assert.equal(broken.stderr.trim().split('\n').length, 1);
    const missing = await run(['diagnose', 'nowhere.yaml', '--snapshot', 'state.json']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'podscope: nowhere.yaml: no such file or folder\n');
  });

  it('exits 2 with one line when the kubeconfig does not exist', async () => {
    const { code, stderr } = await run([
      'diagnose',
      'checkout.yaml',
      '--kubeconfig',
      join(dir, 'no-such-kubeconfig'),
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /^podscope: no kubeconfig found: .*no-such-kubeconfig does not exist/);
    assert.equal(stderr.trim().split('\n').length, 1);
  });
});

describe('podscope diagnose --request-timeout', () => {
  // A server that accepts connections and never answers.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  let kubeconfig: string;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kubeconfig = join(dir, 'hung-kubeconfig');
    writeFileSync(
      kubeconfig,
      `current-context: hung\nclusters:\n- name: hung\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: hung\n  context: {cluster: hung, user: u}\n`,
    );
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a server that never answers after the given time, with one line and exit status 2', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await run([
      'diagnose',
      'checkout.yaml',
      '--kubeconfig',
      kubeconfig,
      '--request-timeout',
      '300ms',
    ]);
    const took = Date.now() - started;
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^podscope: the cluster did not answer in time: the API server did not answer within 300 ms/,
    );
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    // Without the flag this waits 60 s.
    assert.ok(took < 5000, `took ${took} ms`);
  });
});
