import { strict as assert } from 'node:assert';
import type { Node, Taint, Toleration } from '../../../src/kube/types';
import { toleratesTaint, tolerationsTolerateTaint, untoleratedTaint } from '../../../src/kube/tolerations';

const gpu: Taint = { key: 'gpu', value: 'a100', effect: 'NoSchedule' };

describe('toleratesTaint (Toleration.ToleratesTaint)', () => {
  const cases: [string, Toleration, boolean][] = [
    ['Equal with the same value', { key: 'gpu', operator: 'Equal', value: 'a100' }, true],
    ['Equal with another value', { key: 'gpu', operator: 'Equal', value: 'h100' }, false],
    ['empty operator means Equal', { key: 'gpu', value: 'a100' }, true],
    ['empty operator with another value', { key: 'gpu', value: 'h100' }, false],
    ['Exists ignores the value', { key: 'gpu', operator: 'Exists' }, true],
    ['another key', { key: 'disk', operator: 'Exists' }, false],
    ['empty key with Exists tolerates every taint', { operator: 'Exists' }, true],
    ['effect must match when set', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, false],
    ['empty effect matches every effect', { key: 'gpu', operator: 'Exists', effect: '' }, true],
    // The copies in the demo and the analysis compared values for any operator but Exists.
    ['an unknown operator tolerates nothing', { key: 'gpu', operator: 'Equals', value: 'a100' }, false],
    ['Gt is not known before its feature gate', { key: 'gpu', operator: 'Gt', value: 'a100' }, false],
  ];
  for (const [name, toleration, expected] of cases) {
    it(name, () => assert.equal(toleratesTaint(toleration, gpu), expected));
  }
});

describe('tolerationsTolerateTaint / untoleratedTaint', () => {
  it('any one toleration is enough; none tolerates nothing', () => {
    assert.equal(
      tolerationsTolerateTaint([{ key: 'x', operator: 'Exists' }, { operator: 'Exists' }], gpu),
      true,
    );
    assert.equal(tolerationsTolerateTaint(undefined, gpu), false);
  });

  it('only NoSchedule and NoExecute taints keep a pod off a node', () => {
    const node: Node = {
      spec: {
        taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, gpu, { key: 'evict', effect: 'NoExecute' }],
      },
    };
    assert.equal(untoleratedTaint(node, [])?.key, 'gpu');
    assert.equal(untoleratedTaint(node, [{ key: 'gpu', operator: 'Exists' }])?.key, 'evict');
    assert.equal(untoleratedTaint(node, [{ operator: 'Exists' }]), undefined);
  });
});
