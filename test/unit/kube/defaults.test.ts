import { strict as assert } from 'node:assert';
import { defaultContainer, defaultObject, defaultPod } from '../../../src/kube/defaults';
import { defaultPullPolicy } from '../../../src/kube/imageReference';
import type { KubeObject } from '../../../src/kube/types';

const spec = (o: KubeObject): Record<string, unknown> => o['spec'] as Record<string, unknown>;

describe('defaultPullPolicy (SetDefaults_Container via ParseImageName)', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['registry.example.com:5000/app:v2', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    // Both demo copies said IfNotPresent: a digest hid the tag. ParseImageName still returns it.
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    // The apiserver's copy read an unparsable reference as untagged and said Always.
    ['Nginx', 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) {
    it(`${image} → ${policy}`, () => assert.equal(defaultPullPolicy(image), policy));
  }
});

describe('defaultObject (SetDefaults_*)', () => {
  it('defaults container ports to TCP, in pods and templates alike', () => {
    const c = defaultContainer({ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] });
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
  });

  it('fills the missing half of a Deployment rolling update and keeps the half that is set', () => {
    // The apiserver's copy replaced the whole strategy when it had no type; the sim's kept a
    // typeless strategy as written. SetDefaults_Deployment fills each field on its own.
    const d = defaultObject({ kind: 'Deployment', spec: { strategy: { rollingUpdate: { maxSurge: 1 } } } });
    assert.deepEqual(spec(d)['strategy'], {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' },
    });
    const recreate = defaultObject({ kind: 'Deployment', spec: { strategy: { type: 'Recreate' } } });
    assert.deepEqual(spec(recreate)['strategy'], { type: 'Recreate' });
  });

  it("gives a Job's pods restartPolicy Never unless the manifest sets one", () => {
    const job = (restartPolicy?: string): unknown =>
      (
        spec(
          defaultObject({
            kind: 'Job',
            spec: { template: { spec: { containers: [], ...(restartPolicy ? { restartPolicy } : {}) } } },
          }),
        )['template'] as { spec: { restartPolicy: string } }
      ).spec.restartPolicy;
    assert.equal(job(), 'Never');
    assert.equal(job('OnFailure'), 'OnFailure');
    // The apiserver's copy rewrote Always to Never; Kubernetes keeps it and validation refuses it.
    assert.equal(job('Always'), 'Always');
  });

  it('merges a Secret’s stringData into data as base64 and drops it', () => {
    const s = defaultObject({ kind: 'Secret', data: { a: 'eA==' }, stringData: { b: 'é' } });
    assert.deepEqual(s, { kind: 'Secret', type: 'Opaque', data: { a: 'eA==', b: 'w6k=' } });
  });

  it('gives a Pod enableServiceLinks but not a template, and leaves set fields alone', () => {
    const pod = defaultPod({ spec: { containers: [], restartPolicy: 'Never', dnsPolicy: null } });
    assert.equal(pod.spec?.enableServiceLinks, true);
    assert.equal(pod.spec?.restartPolicy, 'Never');
    assert.equal(pod.spec?.['dnsPolicy'], 'ClusterFirst');
    const rs = defaultObject({ kind: 'ReplicaSet', spec: { template: { spec: { containers: [] } } } });
    const template = spec(rs)['template'] as { metadata: unknown; spec: Record<string, unknown> };
    assert.equal(template.spec['enableServiceLinks'], undefined);
    assert.deepEqual(template.metadata, {});
  });
});
