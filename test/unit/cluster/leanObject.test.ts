import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { leanObject } from '../../../src/cluster/leanObject';
import { WATCHED_RESOURCES } from '../../../src/cluster/resourceTypes';

const resource = (kind: string) => WATCHED_RESOURCES.find((r) => r.kind === kind)!;

describe('cluster/leanObject', () => {
  it('keeps only key names of a Secret, from data, binaryData and stringData', () => {
    const secret: KubeObject = {
      metadata: {
        name: 's',
        namespace: 'ns',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}',
          keep: 'me',
        },
      },
      type: 'Opaque',
      data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
      binaryData: { blob: 'AAAA' },
      stringData: { token: 'plain-text-token' },
    };
    const lean = leanObject(resource('Secret'), secret);
    assert.deepEqual(lean, {
      keys: ['blob', 'password', 'token', 'user'],
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns', annotations: { keep: 'me' } },
      type: 'Opaque',
    });
    const text = JSON.stringify(lean);
    for (const value of ['aHVudGVyMg==', 'YWRtaW4=', 'AAAA', 'plain-text-token', 'hunter2'])
      assert.ok(!text.includes(value), value);
  });

  it('keeps only key names of a ConfigMap', () => {
    const lean = leanObject(resource('ConfigMap'), {
      metadata: { name: 'c' },
      data: { 'app.conf': 'x=1' },
      immutable: true,
    });
    assert.deepEqual(lean, {
      keys: ['app.conf'],
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      immutable: true,
    });
  });

  it('drops managedFields and last-applied-configuration, and fills apiVersion/kind of list items', () => {
    const lean = leanObject(resource('Deployment'), {
      metadata: {
        name: 'd',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: { replicas: 2 },
    });
    assert.deepEqual(lean, {
      metadata: { name: 'd', annotations: {} },
      spec: { replicas: 2 },
      apiVersion: 'apps/v1',
      kind: 'Deployment',
    });
  });
});
