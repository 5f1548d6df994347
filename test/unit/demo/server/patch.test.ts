import { strict as assert } from 'node:assert';
import { StatusError } from '../../../../src/demo/apiserver/errors';
import { jsonMergePatch, jsonPatch } from '../../../../src/demo/apiserver/patch';
import { strategicMergePatch } from '../../../../src/demo/apiserver/strategicMerge';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, replaces lists and deletes on null', () => {
    const out = jsonMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] });
    assert.deepEqual(out, { a: 1, b: { d: 3, e: 4 }, l: [3] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove, move, copy and test', () => {
    const doc = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'x', image: 'i:1' }] } };
    const out = jsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'i:2' },
      { op: 'test', path: '/metadata/labels/a', value: '1' },
      { op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/c' },
      { op: 'move', from: '/metadata/labels/b', path: '/metadata/labels/d' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'y' } },
    ]);
    assert.deepEqual(out, {
      metadata: { labels: { c: '1', d: '2' } },
      spec: { containers: [{ name: 'x', image: 'i:2' }, { name: 'y' }] },
    });
    assert.deepEqual(doc.metadata.labels, { a: '1' }, 'input untouched');
  });

  it('fails a test op with 422', () => {
    assert.throws(
      () => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]),
      (e: unknown) => e instanceof StatusError && e.code === 422,
    );
  });
});

describe('strategic merge patch', () => {
  const pod = {
    metadata: { labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'app:1',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [{ containerPort: 80 }],
        },
        { name: 'side', image: 'side:1' },
      ],
      tolerations: [{ key: 'k1', operator: 'Exists' }],
      volumes: [{ name: 'v1', emptyDir: {} }],
    },
  };

  it('merges containers and env by name, replaces atomic lists (tolerations)', () => {
    const out = strategicMergePatch(pod, {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'app:2',
            env: [
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
          },
        ],
        tolerations: [{ key: 'k2', operator: 'Exists' }],
      },
    }) as typeof pod;
    assert.equal(out.spec.containers.length, 2);
    assert.equal(out.spec.containers[0]?.image, 'app:2');
    assert.deepEqual(out.spec.containers[0]?.env, [
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    assert.deepEqual(out.spec.containers[0]?.ports, [{ containerPort: 80 }]);
    assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Exists' }]);
  });

  it('honours $patch: delete, $setElementOrder and $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch(pod, {
      metadata: { ['$deleteFromPrimitiveList/finalizers']: ['a'] },
      spec: {
        ['$setElementOrder/containers']: [{ name: 'side' }, { name: 'app' }],
        containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }],
        volumes: [{ name: 'v1', $patch: 'delete' }],
      },
    }) as typeof pod;
    assert.deepEqual(out.metadata.finalizers, []);
    assert.deepEqual(
      out.spec.containers.map((c) => c.name),
      ['side', 'app'],
    );
    assert.deepEqual(out.spec.containers[1]?.env, [{ name: 'B', value: '2' }]);
    assert.deepEqual(out.spec.volumes, []);
  });

  it('deletes map keys on null and replaces a map on $patch: replace', () => {
    const out = strategicMergePatch(pod, {
      metadata: { labels: { $patch: 'replace', tier: 'x' } },
      spec: { volumes: null },
    }) as Record<string, Record<string, unknown>>;
    assert.deepEqual(out['metadata']?.['labels'], { tier: 'x' });
    assert.equal(out['spec']?.['volumes'], undefined);
  });
});
