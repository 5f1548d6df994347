// End to end with the simulated cluster: each demo/workspace scenario, run by the demo's own
// kubelet and controllers, is diagnosed with the finding its story is about, merged per workload.
import { strict as assert } from 'node:assert';
import type { AnalysisOptions } from '../../../../src/analysis/analyze';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { KindMap, KindName } from '../../../../src/kube/clusterView';
import { KIND_NAMES } from '../../../../src/kube/clusterView';
import type { Finding } from '../../../../src/analysis/finding';
import type { KubeObject } from '../../../../src/kube/types';
import { toKeyedObject } from '../../../../src/kube/keyedObject';
import { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { Harness } from '../../demo/sim/harness';

function diagnose(file: string, seconds: number): Finding[] {
  const h = new Harness();
  h.applyFile(file);
  h.advance(seconds);
  const objects: Partial<Record<KindName, KubeObject[]>> = {};
  for (const kind of KIND_NAMES) {
    const list = h.store.list(kind);
    objects[kind] = kind === 'ConfigMap' || kind === 'Secret' ? list.map(toKeyedObject) : list;
  }
  const view = new MemoryClusterView(objects as Partial<{ [K in KindName]: readonly KindMap[K][] }>, () =>
    h.clock.now(),
  );
  const options: AnalysisOptions = {
    logs: (pod, container, previous) =>
      h.sim.logLines(pod.namespace ?? '', pod.name, container, previous)?.map((l) => l.text),
  };
  return analyzeCluster(view, options);
}

const scenarios: {
  file: string;
  seconds: number;
  code: string;
  workload?: string;
  path: string;
  evidence?: string;
}[] = [
  {
    file: 'missing-cm.yaml',
    seconds: 30,
    code: 'configmap-missing',
    path: 'containers[name=test-container].env[name=MY_KEY1].valueFrom.configMapKeyRef.name',
  },
  {
    file: 'high-mem-request-deploy.yaml',
    seconds: 30,
    code: 'insufficient-memory',
    workload: 'Deployment/nginx-deployment',
    path: 'containers[name=nginx].resources.requests.memory',
    evidence: 'seen on 3 pods',
  },
  {
    file: 'apache.yaml',
    seconds: 300,
    code: 'crash-loop',
    workload: 'Deployment/apache',
    path: 'containers[name=apache].name',
    evidence: 'Could not open configuration file',
  },
  {
    file: 'liveness-exec.yaml',
    seconds: 600,
    code: 'liveness-probe-failed',
    workload: 'Deployment/session-cache',
    path: 'containers[name=cache].livenessProbe',
  },
  {
    file: 'report-worker.yaml',
    seconds: 600,
    code: 'oom-killed',
    workload: 'Deployment/report-worker',
    path: 'containers[name=worker].resources.limits.memory',
  },
  {
    file: 'web-frontend.yaml',
    seconds: 120,
    code: 'image-not-found',
    workload: 'Deployment/web-frontend',
    path: 'containers[name=web].image',
  },
  {
    file: 'db-migrate.yaml',
    seconds: 600,
    code: 'job-backoff-exceeded',
    workload: 'Job/db-migrate',
    path: 'spec.backoffLimit',
  },
];

describe('demo scenarios, diagnosed', () => {
  for (const s of scenarios) {
    it(`${s.file}: ${s.code}`, () => {
      const findings = diagnose(s.file, s.seconds);
      const matching = findings.filter((f) => f.code === s.code);
      assert.equal(
        matching.length,
        s.code === 'configmap-missing' ? 2 : 1,
        JSON.stringify(findings.map((f) => `${f.code} ${f.subject.name}`)),
      );
      const finding = matching[0] as Finding;
      assert.equal(finding.blame.paths[0], s.path);
      if (s.workload)
        assert.equal(`${finding.workload?.kind ?? ''}/${finding.workload?.name ?? ''}`, s.workload);
      if (s.evidence)
        assert.ok(
          finding.evidence.some((e) => e.includes(s.evidence ?? '')),
          finding.evidence.join('\n'),
        );
    });
  }

  it('frontend.yaml is healthy: no findings', () => {
    assert.deepEqual(diagnose('frontend.yaml', 120), []);
  });
});
