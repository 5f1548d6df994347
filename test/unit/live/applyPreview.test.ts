// The apply flow's pure parts: which document of a file is applied, and the two sides of the
// dry-run diff (server bookkeeping left out, Secret values never shown).
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { documentAt, previewText } from '../../../src/live/applyPreview';
import { parseManifestFile } from '../../../src/manifest/manifestDocument';

const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: a, namespace: demo }
---
apiVersion: v1
kind: Secret
metadata: { name: b, namespace: demo }
`;

describe('live/applyPreview', () => {
  it('picks the document under the offset, or the only one, never a guess among several', () => {
    const manifest = parseManifestFile(text, { fileName: 'x.yaml' });
    assert.equal(documentAt(manifest, 5)?.identity.name, 'a');
    assert.equal(documentAt(manifest, text.indexOf('kind: Secret'))?.identity.name, 'b');
    assert.equal(documentAt(manifest, undefined), undefined);
    const single = parseManifestFile('kind: Pod\napiVersion: v1\nmetadata: {name: p}\n', {
      fileName: 'p.yaml',
    });
    assert.equal(documentAt(single, undefined)?.identity.name, 'p');
  });

  it('leaves out status and server bookkeeping, so the diff shows only what the apply changes', () => {
    const live = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'w',
        namespace: 'demo',
        uid: 'u',
        resourceVersion: '12',
        generation: 3,
        creationTimestamp: '2025-06-10T09:00:00Z',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: { replicas: 1 },
      status: { readyReplicas: 0 },
    };
    assert.deepEqual(parse(previewText(live)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', namespace: 'demo' },
      spec: { replicas: 1 },
    });
    assert.equal(previewText(undefined), '');
  });

  it('hides Secret values on both sides, saying only which ones the apply changes', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'MQ==', b: 'Mg==' },
    };
    const next = { ...live, data: { a: 'MQ==', b: 'Mw==' } };
    const left = previewText(live, next);
    const right = previewText(next, live);
    for (const side of [left, right]) assert.ok(!/MQ==|Mg==|Mw==/.test(side), side);
    assert.deepEqual((parse(right) as { data: unknown }).data, { a: '<hidden>', b: '<hidden, changed>' });
    assert.deepEqual((parse(left) as { data: unknown }).data, { a: '<hidden>', b: '<hidden, changed>' });
  });
});
