// The API server's hooks: LogSource lines and follow from the simulated container runs, and
// metrics.k8s.io usage from the images' working sets.
import { strict as assert } from 'node:assert';
import type { Node } from '../../../../src/kube/types';
import { simulationLogSource, simulationMetrics } from '../../../../src/demo/sim/simHooks';
import { Harness } from './harness';

const ticker = `apiVersion: v1
kind: Pod
metadata: {name: ticker, namespace: demo}
spec:
  containers:
    - name: app
      image: busybox:1.36
      command: ["/bin/sh", "-c", "echo start; while true; do echo tick; sleep 5; done"]
      resources: {limits: {memory: 64Mi}}
`;

describe('simulation hooks', () => {
  it('LogSource returns the current run and follows new lines on the sim clock', () => {
    const h = new Harness();
    h.apply(ticker);
    h.advance(12);
    const logs = simulationLogSource(h.sim);
    const ref = { namespace: 'demo', pod: 'ticker', container: 'app' };
    assert.deepEqual(
      logs.lines(ref, false)?.map((l) => l.text),
      ['start', 'tick', 'tick', 'tick'],
    );
    assert.equal(logs.lines(ref, true), undefined, 'no previous instance');
    const followed: string[] = [];
    const stop = logs.follow(ref, (line) => followed.push(line.text));
    h.advance(11);
    stop();
    h.advance(20);
    assert.deepEqual(followed, ['tick', 'tick']);
  });

  it('MetricsSource reports container working sets and node totals', () => {
    const h = new Harness();
    h.apply(
      ticker
        .replace('busybox:1.36', 'polinux/stress')
        .replace(/command: .*/, 'command: [stress]\n      args: [--vm, "1", --vm-bytes, 40M]'),
    );
    h.advance(5);
    const metrics = simulationMetrics(h.sim);
    const pod = h.pod('demo', 'ticker');
    assert.deepEqual(metrics.podUsage(pod), [
      { name: 'app', usage: { cpu: '900m', memory: `${41 * 1024}Ki` } },
    ]);
    const node = h.store.get('Node', undefined, pod.spec!.nodeName!) as Node;
    const usage = metrics.nodeUsage(node)!;
    assert.match(usage.cpu, /^\d+m$/);
    assert.ok(Number(usage.memory.replace('Ki', '')) > 41 * 1024);
  });
});
