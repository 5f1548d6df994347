// Each demo scenario, applied from demo/workspace exactly as the demo applies it, reaches the
// STATUS its story tells (kubectl's printPod via podRow), and applying its fix changes that.
import { strict as assert } from 'node:assert';
import type { Job, Pod } from '../../../../src/kube/types';
import { Harness } from './harness';

/** Steps `seconds` at a time until `predicate` holds; fails after `limit` seconds. */
function until(h: Harness, predicate: () => boolean, limit = 900, step = 1): void {
  for (let t = 0; t <= limit; t += step) {
    if (predicate()) return;
    h.advance(step);
  }
  assert.fail(`condition not reached within ${limit}s`);
}

const seedHttpdLine =
  'httpd: Syntax error on line 178 of /opt/bitnami/apache/conf/httpd.conf: Could not open configuration file /opt/bitnami/apache/conf/Suite-extra/components.conf: No such file or directory';

describe('demo scenarios', () => {
  it('missing-cm: CreateContainerConfigError until key-cm exists, then Running', () => {
    const h = new Harness();
    h.applyFile('missing-cm.yaml');
    h.advance(10);
    assert.equal(h.status('demo', 'missing-cm'), 'CreateContainerConfigError');
    const pod = h.pod('demo', 'missing-cm');
    assert.deepEqual(pod.status?.containerStatuses?.[0]?.state?.waiting, {
      reason: 'CreateContainerConfigError',
      message: 'configmap "key-cm" not found',
    });
    assert.equal(pod.status?.phase, 'Pending');
    assert.ok(h.messages('demo', 'missing-cm').includes('Failed: Error: configmap "key-cm" not found'));
    h.applyFile('fixes/key-cm.yaml');
    h.advance(1);
    assert.deepEqual(h.rows('demo', 'missing-cm'), ['1/1 Running 0']);
    assert.deepEqual(
      h.sim.logLines('demo', 'missing-cm', 'test-container', false)?.map((l) => l.text),
      ['First Key Second Key'],
    );
  });

  it('nginx-deployment: three Pending pods with the exact FailedScheduling text; 2Gi fixes it', () => {
    const h = new Harness();
    h.applyFile('high-mem-request-deploy.yaml');
    h.advance(5);
    assert.deepEqual(h.rows('demo', 'nginx-deployment'), ['0/1 Pending 0', '0/1 Pending 0', '0/1 Pending 0']);
    const message =
      '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 4 Insufficient memory. preemption: 0/5 nodes are available: 1 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.';
    for (const pod of h.pods('demo', 'nginx-deployment')) {
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      assert.equal(scheduled?.status, 'False');
      assert.equal(scheduled?.reason, 'Unschedulable');
      assert.equal(scheduled?.message, message);
      const event = h.events('demo', pod.metadata?.name).find((e) => e.reason === 'FailedScheduling');
      assert.equal(event?.message, message);
      assert.equal(event?.reportingComponent, 'default-scheduler');
    }
    assert.match(
      h.pods('demo', 'nginx-deployment')[0]!.metadata!.name!,
      /^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    h.applyFile('fixes/high-mem-request-deploy.yaml');
    until(
      h,
      () => h.rows('demo', 'nginx-deployment').join() === '1/1 Running 0,1/1 Running 0,1/1 Running 0',
      120,
    );
  });

  it('apache: CrashLoopBackOff with the seed log line; commenting out the Include fixes it', () => {
    const h = new Harness();
    h.applyFile('apache.yaml');
    until(h, () => h.status('demo', 'apache') === 'CrashLoopBackOff', 120);
    const pod = h.pod('demo', 'apache');
    const status = pod.status!.containerStatuses![0]!;
    assert.equal(status.lastState?.terminated?.exitCode, 1);
    assert.equal(status.lastState?.terminated?.reason, 'Error');
    assert.equal(pod.status?.phase, 'Running');
    const previous = h.sim.logLines('demo', pod.metadata!.name!, 'apache', true)!.map((l) => l.text);
    assert.equal(previous.at(-1), seedHttpdLine);
    assert.ok(previous.some((l) => l.endsWith('Welcome to the Bitnami apache container')));
    h.applyFile('fixes/httpd-cm.yaml');
    until(h, () => h.rows('demo', 'apache')[0]?.startsWith('1/1 Running') ?? false, 400);
  });

  it('opscruise-loggw: exits 1 after 10 Loki retries, CrashLoopBackOff; a reachable Loki fixes it', () => {
    const h = new Harness();
    h.applyFile('opscruise-loggw.yaml');
    h.advance(30);
    assert.equal(h.rows('demo', 'opscruise-loggw')[0], '1/1 Running 0');
    until(h, () => h.status('demo', 'opscruise-loggw') === 'CrashLoopBackOff', 900, 5);
    const pod = h.pod('demo', 'opscruise-loggw');
    assert.equal(pod.status!.containerStatuses![0]!.lastState?.terminated?.exitCode, 1);
    const lines = h.sim.logLines('demo', pod.metadata!.name!, 'loggw-loki', true)!.map((l) => l.text);
    assert.match(lines.at(-1)!, /WARN - Exiting\. Could not connect to loki after 10 retries\.$/);
    assert.match(lines[0]!, /INFO - Endpoint: ws:\/\/opscruise-bundle-loki:3100$/);
    h.applyFile('fixes/opscruise-bundle-loki.yaml');
    until(h, () => h.rows('demo', 'opscruise-loggw')[0]?.startsWith('1/1 Running') ?? false, 400, 5);
    const restarts = h.pod('demo', 'opscruise-loggw').status!.containerStatuses![0]!.restartCount;
    h.advance(900);
    assert.equal(
      h.pod('demo', 'opscruise-loggw').status!.containerStatuses![0]!.restartCount,
      restarts,
      'the restart counter stops',
    );
  });

  it('high-mem: the high-priority pod preempts the no-priority one, which then waits Pending', () => {
    const h = new Harness();
    h.applyFile('high-mem-no-priority.yaml');
    h.advance(5);
    const victim = h.pod('demo', 'high-mem-no-priority');
    assert.equal(h.status('demo', 'high-mem-no-priority'), 'Running');
    h.applyFile('high-mem-with-priority.yaml');
    h.advance(1);
    const marked = h.store.get('Pod', 'demo', victim.metadata!.name!) as Pod;
    assert.equal(h.status('demo', victim.metadata!.name!), 'Terminating');
    assert.deepEqual(
      marked.status?.conditions?.find((c) => c.type === 'DisruptionTarget'),
      {
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: marked.status?.conditions?.find((c) => c.type === 'DisruptionTarget')
          ?.lastTransitionTime,
        reason: 'PreemptionByScheduler',
        message: 'default-scheduler: preempting to accommodate a higher priority pod',
      },
    );
    const preemptor = h.pod('demo', 'high-mem-with-priority');
    const preempted = h.events('demo', victim.metadata!.name).find((e) => e.reason === 'Preempted');
    assert.equal(preempted?.message, `Preempted by pod ${preemptor.metadata!.uid} on node worker-3`);
    assert.equal(preempted?.action, 'Preempting');
    assert.deepEqual(preempted?.source, {});
    assert.equal(preemptor.status?.nominatedNodeName, 'worker-3');
    h.advance(40);
    assert.equal(h.status('demo', 'high-mem-with-priority'), 'Running');
    assert.deepEqual(h.rows('demo', 'high-mem-no-priority'), ['0/1 Pending 0']);
    const waiting = h.pod('demo', 'high-mem-no-priority');
    assert.equal(
      waiting.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message,
      "0/5 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.",
    );
  });

  it('activator: Running but 0/1 ready while its readiness probe answers 500; the autoscaler fixes it', () => {
    const h = new Harness();
    h.applyFile('activator.yaml');
    h.advance(60);
    assert.deepEqual(h.rows('demo', 'activator'), ['0/1 Running 0']);
    assert.ok(
      h
        .messages('demo', h.pod('demo', 'activator').metadata!.name)
        .includes('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500'),
    );
    const ep = h.store.get('Endpoints', 'demo', 'activator') as {
      subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[];
    };
    assert.equal(ep.subsets?.[0]?.addresses, undefined);
    assert.equal(ep.subsets?.[0]?.notReadyAddresses?.length, 1);
    h.applyFile('fixes/autoscaler.yaml');
    until(h, () => h.rows('demo', 'activator')[0] === '1/1 Running 0', 120);
  });

  it('report-worker: OOMKilled (137) then CrashLoopBackOff; a 512Mi limit rolls out pods that stay Running', () => {
    const h = new Harness();
    h.applyFile('report-worker.yaml');
    h.advance(3);
    const first = h.pod('demo', 'report-worker');
    until(h, () => h.status('demo', 'report-worker') === 'CrashLoopBackOff', 120);
    const last = h.pod('demo', 'report-worker').status!.containerStatuses![0]!.lastState!.terminated!;
    assert.equal(last.reason, 'OOMKilled');
    assert.equal(last.exitCode, 137);
    h.applyFile('fixes/report-worker.yaml');
    until(
      h,
      () =>
        h.pods('demo', 'report-worker').length === 1 &&
        h.pods('demo', 'report-worker')[0]!.metadata!.name !== first.metadata!.name &&
        h.status('demo', 'report-worker') === 'Running',
      120,
    );
    h.advance(600);
    assert.deepEqual(h.rows('demo', 'report-worker'), ['1/1 Running 0']);
    const rsNames = h.store
      .list('ReplicaSet', 'demo')
      .map((r) => `${r.metadata?.name}=${(r['spec'] as { replicas: number }).replicas}`);
    assert.equal(rsNames.length, 2);
    assert.ok(
      rsNames.some((n) => n.endsWith('=0')),
      rsNames.join(),
    );
  });

  it('web-frontend: ErrImagePull / ImagePullBackOff for a tag that does not exist; a real tag fixes it', () => {
    const h = new Harness();
    h.applyFile('web-frontend.yaml');
    until(h, () => h.status('demo', 'web-frontend') === 'ErrImagePull', 10, 0.1);
    until(h, () => h.status('demo', 'web-frontend') === 'ImagePullBackOff', 10, 0.5);
    const pod = h.pod('demo', 'web-frontend');
    assert.equal(
      pod.status!.containerStatuses![0]!.state!.waiting!.message,
      'Back-off pulling image "nginx:1.27.99": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.99": failed to resolve reference "docker.io/library/nginx:1.27.99": docker.io/library/nginx:1.27.99: not found',
    );
    h.applyFile('fixes/web-frontend.yaml');
    until(h, () => h.rows('demo', 'web-frontend').join() === '1/1 Running 0,1/1 Running 0', 120);
  });

  it('session-cache: liveness kills raise RESTARTS while the pod shows Running', () => {
    const h = new Harness();
    h.applyFile('liveness-exec.yaml');
    h.advance(200);
    const row = h.rows('demo', 'session-cache')[0]!;
    assert.match(row, /^[01]\/1 (Running|CrashLoopBackOff) [1-9]/);
    const name = h.pod('demo', 'session-cache').metadata!.name!;
    const messages = h.messages('demo', name);
    assert.ok(
      messages.includes(
        "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      ),
    );
    assert.ok(messages.includes('Killing: Container cache failed liveness probe, will be restarted'));
    const last = h.pod('demo', 'session-cache').status!.containerStatuses![0]!.lastState!.terminated!;
    assert.deepEqual([last.exitCode, last.reason], [137, 'Error']);
  });

  it('healthy workloads are green: frontend, shop, redis, node-exporter; the CronJob completes and db-migrate fails its Job', () => {
    const h = new Harness();
    for (const f of ['frontend.yaml', 'shop.yaml', 'node-exporter.yaml', 'db-migrate.yaml']) h.applyFile(f);
    h.advance(120);
    assert.deepEqual(h.rows('demo', 'frontend'), ['1/1 Running 0', '1/1 Running 0']);
    assert.deepEqual(h.rows('shop', 'checkout'), ['1/1 Running 0', '1/1 Running 0']);
    assert.deepEqual(h.rows('shop', 'cart'), ['1/1 Running 0']);
    assert.deepEqual(h.rows('shop', 'redis'), ['1/1 Running 0', '1/1 Running 0']);
    assert.deepEqual(h.rows('monitoring', 'node-exporter'), [
      '1/1 Running 0',
      '1/1 Running 0',
      '1/1 Running 0',
      '1/1 Running 0',
    ]);
    assert.deepEqual(
      new Set(h.pods('monitoring', 'node-exporter').map((p) => p.spec?.nodeName)),
      new Set(['worker-1', 'worker-2', 'worker-3', 'worker-4']),
    );
    assert.deepEqual(h.rows('shop', 'db-migrate'), ['0/1 Error 0', '0/1 Error 0', '0/1 Error 0']);
    const job = h.store.get('Job', 'shop', 'db-migrate') as Job;
    assert.deepEqual(
      job.status?.conditions?.map((c) => `${c.type}=${c.reason}`),
      ['FailureTarget=BackoffLimitExceeded', 'Failed=BackoffLimitExceeded'],
    );
    h.advance(600);
    const reports = h.pods('shop', 'nightly-report');
    assert.ok(reports.length >= 1);
    assert.ok(reports.every((p) => podRowStatus(h, p) === 'Completed'));
  });
});

function podRowStatus(h: Harness, pod: Pod): string {
  return h.status(pod.metadata!.namespace!, pod.metadata!.name!);
}
