import { strict as assert } from 'node:assert';
import { analyzeCluster, analyzeObject } from '../../../../src/analysis/analyze';
import type { Pod } from '../../../../src/kube/types';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import { expectFinding } from './expectFinding';

describe('service findings (catalog §18)', () => {
  it('27 selector typo: blame spec.selector.app, fix it to the pods’ label', () => {
    expectFinding(analyzeCluster(catalogView('27')), {
      code: 'service-no-endpoints',
      severity: 'error',
      subject: 'Service/checkout',
      root: 'object',
      paths: ['spec.selector.app', 'spec.selector'],
      message: ['app=check-out'],
      evidence: ['EndpointSlice checkout-w7m2q: no endpoints', 'has labels app=checkout'],
      fix: [{ op: 'set', root: 'object', path: 'spec.selector.app', value: 'checkout' }],
    });
  });

  it('15 selected pods exist but none is ready: a warning on the selector, no fix', () => {
    expectFinding(analyzeCluster(catalogView('15')), {
      code: 'service-no-endpoints',
      severity: 'warning',
      root: 'object',
      paths: ['spec.selector'],
      evidence: [
        'EndpointSlice checkout-8xq2m: 1 endpoints, none ready',
        'checkout-6d8f7b9c5-rdy01 matches app=checkout but is not ready',
      ],
      noFix: true,
    });
  });

  it('27 with the selector fixed: nothing to report', () => {
    const example = loadExample('27');
    const service = (example.related ?? []).find((o) => o.kind === 'Service');
    (service?.['spec'] as { selector: Record<string, string> }).selector = { app: 'checkout' };
    const pod = (example.related ?? []).find((o) => o.kind === 'Pod') as Pod;
    assert.ok(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    assert.deepEqual(analyzeCluster(viewOf(objectsOf(example))), []);
  });

  it('analyzeObject(Service) gives the same finding as analyzeCluster', () => {
    const view = catalogView('27');
    assert.deepEqual(analyzeObject(view, 'Service', 'shop', 'checkout'), analyzeCluster(view));
  });
});
