import { strict as assert } from 'node:assert';
import { toKeyedObject } from '../../../src/kube/keyedObject';

describe('toKeyedObject', () => {
  it('keeps the key names of a Secret and no value anywhere', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'db',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}',
          team: 'payments',
        },
        managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:password': {} } } }],
      },
      data: { password: 'aHVudGVyMg==' },
      stringData: { username: 'admin' },
    };
    const keyed = toKeyedObject(secret);
    assert.deepEqual(keyed.keys, ['password', 'username']);
    assert.equal(keyed.type, 'Opaque');
    assert.equal(keyed.metadata?.annotations?.['team'], 'payments');
    const text = JSON.stringify(keyed);
    assert.ok(!text.includes('aHVudGVyMg=='), 'the encoded value leaked');
    assert.ok(!text.includes('admin'), 'a stringData value leaked');
    assert.ok(!text.includes('managedFields'));
  });

  it('lists binaryData keys of a ConfigMap with the data keys', () => {
    const keyed = toKeyedObject({
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { b: '1' },
      binaryData: { a: 'AA==' },
    });
    assert.deepEqual(keyed.keys, ['a', 'b']);
  });
});
