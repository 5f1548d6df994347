// memory-near-limit (seed 003): a running container at ≥ 90 % of its memory limit, by the working
// set metrics.k8s.io reports. Table-driven from catalog example 15 (container app, request 128Mi,
// limit 256Mi, Running) with usage fed as AnalysisOptions.memoryUsage, as a live context does.
import { strict as assert } from 'node:assert';
import type { AnalysisOptions } from '../../../../src/analysis/analyze';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import { raisedMemoryLimit } from '../../../../src/analysis/findings/memoryUsage';
import type { Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import { expectFinding } from './expectFinding';

const Mi = 2 ** 20;
const app = 'containers[name=app]';
const usage = (bytes: number | undefined): AnalysisOptions => ({
  memoryUsage: (_pod, container) => (container === 'app' ? bytes : undefined),
});

function example15(change: (pod: Pod) => void): MemoryClusterView {
  const example = loadExample('15');
  change(example.pod as Pod);
  return viewOf(objectsOf(example));
}

describe('findings/memoryUsage: memory-near-limit', () => {
  it('usage 240Mi of a 256Mi limit: a warning on limits.memory, usage/request/limit side by side, a tidy raise', () => {
    const findings = analyzeCluster(catalogView('15'), usage(240 * Mi));
    expectFinding(findings, {
      code: 'memory-near-limit',
      severity: 'warning',
      container: 'app',
      paths: [`${app}.resources.limits.memory`, `${app}.resources`, `${app}.name`],
      message: ['uses 240Mi of its 256Mi memory limit (93 %)'],
      evidence: ['app: memory usage 240Mi · request 128Mi · limit 256Mi (93 % of the limit'],
      // 1.5 × 240Mi = 360Mi, rounded up to the next tidy step.
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.limits.memory`, value: '384Mi' }],
    });
  });

  const none: { name: string; view: () => MemoryClusterView; options: AnalysisOptions }[] = [
    { name: 'usage at 89 % of the limit', view: () => catalogView('15'), options: usage(228 * Mi) },
    { name: 'a cluster without metrics (no usage known)', view: () => catalogView('15'), options: {} },
    { name: 'metrics without this container', view: () => catalogView('15'), options: usage(undefined) },
    {
      name: 'no memory limit (nothing to be near)',
      view: () => example15((pod) => delete pod.spec!.containers[0]!.resources!.limits),
      options: usage(10_000 * Mi),
    },
    {
      name: 'already OOM-killed: oom-killed says it',
      view: () =>
        example15((pod) => {
          pod.status!.containerStatuses![0]!.lastState = {
            terminated: { reason: 'OOMKilled', exitCode: 137 },
          };
        }),
      options: usage(250 * Mi),
    },
    {
      name: 'a pod that is not running',
      view: () => example15((pod) => (pod.status!.phase = 'Pending')),
      options: usage(250 * Mi),
    },
  ];
  for (const { name, view, options } of none) {
    it(`nothing for ${name}`, () => {
      const codes = analyzeCluster(view(), options).map((f) => f.code);
      assert.ok(!codes.includes('memory-near-limit'), codes.join(', '));
    });
  }

  it('the raise is above the current limit even when usage is just at it', () => {
    assert.equal(raisedMemoryLimit(256 * Mi, 256 * Mi), '384Mi');
    assert.equal(raisedMemoryLimit(120 * Mi, 128 * Mi), '192Mi');
    assert.equal(raisedMemoryLimit(1900 * Mi, 2048 * Mi), '3Gi');
  });
});

describe('findings/oomKilled with observed usage', () => {
  it('the fix says which usage it was sized against when metrics exist', () => {
    const view = catalogView('11');
    const without = analyzeCluster(view).find((f) => f.code === 'oom-killed');
    const withUsage = analyzeCluster(view, {
      memoryUsage: (_pod, container) => (container === without?.container?.name ? 300 * Mi : undefined),
    }).find((f) => f.code === 'oom-killed');
    assert.ok(without && withUsage);
    assert.ok(!without.evidence.some((e) => e.includes('observed memory usage')));
    assert.ok(withUsage.evidence.includes('observed memory usage: 300Mi'), withUsage.evidence.join('\n'));
    assert.match(withUsage.fixes[0]?.title ?? '', /1\.5× observed usage 300Mi/);
  });
});
