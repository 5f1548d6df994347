import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
