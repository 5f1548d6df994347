// The kubelet's failure rules: each one's status, reason, message and events carry the real
// texts of the failure catalog (§3–§16), and fixing the cause lets the pod start.
import { strict as assert } from 'node:assert';
import type { Node, Pod } from '../../../../../src/kube/types';
import { markForDeletion } from '../../../../../src/demo/sim/controllers/replicaSetController';
import { Harness } from '../harness';

function pod(name: string, spec: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: demo}\nspec:\n${spec.replace(/^\n/, '').replace(/^/gm, '  ')}\n`;
}

function waiting(h: Harness, name: string, container = 0): { reason?: string; message?: string } | undefined {
  return h.pod('demo', name).status?.containerStatuses?.[container]?.state?.waiting;
}

function formatPod(p: Pod): string {
  return `${p.metadata!.name}_${p.metadata!.namespace}(${p.metadata!.uid})`;
}

const nginx = `
containers:
  - name: app
    image: nginx:1.27.2`;

describe('kubelet rules', () => {
  describe('CreateContainerConfigError (§3)', () => {
    const cases: [string, string, string, string?][] = [
      [
        'configmap key',
        'env: [{name: MODE, valueFrom: {configMapKeyRef: {name: app-config, key: mode}}}]',
        "couldn't find key mode in ConfigMap demo/app-config",
        'app-config',
      ],
      [
        'secret',
        'env: [{name: PW, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]',
        'secret "db-credentials" not found',
      ],
      [
        'secret key',
        'env: [{name: PW, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]',
        "couldn't find key password in Secret demo/db-credentials",
        'db-credentials',
      ],
      [
        'envFrom configmap',
        'envFrom: [{configMapRef: {name: checkout-env}}]',
        'configmap "checkout-env" not found',
      ],
    ];
    for (const [label, env, message, existing] of cases) {
      it(`${label}: ${message}`, () => {
        const h = new Harness();
        if (existing === 'app-config')
          h.apply(
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: demo}\ndata: {other: x}\n',
          );
        if (existing === 'db-credentials')
          h.apply(
            'apiVersion: v1\nkind: Secret\nmetadata: {name: db-credentials, namespace: demo}\nstringData: {user: admin}\n',
          );
        h.apply(pod('cfg', `containers:\n  - name: app\n    image: nginx:1.27.2\n    ${env}`));
        h.advance(30);
        assert.deepEqual(waiting(h, 'cfg'), { reason: 'CreateContainerConfigError', message });
        const failed = h.events('demo', 'cfg').find((e) => e.reason === 'Failed');
        assert.equal(failed?.message, `Error: ${message}`);
        assert.equal(failed?.involvedObject.fieldPath, 'spec.containers{app}');
        assert.deepEqual(failed?.source, { component: 'kubelet', host: h.pod('demo', 'cfg').spec!.nodeName });
        assert.ok((failed?.count ?? 0) >= 2, 'retried on every sync');
        const ready = h.pod('demo', 'cfg').status?.conditions?.find((c) => c.type === 'Ready');
        assert.deepEqual(
          [ready?.status, ready?.reason, ready?.message],
          ['False', 'ContainersNotReady', 'containers with unready status: [app]'],
        );
        assert.equal(
          h.pod('demo', 'cfg').status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers')
            ?.status,
          'True',
        );
      });
    }

    it('optional references are skipped', () => {
      const h = new Harness();
      h.apply(
        pod(
          'opt',
          'containers:\n  - name: app\n    image: nginx:1.27.2\n    envFrom: [{configMapRef: {name: nope, optional: true}}]',
        ),
      );
      h.advance(5);
      assert.equal(h.status('demo', 'opt'), 'Running');
    });

    it('runAsNonRoot against an image that runs as root (§3.6)', () => {
      const h = new Harness();
      h.apply(
        pod(
          'nonroot',
          'securityContext: {runAsNonRoot: true}\ncontainers:\n  - name: app\n    image: nginx:1.27.2',
        ),
      );
      h.advance(5);
      const p = h.pod('demo', 'nonroot');
      assert.deepEqual(waiting(h, 'nonroot'), {
        reason: 'CreateContainerConfigError',
        message: `container has runAsNonRoot and image will run as root (pod: "${formatPod(p)}", container: app)`,
      });
    });
  });

  describe('volume mounts (§4)', () => {
    it('a missing ConfigMap volume: ContainerCreating without message, FailedMount on the pod; creating it starts the pod', () => {
      const h = new Harness();
      h.apply(
        pod(
          'mnt',
          `${nginx}\n    volumeMounts: [{name: nginx-conf, mountPath: /etc/nginx/conf.d}]\nvolumes:\n  - name: nginx-conf\n    configMap: {name: checkout-nginx}`,
        ),
      );
      h.advance(20);
      assert.deepEqual(waiting(h, 'mnt'), { reason: 'ContainerCreating' });
      assert.equal(h.status('demo', 'mnt'), 'ContainerCreating');
      const p = h.pod('demo', 'mnt');
      assert.equal(
        p.status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status,
        'False',
      );
      assert.equal(p.status?.podIP, undefined);
      const event = h.events('demo', 'mnt').find((e) => e.reason === 'FailedMount');
      assert.equal(
        event?.message,
        'MountVolume.SetUp failed for volume "nginx-conf" : configmap "checkout-nginx" not found',
      );
      assert.equal(event?.involvedObject.fieldPath, undefined);
      assert.equal(event?.type, 'Warning');
      h.apply(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: checkout-nginx, namespace: demo}\ndata: {default.conf: "server {}"}\n',
      );
      h.advance(5);
      assert.equal(h.status('demo', 'mnt'), 'Running');
    });

    it('a missing items key and a missing Secret', () => {
      const h = new Harness();
      h.apply(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: demo}\ndata: {other.yaml: x}\n',
      );
      h.apply(
        pod(
          'items',
          `${nginx}\nvolumes:\n  - name: app-config\n    configMap: {name: app-config, items: [{key: app.yaml, path: app.yaml}]}`,
        ),
      );
      h.apply(pod('tls', `${nginx}\nvolumes:\n  - name: tls\n    secret: {secretName: checkout-tls}`));
      h.advance(5);
      assert.equal(
        h.events('demo', 'items').find((e) => e.reason === 'FailedMount')?.message,
        'MountVolume.SetUp failed for volume "app-config" : configmap references non-existent config key: app.yaml',
      );
      assert.equal(
        h.events('demo', 'tls').find((e) => e.reason === 'FailedMount')?.message,
        'MountVolume.SetUp failed for volume "tls" : secret "checkout-tls" not found',
      );
    });
  });

  describe('images (§5)', () => {
    it('a tag that does not exist: Pulling, Failed with the containerd text, Error: ErrImagePull, then back-off', () => {
      const h = new Harness();
      h.apply(pod('tag', 'containers:\n  - name: app\n    image: nginx:1.27.99'));
      h.advance(1);
      const err =
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.99": failed to resolve reference "docker.io/library/nginx:1.27.99": docker.io/library/nginx:1.27.99: not found';
      assert.deepEqual(waiting(h, 'tag'), { reason: 'ErrImagePull', message: err });
      h.advance(5);
      assert.deepEqual(waiting(h, 'tag'), {
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "nginx:1.27.99": ErrImagePull: ${err}`,
      });
      h.advance(120);
      const messages = h.messages('demo', 'tag');
      for (const m of [
        'Pulling: Pulling image "nginx:1.27.99"',
        `Failed: Failed to pull image "nginx:1.27.99": ${err}`,
        'Failed: Error: ErrImagePull',
        'BackOff: Back-off pulling image "nginx:1.27.99"',
        'Failed: Error: ImagePullBackOff',
      ]) {
        assert.ok(messages.includes(m), m);
      }
      const pulling = h.events('demo', 'tag').find((e) => e.reason === 'Pulling');
      assert.ok(
        (pulling?.count ?? 0) >= 3 && (pulling?.count ?? 0) <= 6,
        `pulls back off (count ${pulling?.count})`,
      );
      assert.equal(h.pod('demo', 'tag').status?.containerStatuses?.[0]?.restartCount, 0);
    });

    it('InvalidImageName with the distribution/reference text', () => {
      const h = new Harness();
      h.apply(pod('upper', 'containers:\n  - name: app\n    image: Nginx:1.27'));
      h.advance(2);
      const message =
        'Failed to apply default image tag "Nginx:1.27": couldn\'t parse image name "Nginx:1.27": invalid reference format: repository name (library/Nginx) must be lowercase';
      assert.deepEqual(waiting(h, 'upper'), { reason: 'InvalidImageName', message });
      assert.ok(h.messages('demo', 'upper').includes(`InspectFailed: ${message}`));
      assert.ok(h.messages('demo', 'upper').includes('Failed: Error: InvalidImageName'));
    });

    it('ErrImageNeverPull', () => {
      const h = new Harness();
      h.apply(
        pod('never', 'containers:\n  - name: app\n    image: checkout:dev\n    imagePullPolicy: Never'),
      );
      h.advance(2);
      assert.deepEqual(waiting(h, 'never'), {
        reason: 'ErrImageNeverPull',
        message: 'Container image "checkout:dev" is not present with pull policy of Never',
      });
    });

    it('a private registry needs a pull secret for its host', () => {
      const h = new Harness();
      h.apply(pod('priv', 'containers:\n  - name: app\n    image: registry.example.com/shop/checkout:1.4.2'));
      h.advance(1);
      assert.equal(waiting(h, 'priv')?.reason, 'ErrImagePull');
      assert.match(
        waiting(h, 'priv')?.message ?? '',
        /^rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com\/shop\/checkout:1.4.2": .*401 Unauthorized$/,
      );
      h.apply(
        pod(
          'priv2',
          'imagePullSecrets: [{name: missing-cred}]\ncontainers:\n  - name: app\n    image: registry.example.com/shop/checkout:1.4.2',
        ),
      );
      h.advance(1);
      assert.ok(
        h
          .messages('demo', 'priv2')
          .includes(
            'FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets (missing-cred); attempting to pull the image may not succeed.',
          ),
      );
      h.apply(
        `apiVersion: v1\nkind: Secret\nmetadata: {name: missing-cred, namespace: demo}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{"auths":{"registry.example.com":{"auth":"eDp5"}}}'\n`,
      );
      h.advance(60);
      assert.equal(h.status('demo', 'priv2'), 'Running');
    });

    it('a pulled image is reported as already present the next time', () => {
      const h = new Harness([{ name: 'worker-1' }]);
      h.apply(pod('a', nginx));
      h.advance(5);
      h.apply(pod('b', nginx));
      h.advance(5);
      assert.ok(
        h.messages('demo', 'b').includes('Pulled: Container image "nginx:1.27.2" already present on machine'),
      );
      assert.match(
        h.messages('demo', 'a').find((m) => m.startsWith('Pulled:')) ?? '',
        /^Pulled: Successfully pulled image "nginx:1.27.2" in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. Image size: \d+ bytes\.$/,
      );
      assert.equal(
        h.pod('demo', 'b').status?.containerStatuses?.[0]?.image,
        'docker.io/library/nginx:1.27.2',
      );
      assert.match(
        h.pod('demo', 'b').status?.containerStatuses?.[0]?.imageID ?? '',
        /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/,
      );
    });
  });

  describe('running containers', () => {
    it('a bad command: RunContainerError with the runc text, lastState StartError 128 (§11)', () => {
      const h = new Harness();
      h.apply(
        pod('cmd', 'containers:\n  - name: app\n    image: nginx:1.27.2\n    command: [checkout-server]'),
      );
      h.advance(2);
      const message =
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "checkout-server": executable file not found in $PATH: unknown';
      const status = h.pod('demo', 'cmd').status!.containerStatuses![0]!;
      assert.ok(['RunContainerError', 'CrashLoopBackOff'].includes(status.state!.waiting!.reason!));
      const last = status.lastState!.terminated!;
      assert.deepEqual(
        [last.exitCode, last.reason, last.message, last.startedAt],
        [128, 'StartError', message, '1970-01-01T00:00:00Z'],
      );
      assert.ok(h.messages('demo', 'cmd').includes(`Failed: Error: ${message}`));
      assert.ok(h.messages('demo', 'cmd').includes('Created: Created container: app'));
      assert.equal(h.pod('demo', 'cmd').status?.phase, 'Running');
    });

    it('a memory limit below the working set: OOMKilled, exit 137 (§6)', () => {
      const h = new Harness();
      h.apply(
        pod(
          'oom',
          'containers:\n  - name: app\n    image: polinux/stress\n    command: [stress]\n    args: [--vm, "1", --vm-bytes, 250M]\n    resources: {limits: {memory: 100Mi}}',
        ),
      );
      h.advance(3);
      const status = h.pod('demo', 'oom').status!.containerStatuses![0]!;
      const t = status.lastState?.terminated ?? status.state?.terminated;
      assert.deepEqual([t?.exitCode, t?.reason], [137, 'OOMKilled']);
    });

    it('restartPolicy Never: the pod ends Failed with the container terminated (§8)', () => {
      const h = new Harness();
      h.apply(
        pod(
          'once',
          'restartPolicy: Never\ncontainers:\n  - name: app\n    image: busybox:1.36\n    command: [/bin/sh, -c, "exit 2"]',
        ),
      );
      h.advance(5);
      const p = h.pod('demo', 'once');
      assert.equal(p.status?.phase, 'Failed');
      assert.deepEqual(
        [
          p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode,
          p.status?.containerStatuses?.[0]?.state?.terminated?.reason,
        ],
        [2, 'Error'],
      );
      assert.equal(h.status('demo', 'once'), 'Error');
      assert.deepEqual(
        p.status?.conditions?.find((c) => c.type === 'Ready'),
        {
          type: 'Ready',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime,
          reason: 'PodFailed',
        },
      );
    });

    it('readiness failing: Running 0/1 and Unhealthy events (§9)', () => {
      const h = new Harness();
      h.apply(
        pod('ready', `${nginx}\n    readinessProbe: {httpGet: {path: /ready, port: 80}, periodSeconds: 5}`),
      );
      h.advance(30);
      assert.deepEqual(h.rows('demo', 'ready'), ['0/1 Running 0']);
      const event = h
        .events('demo', 'ready')
        .find((e) => e.reason === 'Unhealthy' && e.message?.includes('statuscode'));
      assert.equal(event?.message, 'Readiness probe failed: HTTP probe failed with statuscode: 404');
      assert.ok((event?.count ?? 0) >= 4);
      const status = h.pod('demo', 'ready').status!.containerStatuses![0]!;
      assert.deepEqual([status.ready, status.started], [false, true]);
    });

    it('startup probe failing: killed and restarted with the startup message', () => {
      const h = new Harness();
      h.apply(
        pod(
          'startup',
          `${nginx}\n    startupProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2, failureThreshold: 3}`,
        ),
      );
      h.advance(20);
      const p = h.pod('demo', 'startup');
      const messages = h.messages('demo', 'startup');
      assert.ok(messages.includes('Killing: Container app failed startup probe, will be restarted'));
      assert.ok(
        messages.some((m) =>
          m.startsWith(
            `Unhealthy: Startup probe failed: Get "http://${p.status?.podIP}:8080/": dial tcp ${p.status?.podIP}:8080: connect: connection refused`,
          ),
        ),
      );
      assert.ok((p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
      assert.equal(p.status?.containerStatuses?.[0]?.started, false);
    });
  });

  describe('init containers (§16)', () => {
    it('Init:0/2 while the first runs, then Running', () => {
      const h = new Harness();
      h.apply(
        pod(
          'init',
          `initContainers:\n  - name: wait-for-db\n    image: busybox:1.36\n    command: [/bin/sh, -c, "sleep 10"]\n  - name: migrate\n    image: busybox:1.36\n    command: [/bin/sh, -c, "sleep 5"]\n${nginx}`,
        ),
      );
      h.advance(3);
      assert.equal(h.status('demo', 'init'), 'Init:0/2');
      const p = h.pod('demo', 'init');
      assert.deepEqual(p.status?.containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
      const init = p.status?.conditions?.find((c) => c.type === 'Initialized');
      assert.deepEqual(
        [init?.status, init?.reason, init?.message],
        ['False', 'ContainersNotInitialized', 'containers with incomplete status: [wait-for-db migrate]'],
      );
      h.advance(10);
      assert.equal(h.status('demo', 'init'), 'Init:1/2');
      h.advance(10);
      assert.equal(h.status('demo', 'init'), 'Running');
    });

    it('Init:CrashLoopBackOff with restartPolicy Always, Init:Error with Never', () => {
      const h = new Harness();
      const spec = (policy: string): string =>
        `restartPolicy: ${policy}\ninitContainers:\n  - name: wait-for-db\n    image: busybox:1.36\n    command: [/bin/sh, -c, "exit 1"]\n${nginx}`;
      h.apply(pod('loop', spec('Always')));
      h.apply(pod('once', spec('Never')));
      h.advance(40);
      assert.equal(h.status('demo', 'loop'), 'Init:CrashLoopBackOff');
      assert.equal(h.status('demo', 'once'), 'Init:Error');
      assert.equal(h.pod('demo', 'once').status?.phase, 'Failed');
      assert.equal(h.pod('demo', 'loop').status?.phase, 'Pending');
      assert.ok(
        h
          .events('demo', 'loop')
          .some(
            (e) =>
              e.reason === 'BackOff' && e.involvedObject.fieldPath === 'spec.initContainers{wait-for-db}',
          ),
      );
    });
  });

  it('a sidecar (restartable init container) starts first and keeps running: 2/2 Running', () => {
    const h = new Harness();
    h.apply(
      pod(
        'sidecar',
        `initContainers:\n  - name: proxy\n    image: nginx:1.27.2\n    restartPolicy: Always\ncontainers:\n  - name: app\n    image: busybox:1.36\n    command: [/bin/sh, -c, "while true; do sleep 5; done"]`,
      ),
    );
    h.advance(10);
    assert.deepEqual(h.rows('demo', 'sidecar'), ['2/2 Running 0']);
    const p = h.pod('demo', 'sidecar');
    assert.equal(p.status?.initContainerStatuses?.[0]?.state?.running !== undefined, true);
    assert.equal(p.status?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  it('container statuses are sorted by name and conditions come in the real order', () => {
    const h = new Harness();
    h.apply(
      pod(
        'multi',
        'containers:\n  - name: zeta\n    image: nginx:1.27.2\n  - name: alpha\n    image: redis:7.2.5',
      ),
    );
    h.advance(5);
    const p = h.pod('demo', 'multi');
    assert.deepEqual(
      p.status?.containerStatuses?.map((s) => s.name),
      ['alpha', 'zeta'],
    );
    assert.deepEqual(
      p.status?.conditions?.map((c) => `${c.type}=${c.status}`),
      [
        'PodReadyToStartContainers=True',
        'Initialized=True',
        'Ready=True',
        'ContainersReady=True',
        'PodScheduled=True',
      ],
    );
    assert.equal(h.rows('demo', 'multi')[0], '2/2 Running 0');
    assert.equal(p.status?.qosClass, 'BestEffort');
  });

  it('deletion: Terminating, Killing "Stopping container", gone after the grace period', () => {
    const h = new Harness();
    h.apply(
      pod(
        'sleeper',
        'containers:\n  - name: app\n    image: busybox:1.36\n    command: [/bin/sh, -c, "while true; do sleep 1; done"]',
      ),
    );
    h.advance(5);
    markForDeletion(h.sim.ctx, h.pod('demo', 'sleeper'));
    h.sim.flush();
    assert.equal(h.status('demo', 'sleeper'), 'Terminating');
    assert.ok(h.messages('demo', 'sleeper').includes('Killing: Stopping container app'));
    h.advance(29);
    assert.equal(
      h.pods('demo', 'sleeper').length,
      1,
      'the shell ignores SIGTERM: it lives out the grace period',
    );
    h.advance(2);
    assert.equal(h.pods('demo', 'sleeper').length, 0);
  });

  it('node memory pressure evicts the pod using most above its request (§13)', () => {
    const h = new Harness([{ name: 'worker-1' }]);
    h.apply(
      pod(
        'hog',
        'containers:\n  - name: worker\n    image: polinux/stress\n    command: [stress]\n    args: [--vm, "1", --vm-bytes, 8050M]\n    resources: {requests: {memory: 256Mi}}',
      ),
    );
    h.advance(5);
    const p = h.pod('demo', 'hog');
    assert.equal(p.status?.phase, 'Failed');
    assert.equal(p.status?.reason, 'Evicted');
    assert.match(
      p.status?.message ?? '',
      /^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container worker was using \d+Ki, request is 256Mi, has larger consumption of memory\. $/,
    );
    assert.equal(h.status('demo', 'hog'), 'Error');
    const target = p.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([target?.reason, target?.message], ['TerminationByKubelet', p.status?.message]);
    assert.ok(h.messages('demo', 'hog').includes(`Evicted: ${p.status?.message}`));
    const node = h.store.get('Node', undefined, 'worker-1') as Node;
    assert.deepEqual(
      node.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.reason,
      'KubeletHasInsufficientMemory',
    );
    assert.ok(
      node.spec?.taints?.some(
        (t) => t.key === 'node.kubernetes.io/memory-pressure' && t.effect === 'NoSchedule',
      ),
    );
    assert.ok(h.messages('default').includes('EvictionThresholdMet: Attempting to reclaim memory'));
  });

  it('a node that stops reporting: Unknown conditions, NodeNotReady events, pods marked for deletion after 300s (§15)', () => {
    const h = new Harness();
    h.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: demo}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: app, image: "nginx:1.27.2"}]}\n',
    );
    h.advance(10);
    const victim = h.pods('demo', 'web').find((p) => p.spec?.nodeName === 'worker-1')!;
    h.sim.nodes.setNotReady('worker-1');
    h.sim.flush();
    const node = h.store.get('Node', undefined, 'worker-1') as Node;
    assert.deepEqual(
      node.status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`),
      [
        'MemoryPressure=Unknown/NodeStatusUnknown',
        'DiskPressure=Unknown/NodeStatusUnknown',
        'PIDPressure=Unknown/NodeStatusUnknown',
        'Ready=Unknown/NodeStatusUnknown',
      ],
    );
    assert.ok(
      h.messages('default', 'worker-1').includes('NodeNotReady: Node worker-1 status is now: NodeNotReady'),
    );
    assert.ok(h.messages('demo', victim.metadata!.name).includes('NodeNotReady: Node is not ready'));
    h.advance(301);
    assert.equal(h.status('demo', victim.metadata!.name!), 'Terminating');
    assert.ok(
      h
        .messages('demo', victim.metadata!.name)
        .includes(`TaintManagerEviction: Marking for deletion Pod demo/${victim.metadata!.name}`),
    );
    h.advance(30);
    const running = h.pods('demo', 'web').filter((p) => h.status('demo', p.metadata!.name!) === 'Running');
    assert.equal(running.length, 4, 'the ReplicaSet replaced the pod elsewhere');
    assert.ok(running.every((p) => p.spec?.nodeName !== 'worker-1'));
    h.advance(120);
    assert.equal(
      h.pods('demo', victim.metadata!.name).length,
      1,
      'nothing runs on the dead node: the pod stays Terminating',
    );
    h.sim.nodes.setReady('worker-1');
    h.advance(40);
    assert.equal(
      h.pods('demo', victim.metadata!.name).length,
      0,
      'the returning kubelet finishes the deletion',
    );
  });
});

describe('node removal', () => {
  it('PodGC removes the pods of a deleted node and the ReplicaSet replaces them', () => {
    const h = new Harness();
    h.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: demo}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: app, image: "nginx:1.27.2"}]}\n',
    );
    h.advance(10);
    const gone = h.pods('demo', 'web')[0]!.spec!.nodeName!;
    h.store.delete('Node', undefined, gone);
    h.advance(10);
    const pods = h.pods('demo', 'web');
    assert.equal(pods.length, 4);
    assert.ok(
      pods.every((p) => p.spec?.nodeName !== gone && h.status('demo', p.metadata!.name!) === 'Running'),
    );
  });
});

describe('events', () => {
  it('expire an hour after their last occurrence; repeating ones stay', () => {
    const h = new Harness();
    h.apply(pod('quiet', nginx));
    h.apply(pod('noisy', 'containers:\n  - name: app\n    image: nginx:1.27.99'));
    h.advance(5);
    assert.ok(h.events('demo', 'quiet').length >= 4);
    h.advance(4300);
    assert.deepEqual(h.events('demo', 'quiet'), [], 'swept within ten minutes of expiring');
    const noisy = h.messages('demo', 'noisy');
    assert.ok(noisy.includes('BackOff: Back-off pulling image "nginx:1.27.99"'));
    assert.ok(!noisy.some((m) => m.startsWith('Scheduled:')), 'the one-off Scheduled event expired');
  });
});

describe('event aggregation', () => {
  it('folds the 10th different message of one reason into "(combined from similar events): "', () => {
    const h = new Harness();
    h.apply(pod('agg', nginx));
    h.advance(3);
    const p = h.pod('demo', 'agg');
    for (let i = 0; i < 12; i++) {
      h.sim.ctx.events.record(p, {
        type: 'Warning',
        reason: 'Unhealthy',
        message: `Readiness probe failed: output ${i}`,
        component: 'kubelet',
        host: 'worker-1',
        fieldPath: 'spec.containers{app}',
      });
    }
    const unhealthy = h.events('demo', 'agg').filter((e) => e.reason === 'Unhealthy');
    assert.equal(unhealthy.length, 10);
    const combined = unhealthy.find((e) => e.message?.startsWith('(combined from similar events): '));
    assert.equal(combined?.message, '(combined from similar events): Readiness probe failed: output 11');
    assert.equal(combined?.count, 3);
  });
});
