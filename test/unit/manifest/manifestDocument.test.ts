import { strict as assert } from 'node:assert';
import { parseManifestFile } from '../../../src/manifest/manifestDocument';
import type { ManifestDocument } from '../../../src/manifest/manifestDocument';
import { fixture, fixtureText } from './fixtures';

const summary = (d: ManifestDocument): string =>
  d.status === 'object'
    ? `${d.index}${d.itemIndex === undefined ? '' : `.${d.itemIndex}`} ${d.identity.apiVersion} ${d.identity.kind} ${d.identity.namespace ?? '-'}/${d.identity.name}`
    : `${d.index}${d.itemIndex === undefined ? '' : `.${d.itemIndex}`} skipped ${d.skip.code}: ${d.skip.reason}`;

describe('manifestDocument', () => {
  const cases: { file: string; documents: string[]; skip?: string }[] = [
    { file: 'deployment-indented.yaml', documents: ['0 apps/v1 Deployment shop/web'] },
    { file: 'cronjob.yaml', documents: ['0 batch/v1 CronJob -/nightly'] },
    {
      file: 'multi.yaml',
      documents: [
        '0 v1 Service -/web',
        '1 skipped notKubernetes: not a Kubernetes object (no apiVersion/kind)',
        '2 skipped empty: empty document',
        '3 v1 ConfigMap shop/web-config',
        '4 example.com/v1alpha1 Widget -/gizmo',
      ],
    },
    {
      file: 'malformed.yaml',
      documents: [
        '0 v1 ConfigMap -/good',
        '1 skipped malformed: YAML error at 11:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
        '2 v1 Secret -/after',
      ],
    },
    {
      file: 'list.yaml',
      documents: [
        '0.0 v1 Pod -/one',
        '0.1 skipped noName: Pod: uses generateName, so no live object can be matched to it',
      ],
    },
    {
      file: 'helm-template.yaml',
      documents: [],
      skip: 'helmTemplate: template directive ({{ … }}) at 4:9: render the chart first',
    },
    {
      file: 'kustomization.yaml',
      documents: [],
      skip: 'kustomize: Kustomize file (kustomization.yaml), not a manifest',
    },
  ];
  for (const c of cases) {
    it(`reads ${c.file}`, () => {
      const file = fixture(c.file);
      assert.deepEqual(file.documents.map(summary), c.documents);
      assert.equal(file.skip ? `${file.skip.code}: ${file.skip.reason}` : undefined, c.skip);
    });
  }

  it('reports the malformed document position 0-based', () => {
    const bad = fixture('malformed.yaml').documents[1];
    assert.equal(bad?.status, 'skipped');
    assert.deepEqual(bad?.status === 'skipped' ? bad.skip.position : undefined, { line: 10, character: 0 });
  });

  const inline: {
    name: string;
    text: string;
    options?: { fileName?: string; maxBytes?: number };
    expect: string;
  }[] = [
    {
      name: 'a file over the size cap',
      text: 'a: b\n'.repeat(10),
      options: { maxBytes: 20 },
      expect: 'tooLarge: file is larger than 20 bytes',
    },
    {
      name: 'a Kustomization by its apiVersion',
      text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
      options: { fileName: 'base/kust.yaml' },
      expect: '0 skipped kustomize: Kustomize Kustomization, not a manifest',
    },
    {
      name: 'a strategic-merge patch without a name',
      text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n',
      expect: '0 skipped noName: Deployment: no metadata.name (a patch?)',
    },
    {
      name: 'a JSON6902 patch',
      text: '- op: replace\n  path: /spec/replicas\n  value: 3\n',
      expect: '0 skipped notKubernetes: not a Kubernetes object (not a mapping)',
    },
    {
      name: 'a Helm control line',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n{{- if .Values.extra }}\ndata: {}\n{{- end }}\n',
      expect: 'helmTemplate: template directive ({{ … }}) at 5:1: render the chart first',
    },
    {
      name: 'any directive in a chart templates/ folder',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ $x }}"\n',
      options: { fileName: 'chart/templates/cm.yaml' },
      expect: 'helmTemplate: template directive ({{ … }}) at 4:10: render the chart first',
    },
    {
      name: 'a Prometheus template inside a quoted value (kept)',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rules\ndata:\n  msg: "{{ $labels.instance }} down"\n',
      expect: '0 v1 ConfigMap -/rules',
    },
    {
      name: 'Alertmanager templates inside a block scalar (kept)',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: am\ndata:\n  slack.tmpl: |\n    {{ define "t" }}\n    {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n    {{ end }}\n',
      expect: '0 v1 ConfigMap -/am',
    },
    {
      name: 'a document whose structure is templated, next to a plain one',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {{ .Labels }}\n',
      expect:
        '0 v1 ConfigMap -/plain\n1 skipped helmTemplate: template directive ({{ … }}) at 10:11: render the chart first',
    },
    {
      name: 'a template line that breaks YAML',
      text: 'apiVersion: v1\nkind: ConfigMap\n{{ if .Enabled }}\nmetadata:\n  name: x\n{{ end }}\n',
      expect: '0 skipped helmTemplate: template directive ({{ … }}) at 3:1: render the chart first',
    },
    {
      name: 'a typed list (PodList)',
      text: 'apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: ns}\n',
      expect: '0.0 v1 Pod ns/p',
    },
    {
      name: 'an alias bomb',
      text: 'a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\napiVersion: v1\nkind: X\n',
      expect:
        '0 skipped malformed: YAML error: ReferenceError: Excessive alias count indicates a resource exhaustion attack',
    },
    { name: 'an empty file', text: '', expect: '' },
  ];
  for (const c of inline) {
    it(`skips or reads ${c.name}`, () => {
      const file = parseManifestFile(c.text, c.options);
      const got = file.skip
        ? `${file.skip.code}: ${file.skip.reason}`
        : file.documents.map(summary).join('\n');
      assert.equal(got, c.expect);
    });
  }

  it('prints no process warning for a mapping key that is a collection (the editor host console stays quiet)', async () => {
    const warnings: string[] = [];
    const listener = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', listener);
    try {
      parseManifestFile('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, b]\n  : c\n', {
        fileName: 'x.yaml',
      });
      // process.emitWarning delivers on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    assert.deepEqual(warnings, []);
  });

  it('gives each document its own offsets', () => {
    const text = fixtureText('multi.yaml');
    const file = parseManifestFile(text);
    const cm = file.documents[3];
    // A document's extent starts at its `---` marker.
    assert.equal(text.slice(cm?.start ?? 0, (cm?.start ?? 0) + 18), '---\napiVersion: v1');
    assert.equal(file.lines.positionAt(cm?.start ?? 0).line, 12);
  });

  it('detects indentation styles', () => {
    assert.deepEqual(fixture('deployment-indented.yaml').style, { indent: 2, indentSequences: true });
    assert.deepEqual(fixture('deployment-flush.yaml').style, { indent: 2, indentSequences: false });
    assert.deepEqual(fixture('pod-4space.yaml').style, { indent: 4, indentSequences: true });
  });
});
