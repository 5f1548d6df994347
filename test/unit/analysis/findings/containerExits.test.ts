// oom-killed, crash-loop, command-not-found, run-as-non-root: one container that will not stay up.
import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import { proposedMemoryLimit } from '../../../../src/analysis/findings/oomKilled';
import type { Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import type { AnalysisOptions } from '../../../../src/analysis/analyze';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding, only } from './expectFinding';
import { checkoutHistory } from './history';

const app = 'containers[name=app]';
const MI = 1024 * 1024;

const cases: {
  name: string;
  view: () => MemoryClusterView;
  options?: AnalysisOptions;
  expected: Expected;
}[] = [
  {
    name: '11 OOMKilled: limit 128Mi doubles to 256Mi',
    view: () => catalogView('11'),
    expected: {
      code: 'oom-killed',
      container: 'app',
      paths: [`${app}.resources.limits.memory`, `${app}.resources`, `${app}.name`],
      message: ['OOMKilled', 'limit 128Mi', 'exit code 137'],
      evidence: ['reason OOMKilled, exit code 137'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.limits.memory`, value: '256Mi' }],
    },
  },
  {
    name: '11 OOMKilled with observed usage above twice the limit',
    view: () => catalogView('11'),
    options: { memoryUsage: () => 300 * MI },
    expected: {
      code: 'oom-killed',
      paths: [`${app}.resources.limits.memory`],
      evidence: ['observed memory usage: 300Mi'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.resources.limits.memory`, value: '512Mi' }],
    },
  },
  {
    name: '13 CrashLoopBackOff exit 1: exit meaning, termination message and log lines',
    view: () => catalogView('13'),
    options: {
      logs: (_pod, container, previous) =>
        container === 'app' && previous
          ? ['starting checkout 1.4.2', '\u001b[31mFATAL\u001b[0m config missing']
          : undefined,
    },
    expected: {
      code: 'crash-loop',
      container: 'app',
      paths: [`${app}.args`, `${app}.name`],
      message: ['exited with code 1', 'restarted 6 times', 'CrashLoopBackOff'],
      evidence: [
        'The application exited with a general error',
        'failed to load config /etc/checkout/config.yaml: open /etc/checkout/config.yaml: no such file or directory',
        'Back-off restarting failed container app in pod checkout-6d8f7b9c5-4f743_shop',
        'starting checkout 1.4.2\nFATAL config missing',
      ],
      noFix: true,
    },
  },
  {
    name: '13 CrashLoopBackOff: the fix restores the args revision 6 ran',
    view: () => {
      const pod = loadExample('13').pod as Pod;
      const current = pod.spec?.containers[0];
      return catalogView(
        '13',
        checkoutHistory(current ? [current] : [], [
          { ...current, name: 'app', args: ['--config=/etc/checkout/checkout.yaml'] },
        ]),
      );
    },
    expected: {
      code: 'crash-loop',
      workload: 'Deployment/checkout',
      paths: [`${app}.args`],
      fix: [
        { op: 'set', root: 'podSpec', path: `${app}.args`, value: ['--config=/etc/checkout/checkout.yaml'] },
      ],
    },
  },
  {
    name: '20 RunContainerError / StartError: executable not found',
    view: () => catalogView('20'),
    expected: {
      code: 'command-not-found',
      container: 'app',
      paths: [`${app}.command[0]`, `${app}.command`],
      message: ['"checkout-server"'],
      evidence: [
        'exec: "checkout-server": executable file not found in $PATH',
        'reason StartError, exit code 128',
      ],
      fix: [{ op: 'remove', root: 'podSpec', path: `${app}.command` }],
    },
  },
  {
    name: '21 ContainerCannotRun (cri-dockerd): same blame',
    view: () => catalogView('21'),
    expected: {
      code: 'command-not-found',
      container: 'app',
      paths: [`${app}.command[0]`],
      evidence: ['reason ContainerCannotRun, exit code 127', 'Error response from daemon'],
      fix: [{ op: 'remove', root: 'podSpec', path: `${app}.command` }],
    },
  },
  {
    name: '30 runAsNonRoot with an image that runs as root',
    view: () => catalogView('30'),
    expected: {
      code: 'run-as-non-root',
      container: 'app',
      paths: [`${app}.securityContext.runAsNonRoot`, 'securityContext.runAsNonRoot'],
      evidence: [
        'container has runAsNonRoot and image will run as root (pod: "checkout-6d8f7b9c5-nr001_shop',
      ],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.securityContext.runAsUser`, value: 1000 }],
    },
  },
];

describe('container exit findings (catalog §3.6, §6, §7, §8, §11, §12)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view(), c.options), c.expected);
    });
  }

  it('11: OOMKilled wins over crash-loop on the same container', () => {
    assert.deepEqual(
      analyzeCluster(catalogView('11')).map((f) => f.code),
      ['oom-killed'],
    );
  });

  it('20: command-not-found wins over crash-loop', () => {
    assert.deepEqual(
      analyzeCluster(catalogView('20')).map((f) => f.code),
      ['command-not-found'],
    );
  });

  it('30: non-numeric USER variant', () => {
    const example = loadExample('30');
    const status = (example.pod as Pod).status?.containerStatuses?.[0];
    const variant = ((example._meta as Record<string, string[]>)['variants'] ?? [])[0] ?? '';
    if (status)
      status.state = {
        waiting: {
          reason: 'CreateContainerConfigError',
          message: variant.replace('<pod>', 'checkout-6d8f7b9c5-nr001_shop(d929ba2a)'),
        },
      };
    const finding = only(analyzeCluster(viewOf(objectsOf(example))), 'run-as-non-root');
    assert.ok(finding.message.includes('"nginx" is not numeric'), finding.message);
  });

  it('12 exit-code gallery: every non-zero exit is a crash with its meaning; exit 0 is not', () => {
    const findings = analyzeCluster(catalogView('12'));
    const byPod = new Map(findings.map((f) => [f.subject.name, f]));
    assert.equal(byPod.has('exitcode-0-5fece'), false);
    const expected: [string, string][] = [
      ['exitcode-1-6b86b', 'general error'],
      ['exitcode-126-65a69', 'not executable'],
      ['exitcode-127-922c7', 'could not find the command'],
      ['exitcode-134-5d389', 'SIGABRT'],
      ['exitcode-137-d80ea', 'not by the OOM killer'],
      ['exitcode-139-8d27b', 'SIGSEGV'],
      ['exitcode-143-d6f0c', 'SIGTERM'],
    ];
    for (const [pod, meaning] of expected) {
      const finding = byPod.get(pod);
      assert.equal(finding?.code, 'crash-loop', pod);
      assert.ok(
        finding.evidence.some((e) => e.includes(meaning)),
        `${pod}: ${finding.evidence.join(' / ')}`,
      );
    }
    assert.equal(findings.length, expected.length);
  });

  it('a crash-looping sidecar (restartable init container) is crash-loop on initContainers[name=…]', () => {
    const pod = loadExample('13').pod as Pod;
    const spec = pod.spec;
    const status = pod.status;
    if (spec && status) {
      spec.initContainers = spec.containers.map((c) => ({ ...c, name: 'proxy', restartPolicy: 'Always' }));
      spec.containers = [{ name: 'main', image: 'busybox' }];
      status.initContainerStatuses = (status.containerStatuses ?? []).map((c) => ({ ...c, name: 'proxy' }));
      status.containerStatuses = [
        { name: 'main', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: {} } },
      ];
    }
    expectFinding(analyzeCluster(viewOf([pod])), {
      code: 'crash-loop',
      container: 'proxy',
      paths: ['initContainers[name=proxy].args', 'initContainers[name=proxy].name'],
    });
    assert.deepEqual(
      analyzeCluster(viewOf([pod])).map((f) => f.code),
      ['crash-loop'],
    );
  });

  it('an OOM kill long ago, running ready since, is a warning', () => {
    const pod = loadExample('11').pod as Pod;
    const status = pod.status?.containerStatuses?.[0];
    if (status) {
      status.state = { running: { startedAt: '2025-06-10T07:00:00Z' } };
      status.ready = true;
      if (status.lastState?.terminated) status.lastState.terminated.finishedAt = '2025-06-10T06:59:50Z';
    }
    expectFinding(analyzeCluster(viewOf([pod])), {
      code: 'oom-killed',
      severity: 'warning',
      paths: [`${app}.resources.limits.memory`],
    });
  });

  it('running again minutes after a failed exit: still crash-loop, as a warning', () => {
    const pod = loadExample('13').pod as Pod;
    const status = pod.status?.containerStatuses?.[0];
    if (status) {
      status.state = { running: { startedAt: '2025-06-10T09:15:01Z' } };
      status.ready = true;
      if (status.lastState?.terminated) status.lastState.terminated.finishedAt = '2025-06-10T09:15:00Z';
    }
    const finding = expectFinding(analyzeCluster(viewOf([pod])), {
      code: 'crash-loop',
      severity: 'warning',
      paths: [`${app}.args`],
    });
    assert.ok(finding.message.includes('running again'), finding.message);
    if (status?.lastState?.terminated) status.lastState.terminated.finishedAt = '2025-06-10T09:05:00Z';
    assert.deepEqual(analyzeCluster(viewOf([pod])), [], 'fifteen minutes later it is history');
  });

  it('a pod the kubelet stopped (activeDeadlineSeconds) is not a crash', () => {
    const pods = (loadExample('12').items ?? []).filter(
      (o) => o.metadata?.name === 'exitcode-137-d80ea',
    ) as Pod[];
    const pod = pods[0] as Pod;
    pod.status = {
      ...pod.status,
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    };
    assert.deepEqual(analyzeCluster(viewOf([pod])), []);
  });

  it('proposes tidy memory limits', () => {
    assert.equal(proposedMemoryLimit(128 * MI, undefined, undefined), '256Mi');
    assert.equal(proposedMemoryLimit(768 * MI, undefined, undefined), '1536Mi');
    assert.equal(proposedMemoryLimit(1024 * MI, undefined, undefined), '2Gi');
    assert.equal(proposedMemoryLimit(100 * MI, undefined, undefined), '256Mi');
    assert.equal(proposedMemoryLimit(undefined, undefined, 128 * MI), '256Mi');
    assert.equal(proposedMemoryLimit(undefined, undefined, undefined), undefined);
  });
});
