// Issue 10, Secrets: Secrets with values, loaded into the demo cluster the way `kubectl apply`
// loads them (values in `data` and in the last-applied annotation), never reach the live store,
// the CLI's text or JSON, or the cluster layer's log; key names still do. The extension-host half
// (hovers, documents, tree, report, log channel) is test/integration/secretValues.test.ts.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { DiagnoseJson } from '../../src/cli/report';
import { ClusterSession } from '../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../src/cluster/kubeconfig';
import { startDemoCluster } from '../../src/demo/demoCluster';
import type { DemoCluster } from '../../src/demo/demoCluster';
import { ManualClock } from '../../src/demo/manualClock';
import { applyYaml } from '../../src/demo/yamlApply';
import { KIND_NAMES } from '../../src/kube/clusterView';
import { describeDocumentText } from '../../src/live/liveDocumentText';
import type { SecretSentinels } from '../hostile/secretValues';
import {
  assertNoSecretValue,
  makeSentinels,
  MISSING_KEY_MESSAGE,
  SECRET_NAMESPACE,
  SECRET_POD,
  secretManifest,
} from '../hostile/secretValues';
import { recordingLogger, until } from './cluster/until';

const CONTEXT = 'podscope-demo';

describe('Secret values stay out of the store, the CLI and the log', function () {
  this.timeout(60_000);
  let cluster: DemoCluster;
  let sentinels: SecretSentinels;
  let manifest: string;
  let dir: string;

  before(async () => {
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    cluster = await startDemoCluster({ clock, workspaceDir: '' });
    cluster.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SECRET_NAMESPACE } });
    cluster.simulation.flush(); // its default ServiceAccount, which pod admission needs
    sentinels = makeSentinels();
    manifest = secretManifest(sentinels, CONTEXT);
    // The demo's `kubectl apply`: it records the last-applied annotation, values and all.
    applyYaml(cluster.store, manifest, 'secrets.yaml');
    for (let i = 0; i < 6; i++) clock.advance(10_000);
    const stored = JSON.stringify(cluster.store.list('Secret'));
    assert.ok(
      stored.includes(Buffer.from(sentinels.password).toString('base64')),
      'the server holds the values',
    );
    dir = mkdtempSync(join(tmpdir(), 'podscope-secrets-'));
    writeFileSync(join(dir, 'secrets.yaml'), manifest);
  });

  after(() => cluster.stop());

  it('the live store keeps key names only, and the cluster layer logs no value', async () => {
    const logger = recordingLogger();
    const session = await ClusterSession.open(
      await loadKubeconfig({ path: cluster.kubeconfigPath }),
      CONTEXT,
      {
        logger,
      },
    );
    try {
      await until(
        session,
        () => session.get('Pod', SECRET_NAMESPACE, SECRET_POD) !== undefined,
        'the pod',
        20_000,
      );
      await until(
        session,
        () => session.list('Secret', SECRET_NAMESPACE).length === 2,
        'both Secrets',
        20_000,
      );
      const everything = JSON.stringify(KIND_NAMES.map((kind) => session.store.list(kind)));
      assertNoSecretValue(everything, sentinels, 'the ClusterStore');
      assertNoSecretValue(logger.lines.join('\n'), sentinels, 'the cluster log');
      const secret = session.get('Secret', SECRET_NAMESPACE, 'db-credentials');
      assert.deepEqual((secret as { keys?: string[] }).keys, ['password', 'username']);
      // The describe document lists the keys where kubectl does, by name only.
      const describe = describeDocumentText(session, 'Secret', SECRET_NAMESPACE, 'db-credentials') ?? '';
      assert.match(describe, /^Type:\s+Opaque\nData\n====\npassword\nusername\n/m);
      assertNoSecretValue(describe, sentinels, 'the Secret’s describe');
      const pod = describeDocumentText(session, 'Pod', SECRET_NAMESPACE, SECRET_POD) ?? '';
      assert.match(pod, /DB_PASSWORD:\s+<set to the key 'password' in secret 'db-credentials'>/);
      assertNoSecretValue(pod, sentinels, 'the pod’s describe');
    } finally {
      session.dispose();
    }
  });

  for (const format of ['text', 'json'] as const) {
    it(`podscope diagnose --format ${format} names the missing key and shows no value`, async () => {
      let stdout = '';
      let stderr = '';
      await main(['diagnose', 'secrets.yaml', '--kubeconfig', cluster.kubeconfigPath, '--format', format], {
        cwd: dir,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      });
      assertNoSecretValue(stdout + stderr, sentinels, `diagnose ${format}`);
      if (format === 'json') {
        const report = JSON.parse(stdout) as DiagnoseJson;
        const finding = report.findings.find((f) => f.code === 'secret-key-missing');
        assert.ok(finding, stdout);
        assert.ok(
          finding.evidence.some((e) => e.includes(MISSING_KEY_MESSAGE)),
          finding.evidence.join('\n'),
        );
        // The fix offers the keys that exist, by name.
        assert.ok(JSON.stringify(finding.fixes).includes('password'), JSON.stringify(finding.fixes));
      } else assert.match(stdout, /secret-key-missing/);
    });
  }
});
