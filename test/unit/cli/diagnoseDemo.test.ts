// `podscope diagnose` against the running demo cluster, over HTTPS with its kubeconfig: every
// scenario of demo/workspace is reported on the field its story blames.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import type { DiagnoseJson } from '../../../src/cli/report';
import { startDemoCluster } from '../../../src/demo/demoCluster';
import type { DemoCluster } from '../../../src/demo/demoCluster';
import { ManualClock } from '../../../src/demo/manualClock';

const repo = join(__dirname, '../../..');

/** file → the code its scenario must produce, and the text of the line the squiggle starts on. */
const expected: { file: string; code: string; line: RegExp }[] = [
  { file: 'missing-cm.yaml', code: 'configmap-missing', line: /name: key-cm/ },
  { file: 'high-mem-request-deploy.yaml', code: 'insufficient-memory', line: /memory: "?64Gi/ },
  { file: 'apache.yaml', code: 'crash-loop', line: /- name: apache\b/ },
  { file: 'opscruise-loggw.yaml', code: 'crash-loop', line: /./ },
  { file: 'high-mem-no-priority.yaml', code: 'insufficient-memory', line: /memory:/ },
  { file: 'activator.yaml', code: 'readiness-probe-failed', line: /readinessProbe:/ },
  { file: 'liveness-exec.yaml', code: 'liveness-probe-failed', line: /livenessProbe:/ },
  { file: 'report-worker.yaml', code: 'oom-killed', line: /memory: "?128Mi/ },
  { file: 'web-frontend.yaml', code: 'image-not-found', line: /image: "?nginx:1\.27\.99/ },
  { file: 'db-migrate.yaml', code: 'job-backoff-exceeded', line: /backoffLimit: 2/ },
];

describe('podscope diagnose against the demo cluster', function () {
  this.timeout(60_000);
  let cluster: DemoCluster;
  let report: DiagnoseJson;
  let exitCode: number;

  before(async () => {
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    cluster = await startDemoCluster({ clock });
    // Ten simulated minutes: long enough for back-offs, probe failures and the Job's retries.
    for (let i = 0; i < 60; i++) clock.advance(10_000);
    // The whole folder: fixes/ holds fixed copies of some objects, each to be judged on its own text.
    let stdout = '';
    exitCode = await main(
      ['diagnose', join('demo', 'workspace'), '--kubeconfig', cluster.kubeconfigPath, '--format', 'json'],
      {
        cwd: repo,
        stdout: (t) => (stdout += t),
        stderr: (t) => process.stderr.write(t),
      },
    );
    report = JSON.parse(stdout) as DiagnoseJson;
  });

  after(() => cluster.stop());

  for (const { file, code, line } of expected) {
    it(`${file}: ${code} on ${String(line)}`, () => {
      const path = join('demo', 'workspace', file);
      const finding = report.findings.find((f) => f.file === path && f.code === code);
      const found = report.findings.filter((f) => f.file === path).map((f) => f.code);
      assert.ok(finding, `no ${code} in ${file}; found: ${found.join(', ') || 'nothing'}`);
      const text = readFileSync(join(repo, path), 'utf8').split('\n')[finding.range.start.line] ?? '';
      assert.match(text, line);
      assert.ok(finding.evidence.length > 0, 'a finding without evidence from the cluster');
    });
  }

  it('judges each copy of an object by its own text: no value of one file is reported on another', () => {
    for (const [file, own] of [
      ['report-worker.yaml', /limits:\n\s+memory: (\S+)/],
      ['web-frontend.yaml', /image: "?([^"\s]+)/],
      ['high-mem-request-deploy.yaml', /requests:\n\s+memory: "?([^"\s]+)/],
    ] as const) {
      const original = join('demo', 'workspace', file);
      const fixed = join('demo', 'workspace', 'fixes', file);
      const value = (path: string): string => own.exec(readFileSync(join(repo, path), 'utf8'))?.[1] ?? '?';
      assert.deepEqual(
        report.findings.filter((f) => f.file === original && f.code === 'live-drift'),
        [],
        `${file} is what runs: it has no drift`,
      );
      const drift = report.findings.filter((f) => f.file === fixed && f.code === 'live-drift');
      assert.equal(drift.length, 1, `one drift in fixes/${file}`);
      assert.ok(drift[0]?.message.includes(`this file says "${value(fixed)}"`), drift[0]?.message);
      assert.ok(
        drift[0]?.evidence.some((e) => e.startsWith(`the live object matches ${original}:`)),
        drift[0]?.evidence.join('\n'),
      );
      // The failure itself is shown on the copy as changed since, never as an error with a fix for
      // the value the copy no longer has.
      for (const f of report.findings.filter((f) => f.file === fixed && f.code !== 'live-drift')) {
        assert.equal(f.severity, 'info', `${f.code} in fixes/${file}`);
        assert.match(f.message, /changed since the failure .*this file: .*apply to check$/);
        assert.deepEqual(f.fixes, []);
      }
    }
  });

  it('fails the run (exit 1) because errors were found, and reports healthy workloads with no error', () => {
    assert.equal(exitCode, 1);
    for (const healthy of ['frontend.yaml', 'node-exporter.yaml']) {
      const errors = report.findings.filter(
        (f) => f.file === join('demo', 'workspace', healthy) && f.severity === 'error',
      );
      assert.deepEqual(
        errors.map((f) => f.code),
        [],
        healthy,
      );
    }
  });
});

describe('podscope diagnose when the cluster is unreachable or partly forbidden', function () {
  this.timeout(60_000);

  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { cwd: repo, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('exits 2 with one line naming the server when nothing answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podscope-unreachable-'));
    const kubeconfig = join(dir, 'kubeconfig');
    // Port 1 on loopback: connection refused at once.
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await run([
      'diagnose',
      'demo/workspace/missing-cm.yaml',
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'podscope: cannot reach the API server (ECONNREFUSED) at https://127.0.0.1:1\n');
  });

  it('says on stderr which kinds RBAC hid, and still reports what it could read', async () => {
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    const cluster = await startDemoCluster({ clock });
    try {
      for (let i = 0; i < 6; i++) clock.advance(10_000);
      cluster.server.rbac.forbid({ resource: 'events' });
      const { code, stdout, stderr } = await run([
        'diagnose',
        'demo/workspace/missing-cm.yaml',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--format',
        'json',
      ]);
      assert.match(
        stderr,
        /^podscope: note: Event: events: not allowed cluster-wide; .*; findings that need it may be missing$/m,
      );
      const report = JSON.parse(stdout) as DiagnoseJson;
      assert.ok(
        report.findings.some((f) => f.code === 'configmap-missing'),
        'the pod status alone still tells',
      );
      assert.equal(code, 1);
    } finally {
      await cluster.stop();
    }
  });
});
