// analyzeCluster/analyzeObject: workload attribution, one finding per workload and field,
// precedence, and clean text.
import { strict as assert } from 'node:assert';
import { analyzeCluster, analyzeObject, mergeFindings } from '../../../../src/analysis/analyze';
import type { Pod } from '../../../../src/kube/types';
import { CATALOG_NOW, loadExample, objectsOf, viewOf } from './catalogView';
import { only } from './expectFinding';
import { checkoutHistory } from './history';

/** Example 11's OOMKilled pod, copied under another name (same ReplicaSet), `n` times. */
function oomReplicas(n: number): Pod[] {
  const pods: Pod[] = [];
  for (let i = 0; i < n; i++) {
    const pod = loadExample('11').pod as Pod;
    if (pod.metadata) {
      pod.metadata.name = `checkout-6d8f7b9c5-r${i}`;
      pod.metadata.uid = `uid-${i}`;
    }
    const status = pod.status?.containerStatuses?.[0];
    if (status?.lastState?.terminated) status.lastState.terminated.finishedAt = `2025-06-10T09:0${i}:58Z`;
    pods.push(pod);
  }
  return pods;
}

describe('analyzeCluster', () => {
  it('merges one failure on three pods of a workload into one finding that names them', () => {
    const view = viewOf([...oomReplicas(3), ...checkoutHistory([{ name: 'app' }], [{ name: 'app' }])]);
    const findings = analyzeCluster(view);
    const oom = only(findings, 'oom-killed');
    assert.deepEqual(oom.workload, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
      uid: '1e09ff39-284d-5ba7-b67c-8bf68a10c0d2',
    });
    assert.ok(oom.message.endsWith('(3 pods)'), oom.message);
    assert.equal(
      oom.evidence[0],
      'seen on 3 pods: checkout-6d8f7b9c5-r0, checkout-6d8f7b9c5-r1, checkout-6d8f7b9c5-r2',
    );
    assert.equal(oom.subject.name, 'checkout-6d8f7b9c5-r2', 'the newest pod leads');
    assert.equal(oom.lastSeen, '2025-06-10T09:02:58Z');
  });

  it('keeps bare pods with the same failure apart', () => {
    const pods = oomReplicas(2);
    for (const pod of pods) if (pod.metadata) delete pod.metadata.ownerReferences;
    const findings = analyzeCluster(viewOf(pods));
    assert.equal(findings.length, 2);
    assert.ok(findings.every((f) => f.workload === undefined));
  });

  it('analyzeObject returns the per-pod finding; mergeFindings merges them as analyzeCluster does', () => {
    const view = viewOf(oomReplicas(2));
    const perPod = ['checkout-6d8f7b9c5-r0', 'checkout-6d8f7b9c5-r1'].flatMap((name) =>
      analyzeObject(view, 'Pod', 'shop', name),
    );
    assert.equal(perPod.length, 2);
    assert.deepEqual(mergeFindings(perPod), analyzeCluster(view));
    assert.deepEqual(analyzeObject(view, 'Pod', 'shop', 'gone'), []);
  });

  it('strips terminal escape sequences from cluster text', () => {
    const example = loadExample('13');
    const status = (example.pod as Pod).status?.containerStatuses?.[0];
    if (status?.lastState?.terminated)
      status.lastState.terminated.message = '\u001b[31mpanic:\u001b[0m boom\u001b]0;pwned\u0007\r\n';
    const crash = only(analyzeCluster(viewOf(objectsOf(example))), 'crash-loop');
    assert.ok(crash.evidence.includes('panic: boom'), JSON.stringify(crash.evidence));
    assert.ok(!JSON.stringify(crash).includes('\\u001b'));
  });

  it('strips escapes from spec text it interpolates (an image is free text)', () => {
    const example = loadExample('10');
    const pod = example.pod as Pod;
    const container = pod.spec?.containers[0];
    if (container) container.image = 'Nginx\u001b]0;title\u0007:1.27';
    const finding = only(analyzeCluster(viewOf(objectsOf(example))), 'image-invalid');
    assert.equal(finding.message, 'Container "app": image "Nginx:1.27" is not a valid image reference');
  });

  it('puts errors before warnings', () => {
    const findings = analyzeCluster(
      viewOf([...objectsOf(loadExample('15')), ...objectsOf(loadExample('11'))]),
    );
    const severities = findings.map((f) => f.severity);
    assert.deepEqual(
      severities,
      [...severities].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)),
    );
    assert.equal(severities[0], 'error');
  });

  it('reads the clock only through the view (deterministic output)', () => {
    const view = viewOf(objectsOf(loadExample('14')));
    assert.equal(view.now(), CATALOG_NOW);
    assert.deepEqual(analyzeCluster(view), analyzeCluster(view));
  });
});
