import { strict as assert } from 'node:assert';
import { qosClass } from '../../../src/kube/qos';
import type { Container, Pod } from '../../../src/kube/types';

type Resources = Container['resources'];
const pod = (...resources: Resources[]): Pod => ({
  spec: {
    containers: resources.map((r, i) => ({ name: `c${i}`, image: 'app', ...(r ? { resources: r } : {}) })),
  },
});
const both = (cpu: string, memory: string): Record<string, string> => ({ cpu, memory });

describe('qosClass (ComputePodQOS)', () => {
  const cases: [string, Pod, string][] = [
    ['no resources', pod(undefined, {}), 'BestEffort'],
    ['requests equal limits', pod({ requests: both('1', '1Gi'), limits: both('1', '1Gi') }), 'Guaranteed'],
    ['limits only: requests default to them', pod({ limits: both('500m', '256Mi') }), 'Guaranteed'],
    [
      'a request below its limit',
      pod({ requests: both('250m', '1Gi'), limits: both('1', '1Gi') }),
      'Burstable',
    ],
    ['a cpu limit without a memory limit', pod({ limits: { cpu: '1' } }), 'Burstable'],
    ['one container without limits', pod({ limits: both('1', '1Gi') }, {}), 'Burstable'],
    // The apiserver's copy compared the text, so these were Burstable in the demo.
    [
      'equal quantities in other units',
      pod({ requests: both('1000m', '1024Mi'), limits: both('1', '1Gi') }),
      'Guaranteed',
    ],
    // Both copies counted any key; Kubernetes looks at cpu and memory only, and only above zero.
    ['only ephemeral-storage', pod({ requests: { 'ephemeral-storage': '1Gi' } }), 'BestEffort'],
    ['only an extended resource limit', pod({ limits: { 'nvidia.com/gpu': '1' } }), 'BestEffort'],
    ['zero requests', pod({ requests: both('0', '0') }), 'BestEffort'],
    ['zero cpu limit is no limit', pod({ limits: { cpu: '0', memory: '1Gi' } }), 'Burstable'],
  ];
  for (const [name, p, expected] of cases) {
    it(name, () => assert.equal(qosClass(p), expected));
  }

  it('counts init containers: one without limits makes the pod Burstable', () => {
    const p = pod({ limits: both('1', '1Gi') });
    p.spec!.initContainers = [{ name: 'init', image: 'app', resources: { requests: { cpu: '100m' } } }];
    assert.equal(qosClass(p), 'Burstable');
  });
});
