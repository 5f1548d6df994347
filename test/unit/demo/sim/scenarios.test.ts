// Each demo scenario, applied from demo/workspace exactly as the demo applies it, reaches the
// STATUS its story tells (kubectl's printPod via podRow), and applying its fix changes that.
import { strict as assert } from 'node:assert';
import { Harness } from './harness';

describe('demo scenarios', () => {
  it('missing-cm: CreateContainerConfigError until key-cm exists, then Running', () => {
    const h = new Harness();
    h.applyFile('missing-cm.yaml');
    h.advance(10);
    assert.equal(h.status('demo', 'missing-cm'), 'CreateContainerConfigError');
    const pod = h.pod('demo', 'missing-cm');
    assert.deepEqual(pod.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "key-cm" not found' });
    assert.ok(h.messages('demo', 'missing-cm').includes('Failed: Error: configmap "key-cm" not found'));
    h.applyFile('fixes/key-cm.yaml');
    h.advance(1);
    assert.equal(h.status('demo', 'missing-cm'), 'Running');
    assert.equal(h.rows('demo', 'missing-cm')[0], '1/1 Running 0');
  });
});
