// The editor's pure pipeline for one open file: findings placed on this file's text, following
// edits (ranges move, a changed blamed field is shown as changed since the failure), re-parsing
// only the document that changed, and following the cluster without a re-parse.
import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../src/analysis/analyze';
import type { Finding } from '../../../src/analysis/finding';
import type { ObjectRef } from '../../../src/kube/objectRef';
import { refKey } from '../../../src/kube/objectRef';
import type { KubeObject, Pod } from '../../../src/kube/types';
import { FileDiagnosis } from '../../../src/live/fileDiagnosis';
import { summarizeObject, summaryLine } from '../../../src/live/objectSummary';
import { loadExample, objectsOf, viewOf } from '../analysis/findings/catalogView';

const CHECKOUT = `# podscope: namespace=shop
apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/checkout:1.4.2
          resources:
            limits:
              memory: 128Mi # tight
`;

/** Example 11 (OOMKilled) with the Deployment above its ReplicaSet, as the live cluster. */
function cluster(limit = '128Mi'): { objects: KubeObject[]; pod: Pod } {
  const example = loadExample('11');
  const pod = example.pod as Pod;
  const container = pod.spec?.containers[0];
  if (container) container.resources = { limits: { memory: limit } };
  const template = { spec: pod.spec };
  return {
    pod,
    objects: [
      ...objectsOf(example),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'checkout', namespace: 'shop', uid: 'dep' },
        spec: { replicas: 3, template },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'checkout-6d8f7b9c5',
          namespace: 'shop',
          uid: 'e1cc5be7-b81d-593d-b80b-20d5c5fdfe1a',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout', uid: 'dep', controller: true },
          ],
        },
        spec: { template },
      },
    ],
  };
}

function input(objects: KubeObject[]) {
  const view = viewOf(objects);
  const byOwner = new Map<string, Finding[]>();
  for (const f of analyzeCluster(view)) {
    const key = refKey(f.workload ?? f.subject);
    byOwner.set(key, [...(byOwner.get(key) ?? []), f]);
  }
  return { view, findingsOf: (ref: ObjectRef) => byOwner.get(refKey(ref)) ?? [], defaultNamespace: 'shop' };
}

const lineOf = (text: string, offset: number): string =>
  text.slice(text.lastIndexOf('\n', offset - 1) + 1).split('\n')[0] ?? '';

describe('FileDiagnosis', () => {
  it('places the OOM kill on this file’s memory limit, with its fix', () => {
    const file = new FileDiagnosis('checkout.yaml');
    const manifest = file.setText(CHECKOUT);
    const [oom, ...rest] = file.diagnose(input(cluster().objects));
    assert.deepEqual(
      rest.map((p) => p.finding.code),
      [],
    );
    assert.equal(oom?.finding.code, 'oom-killed');
    assert.equal(oom.finding.severity, 'error');
    assert.deepEqual(oom.range, { start: { line: 20, character: 22 }, end: { line: 20, character: 27 } });
    assert.equal(lineOf(manifest.text, oom.offsets.start), '              memory: 128Mi # tight');
    assert.equal(oom.fixEdits[0]?.edits[0]?.newText, '256Mi');
  });

  it('moves the finding with the text and re-parses only the edited document', () => {
    const file = new FileDiagnosis('checkout.yaml');
    const first = file.setText(CHECKOUT);
    const deploymentAst = first.chunks?.[1]?.asts[0];
    const edited = CHECKOUT.replace('  a: "1"\n', '  a: "1"\n  b: "2"\n  c: "3"\n');
    const second = file.setText(edited);
    assert.equal(second.chunks?.[1]?.asts[0], deploymentAst, 'the Deployment was not parsed again');
    const [oom] = file.diagnose(input(cluster().objects));
    assert.equal(oom?.range.start.line, 22);
    assert.equal(lineOf(second.text, oom.offsets.start), '              memory: 128Mi # tight');
  });

  it('shows the failure as changed since, with drift, once the user edits the blamed value', () => {
    const file = new FileDiagnosis('checkout.yaml');
    file.setText(CHECKOUT.replace('memory: 128Mi', 'memory: 512Mi'));
    const placements = file.diagnose(input(cluster().objects));
    const codes = placements.map((p) => `${p.finding.code} ${p.finding.severity} ${p.range.start.line}`);
    assert.deepEqual(codes.sort(), ['live-drift info 20', 'oom-killed info 20']);
    const oom = placements.find((p) => p.finding.code === 'oom-killed');
    assert.match(
      oom?.finding.message ?? '',
      /changed since the failure \(live: 128Mi, this file: 512Mi\); apply to check$/,
    );
    assert.deepEqual(oom?.fixEdits, []);
  });

  it('follows the cluster without a re-parse: a recovered workload loses its squiggle', () => {
    const file = new FileDiagnosis('checkout.yaml');
    const manifest = file.setText(CHECKOUT);
    assert.equal(file.diagnose(input(cluster().objects)).length, 1);
    const { objects, pod } = cluster();
    const status = pod.status?.containerStatuses?.[0];
    if (status) {
      status.state = { running: { startedAt: '2025-06-10T09:10:00Z' } };
      status.lastState = {};
      status.ready = true;
    }
    assert.deepEqual(file.diagnose(input(objects)), []);
    assert.equal(file.setText(CHECKOUT), manifest, 'same text, same parse');
    assert.deepEqual([...file.objectKeys('shop')].sort(), [
      'ConfigMap/shop/unrelated',
      'Deployment/shop/checkout',
    ]);
  });
});

describe('objectSummary', () => {
  it('summarizes a crash-looping Deployment as kubectl would', () => {
    const { view } = input(cluster().objects);
    const summary = summarizeObject(view, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'checkout',
    });
    assert.equal(summaryLine(summary, 'prod'), '● 0/3 ready · CrashLoopBackOff · 4 restarts');
    assert.deepEqual(
      summary.pods.map((p) => [p.name, p.ready, p.status, p.restarts.replace(/\(.*\)/, '(…)')]),
      [['checkout-6d8f7b9c5-24f07', '0/1', 'CrashLoopBackOff', '4 (…)']],
    );
    assert.equal(summary.lastTermination?.reason, 'OOMKilled');
    assert.equal(summary.lastTermination?.exitCode, 137);
    assert.match(summary.warnings[0] ?? '', /^BackOff: Back-off restarting failed container app/);
  });

  it('words a Service as the Clusters view does: endpoints ready, no restart count', () => {
    const { objects, pod } = cluster();
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'checkout', namespace: 'shop' },
      spec: { selector: pod.metadata?.labels ?? {} },
    };
    const { view } = input([...objects, service]);
    const summary = summarizeObject(view, {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'shop',
      name: 'checkout',
    });
    assert.equal(summaryLine(summary, 'prod'), '● 0/1 endpoints ready · CrashLoopBackOff');
  });

  it('says when the object is not in the cluster', () => {
    const { view } = input(cluster().objects);
    const summary = summarizeObject(view, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'nope',
    });
    assert.equal(summaryLine(summary, 'prod'), '○ not in prod');
  });
});
