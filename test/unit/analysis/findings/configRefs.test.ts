import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import type { Container, KubeEvent, Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, objectsOf, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding } from './expectFinding';

const app = 'containers[name=app]';

/** Example 07 once Secret checkout-tls exists without key tls.crt: the second FailedMount is the current one. */
function withTlsSecret(): MemoryClusterView {
  return catalogView('07', [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'checkout-tls', namespace: 'shop' },
      data: { 'tls.key': 'x', 'server.crt': 'y' },
    },
  ]);
}

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '01 env configMapKeyRef to a missing ConfigMap',
    view: () => catalogView('01'),
    expected: {
      code: 'configmap-missing',
      subject: 'Pod/checkout-6d8f7b9c5-df336',
      workload: 'ReplicaSet/checkout-6d8f7b9c5',
      container: 'app',
      paths: [
        `${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.name`,
        `${app}.env[name=APP_MODE].valueFrom.configMapKeyRef`,
        `${app}.name`,
      ],
      evidence: [
        'CreateContainerConfigError: configmap "app-config" not found',
        'Failed: Error: configmap "app-config" not found (×9)',
      ],
      create: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'app-config', namespace: 'shop' },
          data: { mode: '' },
        },
      ],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: `${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.optional`,
          value: true,
        },
      ],
    },
  },
  {
    name: '02 key missing from an existing ConfigMap: suggests the keys it has',
    view: () => catalogView('02'),
    expected: {
      code: 'configmap-key-missing',
      container: 'app',
      paths: [`${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.key`],
      evidence: ["couldn't find key mode in ConfigMap shop/app-config"],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: `${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.key`,
          value: 'app_mode',
        },
      ],
    },
  },
  {
    name: '03 env secretKeyRef to a missing Secret',
    view: () => catalogView('03'),
    expected: {
      code: 'secret-missing',
      container: 'app',
      paths: [`${app}.env[name=DB_PASSWORD].valueFrom.secretKeyRef.name`],
      evidence: ['secret "db-credentials" not found'],
      create: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'Opaque',
          metadata: { name: 'db-credentials', namespace: 'shop' },
          stringData: { password: '' },
        },
      ],
    },
  },
  {
    name: '04 key missing from an existing Secret',
    view: () => catalogView('04'),
    expected: {
      code: 'secret-key-missing',
      container: 'app',
      paths: [`${app}.env[name=DB_PASSWORD].valueFrom.secretKeyRef.key`],
      evidence: ["couldn't find key password in Secret shop/db-credentials"],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: `${app}.env[name=DB_PASSWORD].valueFrom.secretKeyRef.key`,
          value: 'db-password',
        },
      ],
    },
  },
  {
    name: '05 envFrom configMapRef to a missing ConfigMap',
    view: () => catalogView('05'),
    expected: {
      code: 'configmap-missing',
      container: 'app',
      paths: [`${app}.envFrom[0].configMapRef.name`],
      evidence: ['configmap "checkout-env" not found'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.envFrom[0].configMapRef.optional`, value: true }],
    },
  },
  {
    name: '06 FailedMount: configMap volume names a missing ConfigMap',
    view: () => catalogView('06'),
    expected: {
      code: 'configmap-missing',
      container: undefined,
      paths: ['volumes[name=nginx-conf].configMap.name', 'volumes[name=nginx-conf].configMap'],
      evidence: [
        'MountVolume.SetUp failed for volume "nginx-conf" : configmap "checkout-nginx" not found',
        'mounted by container "app" at /etc/nginx/conf.d',
      ],
      create: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'checkout-nginx', namespace: 'shop' },
          data: {},
        },
      ],
      fix: [{ op: 'set', root: 'podSpec', path: 'volumes[name=nginx-conf].configMap.optional', value: true }],
    },
  },
  {
    name: '07 FailedMount: secret volume, Secret still missing (the key event is stale)',
    view: () => catalogView('07'),
    expected: {
      code: 'secret-missing',
      paths: ['volumes[name=tls].secret.secretName'],
      evidence: ['secret "checkout-tls" not found'],
      create: [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'Opaque',
          metadata: { name: 'checkout-tls', namespace: 'shop' },
          stringData: { 'tls.crt': '' },
        },
      ],
    },
  },
  {
    name: '07 FailedMount: items[].key missing once the Secret exists',
    view: withTlsSecret,
    expected: {
      code: 'secret-key-missing',
      paths: ['volumes[name=tls].secret.items[key=tls.crt].key', 'volumes[name=tls].secret'],
      evidence: ['references non-existent secret key: tls.crt'],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: 'volumes[name=tls].secret.items[key=tls.crt].key',
          value: 'tls.key',
        },
      ],
    },
  },
];

describe('configRefs findings (catalog §3, §4)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('07: with the Secret present, the old "not found" event is not reported', () => {
    assert.deepEqual(
      analyzeCluster(withTlsSecret()).map((f) => f.code),
      ['secret-key-missing'],
    );
  });

  it('skips references marked optional, as the kubelet does', () => {
    const example = loadExample('01');
    const pod = example.pod as Pod;
    const container = pod.spec?.containers[0] as Container;
    container.env = [
      {
        name: 'OPTIONAL_MODE',
        valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode', optional: true } },
      },
      ...(container.env ?? []),
    ];
    const finding = expectFinding(analyzeCluster(viewOf(objectsOf(example))), {
      code: 'configmap-missing',
      paths: [`${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.name`],
    });
    assert.ok(!finding.blame.paths.some((p) => p.includes('OPTIONAL_MODE')));
  });

  it('matches FailedMount events carrying the aggregation prefix', () => {
    const example = loadExample('06');
    const mount = (example.events as KubeEvent[]).find((e) => e.reason === 'FailedMount') as KubeEvent;
    mount.message = `(combined from similar events): ${mount.message ?? ''}`;
    expectFinding(analyzeCluster(viewOf(objectsOf(example))), {
      code: 'configmap-missing',
      paths: ['volumes[name=nginx-conf].configMap.name'],
    });
  });

  it('ignores old FailedMount events once the pod runs', () => {
    const example = loadExample('06');
    (example.pod as Pod).status = { phase: 'Running' };
    assert.deepEqual(analyzeCluster(viewOf(objectsOf(example))), []);
  });

  it('offers an existing ConfigMap with a similar name', () => {
    const view = catalogView('01', [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app-configs', namespace: 'shop' },
        data: { mode: 'x' },
      },
    ]);
    expectFinding(analyzeCluster(view), {
      code: 'configmap-missing',
      paths: [`${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.name`],
      fix: [
        {
          op: 'set',
          root: 'podSpec',
          path: `${app}.env[name=APP_MODE].valueFrom.configMapKeyRef.name`,
          value: 'app-configs',
        },
      ],
    });
  });
});
