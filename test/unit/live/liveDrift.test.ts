import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../../src/kube/types';
import { detectDrift } from '../../../src/live/liveDrift';
import { applyEdits } from '../../../src/manifest/textEdit';
import { placeFindings } from '../../../src/live/placeFindings';
import { docOf, fixture } from '../manifest/fixtures';

/** The checkout Deployment as the server returns it: defaults added, quantities canonicalised. */
function liveCheckout(
  edit: (container: Record<string, unknown>, spec: Record<string, unknown>) => void = () => undefined,
): KubeObject {
  const container: Record<string, unknown> = {
    name: 'app',
    image: 'registry.example.com/shop/checkout:1.4.2',
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    env: [
      {
        name: 'APP_MODE',
        valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode', optional: false } },
      },
    ],
    resources: { requests: { cpu: '0.1', memory: '128Mi' }, limits: { memory: '131072Ki' } },
  };
  const spec: Record<string, unknown> = {
    replicas: 3,
    progressDeadlineSeconds: 600,
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: { containers: [container], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    },
  };
  edit(container, spec);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop', uid: 'd-1' },
    spec,
  };
}

const manifest = (): KubeObject => docOf(fixture('checkout.yaml'), 'checkout').object;

describe('drift', () => {
  const cases: { name: string; live: KubeObject; expect: [string, string][] }[] = [
    { name: 'ignores server defaults and equal quantities', live: liveCheckout(), expect: [] },
    {
      name: 'reports an image the file changed but nobody applied',
      live: liveCheckout((c) => (c['image'] = 'registry.example.com/shop/checkout:1.4.1')),
      expect: [
        [
          'spec.template.spec.containers[name=app].image',
          'Live Deployment runs image "registry.example.com/shop/checkout:1.4.1"; this file says "registry.example.com/shop/checkout:1.4.2" (not applied)',
        ],
      ],
    },
    {
      name: 'compares limits by value',
      live: liveCheckout(
        (c) => (c['resources'] = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '64Mi' } }),
      ),
      expect: [
        [
          'spec.template.spec.containers[name=app].resources.limits.memory',
          'Live Deployment has limit memory "64Mi" for container "app"; this file says "128Mi" (not applied)',
        ],
      ],
    },
    {
      name: 'reports replicas, a changed env ref and a missing container',
      live: liveCheckout((c, spec) => {
        spec['replicas'] = 5;
        c['name'] = 'main';
      }),
      expect: [
        [
          'spec.replicas',
          'Live Deployment has 5 replicas; this file says 3 (not applied, or scaled by an autoscaler)',
        ],
        [
          'spec.template.spec.containers[name=app].name',
          'Live Deployment has no container "app"; this file defines it (not applied)',
        ],
      ],
    },
    {
      name: 'reports env valueFrom and command changes',
      live: liveCheckout((c) => {
        c['env'] = [
          { name: 'APP_MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'app_mode' } } },
        ];
      }),
      expect: [
        [
          'spec.template.spec.containers[name=app].env[name=APP_MODE].valueFrom',
          'Live Deployment takes env var "APP_MODE" of container "app" from {"configMapKeyRef":{"name":"app-config","key":"app_mode"}}; this file says {"configMapKeyRef":{"name":"app-config","key":"mode"}} (not applied)',
        ],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = detectDrift(manifest(), c.live);
      assert.deepEqual(
        findings.map((f) => [f.blame.paths[0], f.message]),
        c.expect,
      );
      for (const f of findings) {
        assert.equal(f.code, 'live-drift');
        assert.equal(f.severity, 'info');
        assert.equal(f.blame.root, 'object');
        assert.deepEqual(f.subject, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'checkout',
          uid: 'd-1',
        });
      }
    });
  }

  it('compares commands, args and env values of a bare Pod', () => {
    const file: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            command: ['run'],
            args: ['--x'],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '' },
            ],
          },
        ],
      },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{ name: 'c', command: ['run'], env: [{ name: 'A', value: '2' }, { name: 'B' }] }],
      },
    };
    assert.deepEqual(
      detectDrift(file, live).map((f) => f.blame.paths[0]),
      ['spec.containers[name=c].args', 'spec.containers[name=c].env[name=A].value'],
    );
  });

  it('lands on the image in the file, with a fix that writes the live value back', () => {
    const manifestFile = fixture('checkout.yaml');
    const live = liveCheckout((c) => (c['image'] = 'registry.example.com/shop/checkout:1.4.1'));
    const findings = detectDrift(docOf(manifestFile, 'checkout').object, live);
    const [placed] = placeFindings([{ file: 'checkout.yaml', manifest: manifestFile }], findings, {
      defaultNamespace: 'shop',
    });
    assert.deepEqual(placed?.range, {
      start: { line: 21, character: 17 },
      end: { line: 21, character: 57 },
    });
    assert.equal(
      applyEdits(manifestFile.text, placed?.fixEdits[0]?.edits ?? []),
      manifestFile.text.replace('checkout:1.4.2', 'checkout:1.4.1'),
    );
  });
});
