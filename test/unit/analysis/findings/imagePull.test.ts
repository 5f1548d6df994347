import { strict as assert } from 'node:assert';
import { analyzeCluster } from '../../../../src/analysis/analyze';
import { lowercaseRepository } from '../../../../src/analysis/findings/imagePull';
import type { Pod } from '../../../../src/kube/types';
import type { MemoryClusterView } from '../../../../src/kube/memoryClusterView';
import { catalogView, loadExample, viewOf } from './catalogView';
import type { Expected } from './expectFinding';
import { expectFinding } from './expectFinding';
import { checkoutHistory } from './history';

const app = 'containers[name=app]';

/** Example 08 with the waiting state replaced and the events gone (they expire after an hour). */
function waitingOnly(reason: string, message: string): MemoryClusterView {
  const example = loadExample('08');
  const pod = example.pod as Pod;
  const status = pod.status?.containerStatuses?.[0];
  if (status) status.state = { waiting: { reason, message } };
  return viewOf([pod]);
}

const cases: { name: string; view: () => MemoryClusterView; expected: Expected }[] = [
  {
    name: '08 tag not found',
    view: () => catalogView('08'),
    expected: {
      code: 'image-not-found',
      container: 'app',
      paths: [`${app}.image`, `${app}.name`],
      message: ['"nginx:1.27.99"'],
      evidence: ['docker.io/library/nginx:1.27.99: not found', 'Failed to pull image "nginx:1.27.99"'],
      noFix: true,
    },
  },
  {
    name: '08 tag not found: the fix is the image revision 6 ran',
    view: () =>
      catalogView(
        '08',
        checkoutHistory([{ name: 'app', image: 'nginx:1.27.99' }], [{ name: 'app', image: 'nginx:1.27' }]),
      ),
    expected: {
      code: 'image-not-found',
      workload: 'Deployment/checkout',
      paths: [`${app}.image`],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.image`, value: 'nginx:1.27' }],
    },
  },
  {
    name: '08 containerd 2 transfer-service text, ErrImagePull, no events left',
    view: () =>
      waitingOnly(
        'ErrImagePull',
        (loadExample('08')._meta as Record<string, string>)['containerd2TransferServiceVariant'] ?? '',
      ),
    expected: {
      code: 'image-not-found',
      paths: [`${app}.image`],
      evidence: ['failed to resolve image: docker.io/library/nginx:1.27.99: not found'],
    },
  },
  {
    name: '09 pull access denied, pull secret missing',
    view: () => catalogView('09'),
    expected: {
      code: 'image-pull-unauthorized',
      container: 'app',
      paths: [`${app}.image`, 'imagePullSecrets'],
      message: ['regcred does not exist'],
      evidence: [
        'pull access denied, repository does not exist or may require authorization',
        'Unable to retrieve some image pull secrets (regcred)',
      ],
      noFix: true,
    },
  },
  {
    name: '09 pull access denied: the fix names the pull secret that exists',
    view: () =>
      catalogView('09', [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'kubernetes.io/dockerconfigjson',
          metadata: { name: 'dockerhub-pull', namespace: 'shop' },
          data: { '.dockerconfigjson': 'e30=' },
        },
      ]),
    expected: {
      code: 'image-pull-unauthorized',
      paths: [`${app}.image`],
      fix: [
        { op: 'set', root: 'podSpec', path: 'imagePullSecrets[name=regcred].name', value: 'dockerhub-pull' },
      ],
    },
  },
  {
    name: '10 invalid image name: lower-case repository',
    view: () => catalogView('10'),
    expected: {
      code: 'image-invalid',
      container: 'app',
      paths: [`${app}.image`],
      evidence: ['repository name (library/Nginx) must be lowercase'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.image`, value: 'nginx:1.27' }],
    },
  },
  {
    name: 'ErrImageNeverPull (catalog §5.3)',
    view: () =>
      waitingOnly(
        'ErrImageNeverPull',
        'Container image "checkout:dev" is not present with pull policy of Never',
      ),
    expected: {
      code: 'image-never-pulled',
      container: 'app',
      paths: [`${app}.imagePullPolicy`, `${app}.image`],
      evidence: ['is not present with pull policy of Never'],
      fix: [{ op: 'set', root: 'podSpec', path: `${app}.imagePullPolicy`, value: 'IfNotPresent' }],
    },
  },
];

describe('imagePull findings (catalog §5)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectFinding(analyzeCluster(c.view()), c.expected);
    });
  }

  it('reports nothing for a registry the node cannot reach (not a manifest problem)', () => {
    const view = waitingOnly(
      'ErrImagePull',
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/checkout:1.4.2": failed to resolve reference "registry.example.com/shop/checkout:1.4.2": dial tcp: lookup registry.example.com on 10.96.0.10:53: no such host',
    );
    assert.deepEqual(analyzeCluster(view), []);
  });

  it('lower-cases registry and repository but keeps tag and digest', () => {
    assert.equal(
      lowercaseRepository('Registry.Example.com:5000/Shop/App:V1'),
      'registry.example.com:5000/shop/app:V1',
    );
    assert.equal(lowercaseRepository('Nginx@sha256:ABC'), 'nginx@sha256:ABC');
  });
});
