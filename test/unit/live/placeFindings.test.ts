import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/analysis/finding';
import { applyEdits } from '../../../src/manifest/textEdit';
import { placeFindings, skippedEntries, unmatchedDocuments } from '../../../src/live/placeFindings';
import type { ManifestSource } from '../../../src/live/placeFindings';
import { fixture } from '../manifest/fixtures';
import { toFindingJson } from '../../../src/cli/report';
import type { Placement } from '../../../src/live/placeFindings';

const json = (placement: Placement | undefined) => (placement ? toFindingJson(placement) : undefined);

const checkout = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'checkout' };
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name });

const oom: Finding = {
  code: 'oom-killed',
  severity: 'error',
  message: 'Container "app" was OOMKilled (limit 128Mi, exit code 137)',
  subject: pod('checkout-6d8f7b9c5-24f07'),
  workload: checkout,
  container: { name: 'app', kind: 'containers' },
  blame: {
    root: 'podSpec',
    paths: ['containers[name=app].resources.limits.memory', 'containers[name=app].name'],
  },
  evidence: [
    'back-off 1m20s restarting failed container=app pod=checkout-6d8f7b9c5-24f07_shop(5fe348c3-b4a4-5ff6-a330-537ba168facd)',
  ],
  fixes: [
    {
      title: 'Raise the memory limit to 256Mi',
      changes: [
        { op: 'set', root: 'podSpec', path: 'containers[name=app].resources.limits.memory', value: '256Mi' },
      ],
    },
    // Two fixes: one cannot be made in this file and is reported, not dropped silently.
    {
      title: 'Impossible',
      changes: [{ op: 'set', root: 'podSpec', path: 'containers[name=app].image.x', value: 1 }],
    },
  ],
};

const keyMissing: Finding = {
  code: 'configmap-key-missing',
  severity: 'error',
  message: 'ConfigMap shop/app-config has no key "mode"',
  subject: pod('checkout-6d8f7b9c5-3b48f'),
  workload: checkout,
  container: { name: 'app', kind: 'containers' },
  blame: {
    root: 'podSpec',
    paths: ['containers[name=app].env[name=APP_MODE].valueFrom.configMapKeyRef.key'],
  },
  evidence: ["couldn't find key mode in ConfigMap shop/app-config"],
  fixes: [
    {
      title: 'Use key "app_mode"',
      changes: [
        {
          op: 'set',
          root: 'podSpec',
          path: 'containers[name=app].env[name=APP_MODE].valueFrom.configMapKeyRef.key',
          value: 'app_mode',
        },
      ],
    },
  ],
};

const taint: Finding = {
  code: 'untolerated-taint',
  severity: 'warning',
  message: 'No node tolerates taint node-role.kubernetes.io/control-plane',
  subject: pod('checkout-6d8f7b9c5-8c2c4'),
  workload: checkout,
  blame: { root: 'podSpec', paths: ['tolerations', ''] },
  evidence: [
    '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 Insufficient memory.',
  ],
  fixes: [
    {
      title: 'Tolerate the control-plane taint',
      changes: [
        {
          op: 'append',
          root: 'podSpec',
          path: 'tolerations',
          value: { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        },
      ],
    },
  ],
};

const sources = (): ManifestSource[] => [
  { file: 'k8s/checkout.yaml', manifest: fixture('checkout.yaml') },
  { file: 'k8s/multi.yaml', manifest: fixture('multi.yaml') },
];

describe('placeFindings', () => {
  it('places an OOM on the memory limit with the contract JSON', () => {
    const [placed, ...rest] = placeFindings(sources(), [oom], { defaultNamespace: 'shop' });
    assert.equal(rest.length, 0);
    assert.deepEqual(json(placed), {
      file: 'k8s/checkout.yaml',
      range: { start: { line: 33, character: 22 }, end: { line: 33, character: 27 } },
      severity: 'error',
      code: 'oom-killed',
      message: 'Container "app" was OOMKilled (limit 128Mi, exit code 137)',
      object: checkout,
      evidence: oom.evidence,
      fixes: [
        {
          title: 'Raise the memory limit to 256Mi',
          edits: [
            {
              range: { start: { line: 33, character: 22 }, end: { line: 33, character: 27 } },
              newText: '256Mi',
            },
          ],
        },
      ],
    });
    assert.equal(placed?.blamedPath, 'spec.template.spec.containers[name=app].resources.limits.memory');
    assert.deepEqual(
      placed?.unavailableFixes.map((f) => f.title),
      ['Impossible'],
    );
  });

  it('shows a finding whose blamed field this file has changed as "changed since the failure", without fixes', () => {
    const liveDeployment = (limit: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'checkout', namespace: 'shop' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                image: 'x',
                resources: { limits: { memory: limit }, requests: { cpu: '100m' } },
              },
            ],
          },
        },
      },
    });
    const place = (limit: string) =>
      placeFindings(sources(), [oom], {
        defaultNamespace: 'shop',
        liveObject: (ref) => (ref.kind === 'Deployment' ? liveDeployment(limit) : undefined),
      })[0];
    // The same value written another way is no change.
    const same = place('0.125Gi');
    assert.equal(same?.changedSinceFailure, undefined);
    assert.equal(same?.finding.severity, 'error');
    const changed = place('64Mi');
    assert.deepEqual(changed?.changedSinceFailure, { live: '64Mi', file: '128Mi' });
    assert.equal(changed?.finding.severity, 'info');
    assert.equal(
      changed?.finding.message,
      'Container "app" was OOMKilled (limit 128Mi, exit code 137); changed since the failure (live: 64Mi, this file: 128Mi); apply to check',
    );
    assert.deepEqual(changed?.fixEdits, []);
    assert.deepEqual(changed?.range, same?.range, 'still on the field it is about');
  });

  it('applies a fix to the file text', () => {
    const [placed] = placeFindings(sources(), [keyMissing], { defaultNamespace: 'shop' });
    const text = placed?.source.manifest.text ?? '';
    assert.deepEqual(placed?.range, {
      start: { line: 27, character: 23 },
      end: { line: 27, character: 27 },
    });
    const fixed = applyEdits(text, placed?.fixEdits[0]?.edits ?? []);
    assert.equal(fixed, text.replace('key: mode', 'key: app_mode'));
  });

  it('falls back to the pod spec key and inserts tolerations there', () => {
    const [placed] = placeFindings(sources(), [taint], { defaultNamespace: 'shop' });
    assert.deepEqual(placed?.range, {
      start: { line: 18, character: 4 },
      end: { line: 18, character: 8 },
    });
    const text = placed?.source.manifest.text ?? '';
    assert.equal(
      applyEdits(text, placed?.fixEdits[0]?.edits ?? []),
      `${text}      tolerations:\n        - key: node-role.kubernetes.io/control-plane\n          operator: Exists\n          effect: NoSchedule\n`,
    );
  });

  it('matches namespaces: the default applies only to documents without one', () => {
    assert.equal(placeFindings(sources(), [oom], { defaultNamespace: 'default' }).length, 0);
    const elsewhere = { ...oom, workload: { ...checkout, namespace: 'default' } };
    assert.equal(placeFindings(sources(), [elsewhere], { defaultNamespace: 'default' }).length, 1);
  });

  it('places on a bare object when there is no workload, and by API group not version', () => {
    const service: Finding = {
      code: 'service-no-endpoints',
      severity: 'warning',
      message: 'Service web selects no ready pod',
      subject: { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'web' },
      blame: { root: 'object', paths: ['spec.selector'] },
      evidence: [],
      fixes: [],
    };
    const [placed] = placeFindings(sources(), [service], { defaultNamespace: 'default' });
    assert.equal(placed?.source.file, 'k8s/multi.yaml');
    assert.deepEqual(placed?.range.start, { line: 5, character: 2 });
    const v1beta = { ...oom, workload: { ...checkout, apiVersion: 'apps/v1beta2' } };
    assert.equal(placeFindings(sources(), [v1beta], { defaultNamespace: 'shop' }).length, 1);
    const wrongGroup = { ...oom, workload: { ...checkout, apiVersion: 'example.com/v1' } };
    assert.equal(placeFindings(sources(), [wrongGroup], { defaultNamespace: 'shop' }).length, 0);
  });

  it('rebases a subject-rooted path onto the workload, and falls back to the name', () => {
    const podPath: Finding = {
      ...oom,
      blame: { root: 'object', paths: ['spec.containers[name=app].image'] },
      fixes: [],
    };
    const [placed] = placeFindings(sources(), [podPath], { defaultNamespace: 'shop' });
    assert.equal(placed?.blamedPath, 'spec.template.spec.containers[name=app].image');
    const nothing: Finding = {
      ...oom,
      container: undefined,
      blame: { root: 'object', paths: ['status.nope'] },
      fixes: [],
    };
    const [fallback] = placeFindings(
      [{ file: 'm', manifest: fixture('multi.yaml') }],
      [{ ...nothing, workload: { apiVersion: 'v1', kind: 'Service', name: 'web' } }],
      { defaultNamespace: 'default' },
    );
    assert.equal(fallback?.blamedPath, undefined);
    assert.deepEqual(fallback?.range, {
      start: { line: 3, character: 8 },
      end: { line: 3, character: 11 },
    });
  });

  it('creates objects a fix asks for as new documents at the end of the file', () => {
    const create: Finding = {
      ...keyMissing,
      fixes: [
        {
          title: 'Create ConfigMap extra',
          changes: [],
          create: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { mode: '' } }],
        },
      ],
    };
    const [placed] = placeFindings(sources(), [create], { defaultNamespace: 'shop' });
    const text = placed?.source.manifest.text ?? '';
    assert.equal(
      applyEdits(text, placed?.fixEdits[0]?.edits ?? []),
      `${text}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  mode: ""\n`,
    );
  });

  it('lists documents that match nothing live', () => {
    const live = new Set(['Deployment/shop/checkout', 'Service/default/web']);
    const unmatched = unmatchedDocuments(
      sources(),
      (ref) => live.has(`${ref.kind}/${ref.namespace ?? ''}/${ref.name}`),
      { defaultNamespace: 'default' },
    );
    assert.deepEqual(
      unmatched.map((u) => `${u.source.file} ${u.object.kind}/${u.object.namespace ?? ''}/${u.object.name}`),
      [
        'k8s/checkout.yaml ConfigMap/default/app-config',
        'k8s/checkout.yaml Deployment/default/checkout',
        'k8s/multi.yaml ConfigMap/shop/web-config',
        'k8s/multi.yaml Widget/default/gizmo',
      ],
    );
  });

  it('lists skipped files and documents for the JSON output', () => {
    assert.deepEqual(
      skippedEntries([
        ...sources(),
        { file: 'chart/t.yaml', manifest: fixture('helm-template.yaml') },
        { file: 'bad.yaml', manifest: fixture('malformed.yaml') },
        { file: 'list.yaml', manifest: fixture('list.yaml') },
      ]),
      [
        {
          file: 'k8s/multi.yaml',
          reason: 'document 2 (line 8): not a Kubernetes object (no apiVersion/kind)',
        },
        { file: 'chart/t.yaml', reason: 'template directive ({{ … }}) at 4:9: render the chart first' },
        {
          file: 'bad.yaml',
          reason:
            'document 2 (line 5): YAML error at 11:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
        },
        {
          file: 'list.yaml',
          reason:
            'document 1 item 2 (line 12): Pod: uses generateName, so no live object can be matched to it',
        },
      ],
    );
  });
});
