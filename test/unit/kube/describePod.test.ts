// Podscope's describe document must read exactly like `kubectl describe pod`: every pod of the
// demo cluster (one per failure scenario) is described both ways from the same state, on a
// stopped clock, and the texts must be equal byte for byte.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCluster } from '../../../src/demo/demoCluster';
import type { DemoCluster } from '../../../src/demo/demoCluster';
import { ManualClock } from '../../../src/demo/manualClock';
import { describePod } from '../../../src/kube/describe/describePod';
import { MemoryClusterView } from '../../../src/kube/memoryClusterView';
import type { KubeEvent, KubeObject, Pod } from '../../../src/kube/types';
import type { Harness } from '../demo/server/harness';
import { KUBECTL, kubectl as runKubectl } from '../demo/server/harness';

describe('kube/describe/describePod against kubectl describe', function () {
  this.timeout(120_000);
  let cluster: DemoCluster;
  let target: Harness;
  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout, code, stderr } = await runKubectl(target, args);
    assert.equal(code, 0, stderr);
    return stdout;
  };

  before(async function () {
    if (!KUBECTL) this.skip();
    const clock = new ManualClock('2025-06-10T09:00:00Z');
    const dir = mkdtempSync(join(tmpdir(), 'podscope-describe-'));
    cluster = await startDemoCluster({ clock, kubeconfigOut: join(dir, 'kubeconfig') });
    target = { kubeconfig: cluster.kubeconfigPath, dir } as Harness;
    for (let s = 0; s < 300; s += 5) clock.advance(5_000);
  });
  after(() => cluster?.stop());

  it('prints every demo pod exactly as kubectl does', async () => {
    const list = async (kind: string): Promise<KubeObject[]> =>
      (JSON.parse(await kubectl('get', kind, '-n', 'demo', '-o', 'json')) as { items: KubeObject[] }).items;
    const pods = (await list('pods')) as Pod[];
    const events = await list('events');
    // kubectl measures event ages on this machine's clock; the stopped demo clock does not move.
    const view = new MemoryClusterView({ Pod: pods, Event: events as KubeEvent[] }, () => Date.now());
    assert.ok(pods.length >= 10, `only ${pods.length} demo pods`);
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      assert.equal(describePod(view, pod), await kubectl('describe', 'pod', '-n', 'demo', name), name);
    }
  });
});
