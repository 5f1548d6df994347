// Real kubectl 1.32 against the whole demo cluster (scenarios applied from demo/workspace, the
// simulated kubelet and controllers running on a stepped clock): what a user sees and does.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCluster } from '../../../src/demo/demoCluster';
import type { DemoCluster } from '../../../src/demo/demoCluster';
import { ManualClock } from '../../../src/demo/manualClock';
import type { Harness } from './server/harness';
import { KUBECTL, kubectl as runKubectl, kubectlStream } from './server/harness';

const fixes = join(__dirname, '../../../demo/workspace/fixes');

describe('real kubectl against the demo cluster', function () {
  this.timeout(120_000);
  let cluster: DemoCluster;
  let clock: ManualClock;
  let target: Harness;

  const kubectl = (...args: string[]) => runKubectl(target, args);
  const advance = (seconds: number): void => {
    for (let s = 0; s < seconds; s += 5) clock.advance(5_000);
  };
  /** Steps simulated time until `check` passes on fresh kubectl output (real time is bounded by the tries). */
  async function eventually(args: string[], check: (out: string) => boolean, tries = 40): Promise<string> {
    let out = '';
    for (let i = 0; i < tries; i++) {
      out = (await kubectl(...args)).stdout;
      if (check(out)) return out;
      advance(10);
    }
    assert.fail(`kubectl ${args.join(' ')} never satisfied the check; last output:\n${out}`);
  }

  before(async function () {
    if (!KUBECTL) this.skip();
    clock = new ManualClock('2025-06-10T09:00:00Z');
    const dir = mkdtempSync(join(tmpdir(), 'podscope-kubectl-'));
    cluster = await startDemoCluster({ clock, kubeconfigOut: join(dir, 'kubeconfig') });
    target = { kubeconfig: cluster.kubeconfigPath, dir } as Harness;
    advance(300);
  });
  after(() => cluster?.stop());

  it('get pods -A shows every scenario with the STATUS a real cluster shows', async () => {
    const { stdout, code } = await kubectl('get', 'pods', '-A');
    assert.equal(code, 0);
    const row = (name: RegExp) => stdout.split('\n').filter((l) => name.test(l));
    assert.match(row(/\bmissing-cm\b/)[0] ?? '', /0\/1\s+CreateContainerConfigError\s+0\s/);
    assert.equal(row(/nginx-deployment-\w+-\w+\s+0\/1\s+Pending/).length, 3);
    assert.match(row(/\bapache-/)[0] ?? '', /0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\d+[sm]\d*s? ago\)/);
    assert.match(row(/\bactivator-/)[0] ?? '', /0\/1\s+Running/);
    assert.ok(row(/\bweb-frontend-/).every((l) => /ImagePullBackOff|ErrImagePull/.test(l)));
    assert.match(row(/\breport-worker-/)[0] ?? '', /(CrashLoopBackOff|OOMKilled)\s+\d+ \(/);
    assert.match(row(/\bhigh-mem-with-priority-/)[0] ?? '', /1\/1\s+Running/);
    assert.match(row(/\bhigh-mem-no-priority-/)[0] ?? '', /0\/1\s+Pending/);
    assert.ok(
      row(/\bfrontend-/).some((l) => /^\S+\s+frontend-\S+\s+1\/1\s+Running/.test(l)),
      'a healthy workload',
    );
  });

  it('describe pod shows State, Last State, Reason, Exit Code and the events', async () => {
    const pod = (await kubectl('get', 'pods', '-n', 'demo', '-o', 'name')).stdout
      .split('\n')
      .find((n) => n.startsWith('pod/apache-'));
    assert.ok(pod);
    const { stdout } = await kubectl('describe', '-n', 'demo', pod);
    assert.match(stdout, /State:\s+Waiting\s+Reason:\s+CrashLoopBackOff/);
    assert.match(stdout, /Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1/);
    assert.match(stdout, /Restart Count:\s+[1-9]/);
    assert.match(stdout, /Events:[\s\S]*BackOff[\s\S]*Back-off restarting failed container apache/);
  });

  it('get events --sort-by=.lastTimestamp lists the real reasons', async () => {
    const { stdout } = await kubectl('get', 'events', '-n', 'demo', '--sort-by=.lastTimestamp');
    for (const reason of [
      'FailedScheduling',
      'Preempted',
      'BackOff',
      'Unhealthy',
      'Failed',
      'Killing',
      'Pulled',
      'Started',
    ]) {
      assert.match(stdout, new RegExp(`\\s${reason}\\s`), reason);
    }
  });

  it('logs --previous returns the crashed container lines', async () => {
    const pod = (
      await kubectl('get', 'pods', '-n', 'demo', '-l', 'app.kubernetes.io/name=apache', '-o', 'name')
    ).stdout.trim();
    const { stdout, code } = await kubectl('logs', '-n', 'demo', pod, '--previous');
    assert.equal(code, 0);
    assert.match(stdout, /httpd: Syntax error on line 178 of \/opt\/bitnami\/apache\/conf\/httpd.conf/);
  });

  it('get pods -w streams the change when kubectl create configmap fixes missing-cm', async () => {
    const watch = kubectlStream(target, ['get', 'pods', '-n', 'demo', '-w']);
    try {
      await waitForOutput(watch.output, /missing-cm\s+0\/1\s+CreateContainerConfigError/);
      const created = await kubectl(
        'create',
        'configmap',
        'key-cm',
        '-n',
        'demo',
        '--from-literal=MY_KEY1=one',
        '--from-literal=MY_KEY2=two',
      );
      assert.equal(created.code, 0, created.stderr);
      for (let i = 0; i < 20 && !/missing-cm\s+1\/1\s+Running/.test(watch.output()); i++) {
        advance(5);
        await new Promise((r) => setImmediate(r));
        await waitForOutput(watch.output, /missing-cm\s+1\/1\s+Running/, 250).catch(() => undefined);
      }
      assert.match(watch.output(), /missing-cm\s+1\/1\s+Running/);
    } finally {
      watch.stop();
    }
  });

  it('kubectl apply -f with a larger memory limit rolls out pods that stay Running', async () => {
    const applied = await kubectl('apply', '-f', join(fixes, 'report-worker.yaml'));
    assert.equal(applied.code, 0, applied.stderr);
    const settled = (out: string) => {
      const rows = out.split('\n').filter((l) => l.includes('report-worker-'));
      return rows.length === 1 && /1\/1\s+Running/.test(rows[0] ?? '');
    };
    await eventually(['get', 'pods', '-n', 'demo'], settled);
    advance(600);
    assert.ok(
      settled((await kubectl('get', 'pods', '-n', 'demo')).stdout),
      'the new pods keep running for ten minutes',
    );
  });

  it('kubectl debug --target adds an ephemeral container', async () => {
    const pod =
      (await kubectl('get', 'pods', '-n', 'demo', '-l', 'app=frontend', '-o', 'name')).stdout.split(
        '\n',
      )[0] ?? '';
    const container = (await kubectl('get', '-n', 'demo', pod, '-o', 'jsonpath={.spec.containers[0].name}'))
      .stdout;
    const debug = await kubectl('debug', '-n', 'demo', pod, '--image=busybox', `--target=${container}`);
    assert.equal(debug.code, 0, debug.stderr);
    const names = await kubectl(
      'get',
      '-n',
      'demo',
      pod,
      '-o',
      'jsonpath={.spec.ephemeralContainers[*].name}',
    );
    assert.match(names.stdout, /^debugger-\w+/);
  });

  it('kubectl top pod prints usage', async () => {
    const { stdout, code, stderr } = await kubectl('top', 'pod', '-n', 'demo');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    assert.match(stdout, /frontend-\S+\s+\d+m\s+\d+Mi/);
  });
});

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} in:\n${output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
