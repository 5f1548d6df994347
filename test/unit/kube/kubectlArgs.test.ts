// Exact argv of every terminal the pod and workload commands open.
import * as assert from 'node:assert/strict';
import {
  deletePodArgs,
  parsePortPair,
  podDebugArgs,
  podExecArgs,
  podLogsArgs,
  podPortForwardArgs,
  restartWorkloadArgs,
  scopeArgs,
  SHELL_PICKER,
  shellCandidates,
  workloadLogsArgs,
} from '../../../src/kube/kubectlArgs';
import type { PodTarget, WorkloadTarget } from '../../../src/kube/kubeTarget';

const scoped = { context: 'prod-eu', kubeconfig: '/home/me/.kube/prod', namespace: 'demo' };
const SCOPE = ['--kubeconfig=/home/me/.kube/prod', '--context=prod-eu', '-n', 'demo'];
const pod: PodTarget = { ...scoped, pod: 'apache-7c886888f6-knd5x', container: 'apache' };
const deployment: WorkloadTarget = { ...scoped, kind: 'Deployment', name: 'apache' };

describe('scopeArgs', () => {
  it('passes kubeconfig and context when known, and always the namespace', () => {
    assert.deepEqual(scopeArgs(scoped), SCOPE);
    assert.deepEqual(scopeArgs({ namespace: 'shop' }), ['-n', 'shop']);
  });

  it('keeps a context name that starts with "-" a value', () => {
    assert.deepEqual(scopeArgs({ namespace: 'a', context: '-weird' }), ['--context=-weird', '-n', 'a']);
  });
});

describe('podLogsArgs', () => {
  it('follows the chosen container', () => {
    assert.deepEqual(podLogsArgs(pod), ['logs', ...SCOPE, '-f', 'apache-7c886888f6-knd5x', '-c', 'apache']);
  });

  it('prints the previous container without following', () => {
    assert.deepEqual(podLogsArgs(pod, { previous: true }), [
      'logs',
      ...SCOPE,
      '--previous',
      'apache-7c886888f6-knd5x',
      '-c',
      'apache',
    ]);
  });

  it('leaves -c out when no container is known (kubectl picks its default)', () => {
    assert.deepEqual(podLogsArgs({ namespace: 'demo', pod: 'missing-cm' }), [
      'logs',
      '-n',
      'demo',
      '-f',
      'missing-cm',
    ]);
  });
});

describe('workloadLogsArgs', () => {
  it('reads every container of kind/name', () => {
    assert.deepEqual(workloadLogsArgs(deployment), [
      'logs',
      ...SCOPE,
      '-f',
      'deployment/apache',
      '--all-containers',
    ]);
    assert.deepEqual(
      workloadLogsArgs({ ...deployment, kind: 'StatefulSet', name: 'redis' }, { previous: true }),
      ['logs', ...SCOPE, '--previous', 'statefulset/redis', '--all-containers'],
    );
  });

  it('follows every pod of the selector, prefixed', () => {
    assert.deepEqual(workloadLogsArgs({ ...deployment, selector: 'app.kubernetes.io/name=apache' }), [
      'logs',
      ...SCOPE,
      '-f',
      '-l',
      'app.kubernetes.io/name=apache',
      '--all-containers',
      '--prefix',
    ]);
  });

  it('refuses a kind kubectl logs cannot read', () => {
    assert.throws(() => workloadLogsArgs({ ...deployment, kind: 'CronJob' }), /cannot read a CronJob/);
  });
});

describe('podExecArgs', () => {
  it('tries bash, then sh, inside the container', () => {
    assert.deepEqual(podExecArgs(pod), [
      'exec',
      ...SCOPE,
      '-it',
      'apache-7c886888f6-knd5x',
      '-c',
      'apache',
      '--',
      'sh',
      '-c',
      SHELL_PICKER,
      'podscope-shell',
      'bash',
      'sh',
    ]);
  });

  it('tries the shell setting first, as an argument and never as script text', () => {
    const argv = podExecArgs(pod, 'zsh; rm -rf /');
    assert.deepEqual(argv.slice(-4), ['podscope-shell', 'zsh; rm -rf /', 'bash', 'sh']);
    assert.ok(!SHELL_PICKER.includes('zsh'));
  });

  it('does not try a shell twice', () => {
    assert.deepEqual(shellCandidates('sh'), ['sh', 'bash']);
    assert.deepEqual(shellCandidates(' '), ['bash', 'sh']);
  });
});

describe('podDebugArgs', () => {
  it('adds a busybox container targeting the container by default', () => {
    assert.deepEqual(podDebugArgs(pod), [
      'debug',
      ...SCOPE,
      '-it',
      'apache-7c886888f6-knd5x',
      '--image=busybox',
      '--target=apache',
    ]);
  });

  it('uses the image and profile settings', () => {
    assert.deepEqual(podDebugArgs(pod, { image: 'nicolaka/netshoot', profile: 'netadmin' }).slice(-3), [
      '--image=nicolaka/netshoot',
      '--target=apache',
      '--profile=netadmin',
    ]);
  });

  it('leaves --target out when no container is known', () => {
    assert.deepEqual(podDebugArgs({ namespace: 'demo', pod: 'p' }), [
      'debug',
      '-n',
      'demo',
      '-it',
      'p',
      '--image=busybox',
    ]);
  });
});

describe('podPortForwardArgs and parsePortPair', () => {
  it('forwards LOCAL:REMOTE to pod/name', () => {
    assert.deepEqual(podPortForwardArgs(pod, { local: 18080, remote: 8080 }), [
      'port-forward',
      ...SCOPE,
      'pod/apache-7c886888f6-knd5x',
      '18080:8080',
    ]);
  });

  const cases: [string, ReturnType<typeof parsePortPair>][] = [
    ['8080', { local: 8080, remote: 8080 }],
    [' 18080 : 8080 ', { local: 18080, remote: 8080 }],
    ['0', '0 is not a port (1-65535)'],
    ['8080:70000', '70000 is not a port (1-65535)'],
    ['http', 'Enter a port (8080) or LOCAL:REMOTE (18080:8080)'],
    ['1:2:3', 'Enter a port (8080) or LOCAL:REMOTE (18080:8080)'],
  ];
  for (const [text, expected] of cases)
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parsePortPair(text), expected));
});

describe('restartWorkloadArgs', () => {
  it('restarts deployments, statefulsets and daemonsets', () => {
    assert.deepEqual(restartWorkloadArgs(deployment), ['rollout', 'restart', ...SCOPE, 'deployment/apache']);
    assert.deepEqual(
      restartWorkloadArgs({ namespace: 'monitoring', kind: 'DaemonSet', name: 'node-exporter' }),
      ['rollout', 'restart', '-n', 'monitoring', 'daemonset/node-exporter'],
    );
  });

  it('refuses a Job', () => {
    assert.throws(() => restartWorkloadArgs({ ...deployment, kind: 'Job' }), /cannot restart a Job/);
  });
});

describe('deletePodArgs', () => {
  it('deletes the pod in its namespace and context', () => {
    assert.deepEqual(deletePodArgs(pod), ['delete', ...SCOPE, 'pod', 'apache-7c886888f6-knd5x']);
  });
});
