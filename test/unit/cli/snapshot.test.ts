import { strict as assert } from 'node:assert';
import { loadSnapshot } from '../../../src/cli/snapshot';
import { UsageError } from '../../../src/cli/usageError';

describe('diagnose --snapshot', () => {
  it('reads a kubectl List with mixed kinds and keeps only key names of Secrets', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop' } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db', namespace: 'shop' },
          data: { password: 'c2VjcmV0' },
        },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
      ],
    });
    const { objects, ignored } = loadSnapshot([{ file: 'state.json', text }]);
    assert.equal(objects.Pod?.[0]?.metadata?.name, 'web-1');
    assert.deepEqual(objects.Secret?.[0]?.keys, ['password']);
    assert.ok(!JSON.stringify(objects).includes('c2VjcmV0'));
    assert.equal(ignored, 1);
  });

  it('gives items of a typed list (PodList) their kind', () => {
    const text = 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n';
    assert.equal(loadSnapshot([{ file: 'pods.yaml', text }]).objects.Pod?.length, 1);
  });

  it('turns events.k8s.io/v1 events into the core/v1 shape analysis reads', () => {
    const text = JSON.stringify({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'demo' },
      regarding: { kind: 'Pod', name: 'web-1', namespace: 'demo' },
      note: '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 Insufficient memory.',
      reason: 'FailedScheduling',
      type: 'Warning',
      eventTime: '2025-06-10T09:00:00.000000Z',
      reportingController: 'default-scheduler',
    });
    const [event] = loadSnapshot([{ file: 'e.json', text }]).objects.Event ?? [];
    assert.equal(event?.involvedObject.name, 'web-1');
    assert.match(event?.message ?? '', /^0\/5 nodes are available/);
    assert.equal(event?.reportingComponent, 'default-scheduler');
  });

  it('rejects a file that is not a snapshot with a usage error naming the file', () => {
    assert.throws(
      () => loadSnapshot([{ file: 'notes.txt', text: 'just: [unclosed' }]),
      (e: unknown) => e instanceof UsageError && e.message.startsWith('notes.txt:'),
    );
    assert.throws(() => loadSnapshot([{ file: 'x.json', text: '{"hello": 1}' }]), /no "kind" field/);
  });
});
