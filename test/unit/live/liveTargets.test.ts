// Command targets completed from live objects: a pod's containers for the picker, a workload's
// selector so its logs follow every pod; nothing invented when the object is not live.
import * as assert from 'node:assert/strict';
import type {
  KubeTarget,
  PodTarget,
  TargetResolver,
  Unscoped,
  WorkloadTarget,
} from '../../../src/kube/kubeTarget';
import type { LiveContext } from '../../../src/live/liveContext';
import { LiveTargetResolver } from '../../../src/live/liveTargets';
import { loadExample, objectsOf, viewOf } from '../analysis/findings/catalogView';

const scope: TargetResolver = {
  resolve: <T extends KubeTarget>(target: Unscoped<T>) =>
    Promise.resolve({ namespace: 'shop', context: 'ctx', ...target } as T),
};

describe('live/liveTargets', () => {
  // A stuck Deployment (26) and an OOMKilled pod (11).
  const view = viewOf([...objectsOf(loadExample('26')), ...objectsOf(loadExample('11'))]);
  const model = {
    get: (name: string) => (name === 'ctx' ? ({ source: view } as unknown as LiveContext) : undefined),
  };
  const resolver = new LiveTargetResolver(scope, model);
  const deployment = view.list('Deployment')[0];
  const pod = view.list('Pod')[0];

  it('lists a live pod’s containers in spec order', async () => {
    assert.ok(pod?.metadata?.name);
    const target = await resolver.resolve<PodTarget>({
      namespace: pod.metadata.namespace ?? 'default',
      pod: pod.metadata.name,
    });
    assert.deepEqual(
      target.containers,
      (pod.spec?.containers ?? []).map((c) => c.name),
    );
  });

  it('gives a live Deployment its selector as kubectl -l takes it', async () => {
    assert.ok(deployment?.metadata?.name);
    const target = await resolver.resolve<WorkloadTarget>({
      namespace: deployment.metadata.namespace ?? 'default',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    const labels = deployment.spec?.selector?.matchLabels ?? {};
    assert.equal(
      target.selector,
      Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    );
  });

  it('leaves targets alone when the context is not open or the object is not live', async () => {
    assert.deepEqual(await resolver.resolve<PodTarget>({ context: 'other', namespace: 'x', pod: 'p' }), {
      namespace: 'x',
      context: 'other',
      pod: 'p',
    });
    assert.deepEqual(await resolver.resolve<PodTarget>({ namespace: 'shop', pod: 'gone' }), {
      namespace: 'shop',
      context: 'ctx',
      pod: 'gone',
    });
  });
});
