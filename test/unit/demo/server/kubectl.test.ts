// Real kubectl 1.32 against the demo apiserver: the commands a user debugging pods runs, through
// an ordinary kubeconfig. Skipped when kubectl is not installed.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Harness } from './harness';
import { KUBECTL, kubectl, kubectlStream, startHarness, waitFor } from './harness';

const DEPLOYMENT = (replicas: number, value: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        env:
        - {name: MODE, value: "${value}"}
        - {name: KEEP, value: "yes"}
        ports:
        - containerPort: 80
`;

describe('real kubectl against the demo apiserver', function () {
  this.timeout(60000);
  let h: Harness;
  before(async function () {
    if (!KUBECTL) this.skip();
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('get pods -A prints the kubectl table', async () => {
    const r = await kubectl(h, ['get', 'pods', '-A']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(r.stdout, /\ndemo\s+web-1\s+1\/1\s+Running\s+2 \(\d+s ago\)\s+5m/);
    assert.match(r.stdout, /\ndemo\s+db-0\s+0\/1\s+Pending\s+0\s+/);
    assert.match(r.stdout, /\nshop\s+cart-1\s+1\/1\s+Running/);
  });

  it('get pods -o wide and -o json', async () => {
    const wide = await kubectl(h, ['get', 'pods', '-o', 'wide']);
    assert.match(
      wide.stdout,
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/,
    );
    assert.match(
      wide.stdout,
      /web-2\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.5\s+worker-1\s+<none>\s+<none>/,
    );
    const json = await kubectl(h, ['get', 'pods', '-o', 'json']);
    const list = JSON.parse(json.stdout) as {
      kind: string;
      items: { kind: string; metadata: { name: string } }[];
    };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      ['api-1', 'db-0', 'web-1', 'web-2'],
    );
    assert.equal(list.items[0]?.kind, 'Pod');
  });

  it('label and field selectors, and paging with --chunk-size=2', async () => {
    const l = await kubectl(h, ['get', 'pods', '-l', 'app in (web,api),tier!=back', '-o', 'name']);
    assert.equal(l.stdout, 'pod/api-1\npod/web-1\npod/web-2\n');
    const f = await kubectl(h, [
      'get',
      'pods',
      '-A',
      '--field-selector',
      'status.phase=Running,metadata.namespace!=shop',
      '-o',
      'name',
    ]);
    assert.equal(f.stdout, 'pod/api-1\npod/web-1\npod/web-2\n');
    const paged = await kubectl(h, ['get', 'pods', '-A', '--chunk-size=2', '-v=6']);
    assert.equal(paged.code, 0);
    assert.equal(
      (paged.stderr.match(/GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/pods\?/g) ?? []).length,
      3,
      'three pages',
    );
    assert.equal(paged.stdout.trim().split('\n').length, 6);
  });

  it('apply -f creates, then a second apply patches (client-side, strategic merge)', async () => {
    const file = join(h.dir, 'deploy.yaml');
    writeFileSync(file, DEPLOYMENT(2, 'a'));
    const first = await kubectl(h, ['apply', '-f', file]);
    assert.equal(first.stdout, 'deployment.apps/shop created\n', first.stderr);
    writeFileSync(file, DEPLOYMENT(3, 'b'));
    const second = await kubectl(h, ['apply', '-f', file, '-v=6']);
    assert.match(second.stdout, /^deployment.apps\/shop configured\n$/, second.stderr);
    assert.match(
      second.stderr,
      /PATCH https:\/\/127\.0\.0\.1:\d+\/apis\/apps\/v1\/namespaces\/demo\/deployments\/shop\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 200 OK/,
    );
    const d = h.store.get('Deployment', 'demo', 'shop') as {
      metadata: { generation: number; annotations: Record<string, string> };
      spec: { replicas: number; template: { spec: { containers: { env: unknown[] }[] } } };
    };
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.metadata.generation, 2);
    assert.deepEqual(d.spec.template.spec.containers[0]?.env, [
      { name: 'MODE', value: 'b' },
      { name: 'KEEP', value: 'yes' },
    ]);
    assert.ok(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const server = await kubectl(h, ['apply', '--server-side', '-f', file]);
    assert.equal(server.stdout, 'deployment.apps/shop serverside-applied\n', server.stderr);
    const table = await kubectl(h, ['get', 'deploy']);
    assert.match(table.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nshop\s+0\/3\s+0\s+0\s+\d+s\n$/);
  });

  it('server-side apply: a changed field owned by another manager conflicts as on a real cluster; --force-conflicts takes it; managedFields show who owns what', async () => {
    const file = join(h.dir, 'ledger.yaml');
    const ledger = (value: string): string => DEPLOYMENT(1, value).replace(/shop/g, 'ledger');
    writeFileSync(file, ledger('a'));
    assert.equal((await kubectl(h, ['apply', '-f', file])).stdout, 'deployment.apps/ledger created\n');
    writeFileSync(file, ledger('b'));
    const refused = await kubectl(h, ['apply', '--server-side', '--field-manager=podscope', '-f', file]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.template\.spec\.containers\[name="app"\]\.env\[name="MODE"\]\.value\nPlease review the fields above--they currently have other managers\./,
    );
    const mode = (): unknown =>
      (
        h.store.get('Deployment', 'demo', 'ledger') as {
          spec: { template: { spec: { containers: { env: { name: string; value: string }[] }[] } } };
        }
      ).spec.template.spec.containers[0]?.env.find((e) => e.name === 'MODE')?.value;
    assert.equal(mode(), 'a', 'a refused apply changes nothing');
    const dry = await kubectl(h, [
      'apply',
      '--server-side',
      '--field-manager=podscope',
      '--dry-run=server',
      '-f',
      file,
    ]);
    assert.match(dry.stderr, /Apply failed with 1 conflict/);
    const forced = await kubectl(h, [
      'apply',
      '--server-side',
      '--field-manager=podscope',
      '--force-conflicts',
      '-f',
      file,
    ]);
    assert.equal(forced.stdout, 'deployment.apps/ledger serverside-applied\n', forced.stderr);
    assert.equal(mode(), 'b');
    const shown = await kubectl(h, ['get', 'deploy', 'ledger', '-o', 'yaml', '--show-managed-fields']);
    const managed = (
      parseYaml(shown.stdout) as {
        metadata: { managedFields: { manager: string; operation: string; fieldsV1: unknown }[] };
      }
    ).metadata.managedFields;
    // kubectl 1.32 then migrates client-side apply's ownership to the server-side manager (a JSON
    // patch of managedFields), so podscope is left owning what both had.
    assert.deepEqual(
      managed.map((m) => `${m.manager} ${m.operation}`),
      ['podscope Apply'],
    );
    const containers = (f: unknown): Record<string, Record<string, unknown>> =>
      (
        f as Record<
          string,
          Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>
        >
      )['f:spec']!['f:template']!['f:spec']!['f:containers']!;
    const app = containers(managed[0]!.fieldsV1)['k:{"name":"app"}']!;
    assert.deepEqual((app['f:env'] as Record<string, unknown>)['k:{"name":"MODE"}'], {
      '.': {},
      'f:name': {},
      'f:value': {},
    });
    assert.deepEqual(app['f:ports'], {
      // Keyed with the defaulted protocol the manifest leaves out.
      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
    });
    // Without the flag, kubectl hides managedFields as it does for a real cluster.
    assert.doesNotMatch(
      (await kubectl(h, ['get', 'deploy', 'ledger', '-o', 'yaml'])).stdout,
      /managedFields/,
    );
  });

  it('apply rejects an unknown field (fieldValidation=Strict) and warns under --validate=warn', async () => {
    const file = join(h.dir, 'typo.yaml');
    writeFileSync(
      file,
      DEPLOYMENT(1, 'c').replace('image: nginx', 'imagee: nginx').replace('name: shop', 'name: typo'),
    );
    const strict = await kubectl(h, ['apply', '-f', file]);
    assert.equal(strict.code, 1);
    assert.equal(
      strict.stderr,
      `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee"\n`,
    );
    // Dropped with a warning, the container then lacks an image: the 422 a real server gives too.
    const warn = await kubectl(h, ['apply', '-f', file, '--validate=warn']);
    assert.equal(
      warn.stderr,
      'Warning: unknown field "spec.template.spec.containers[0].imagee"\nThe Deployment "typo" is invalid: spec.template.spec.containers[0].image: Required value\n',
    );
  });

  it('create configmap (protobuf body) and create deployment', async () => {
    const cm = await kubectl(h, [
      'create',
      'configmap',
      'app-config',
      '--from-literal=mode=fast',
      '--from-literal=level=2',
    ]);
    assert.equal(cm.stdout, 'configmap/app-config created\n', cm.stderr);
    assert.deepEqual(h.store.get('ConfigMap', 'demo', 'app-config')?.['data'], { mode: 'fast', level: '2' });
    const get = await kubectl(h, ['get', 'configmap', 'app-config']);
    assert.match(get.stdout, /^NAME\s+DATA\s+AGE\napp-config\s+2\s+\d+s\n$/);
    const dep = await kubectl(h, ['create', 'deployment', 'echo', '--image=busybox:1.36', '--replicas=0']);
    assert.equal(dep.stdout, 'deployment.apps/echo created\n', dep.stderr);
    assert.equal((h.store.get('Deployment', 'demo', 'echo')?.['spec'] as { replicas: number }).replicas, 0);
  });

  it('get events --sort-by=.lastTimestamp', async () => {
    const r = await kubectl(h, ['get', 'events', '--sort-by=.lastTimestamp']);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.match(
      lines[1] ?? '',
      /Warning\s+FailedScheduling\s+pod\/db-0\s+0\/1 nodes are available: 1 Insufficient memory\./,
    );
    assert.match(lines[2] ?? '', /\(x4 over 10m\)\s+Warning\s+BackOff\s+pod\/web-1/);
  });

  it('logs and logs --previous', async () => {
    assert.equal((await kubectl(h, ['logs', 'web-1'])).stdout, 'starting web\nlistening on :8080\n');
    assert.equal(
      (await kubectl(h, ['logs', 'web-1', '--previous'])).stdout,
      'panic: config missing\nexit 1\n',
    );
    const unscheduled = await kubectl(h, ['logs', 'db-0']);
    assert.deepEqual([unscheduled.code, unscheduled.stdout], [0, ''], 'no node, no logs, no error');
    const creating = structuredClone(h.store.get('Pod', 'demo', 'db-0'));
    h.store.update({ ...creating, spec: { ...(creating?.['spec'] as object), nodeName: 'worker-1' } });
    const waiting = await kubectl(h, ['logs', 'db-0']);
    assert.equal(waiting.code, 1);
    assert.equal(
      waiting.stderr,
      'Error from server (BadRequest): container "db" in pod "db-0" is waiting to start: ContainerCreating\n',
    );
  });

  it('get pods -w sees a change', async () => {
    const watch = kubectlStream(h, ['get', 'pods', '-w']);
    try {
      await waitFor('initial list', () => /web-2/.test(watch.output()), 15000);
      await waitFor('watch open', () => h.server.watchCount() > 0, 15000);
      const pod = structuredClone(h.store.get('Pod', 'demo', 'api-1'));
      const status = pod?.['status'] as {
        containerStatuses: { restartCount: number; state: unknown; ready: boolean }[];
      };
      status.containerStatuses[0] = {
        ...status.containerStatuses[0]!,
        ready: false,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      };
      h.store.updateStatus(pod ?? {});
      await waitFor(
        'CrashLoopBackOff row',
        () => /api-1\s+0\/1\s+CrashLoopBackOff/.test(watch.output()),
        15000,
      );
      assert.equal((watch.output().match(/^NAME\s+READY/gm) ?? []).length, 1, 'one header');
    } finally {
      watch.stop();
    }
  });

  it('debug <pod> --image=busybox --target=app adds an ephemeral container', async () => {
    const r = await kubectl(h, ['debug', 'web-2', '--image=busybox', '--target=app']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /Defaulting debug container name to debugger-[a-z0-9]{5}\./);
    const pod = h.store.get('Pod', 'demo', 'web-2') as {
      spec: { ephemeralContainers: { image: string; targetContainerName: string }[] };
    };
    assert.deepEqual(
      [pod.spec.ephemeralContainers[0]?.image, pod.spec.ephemeralContainers[0]?.targetContainerName],
      ['busybox', 'app'],
    );
  });

  it('exec fails at once with the kubelet dial error', async () => {
    const r = await kubectl(h, ['exec', 'web-1', '--', 'ls'], { timeoutMs: 15000 });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Error from server: error dialing backend: dial tcp 10\.0\.0\.11:10250: connect: connection refused/,
    );
  });

  it('top pod', async () => {
    const r = await kubectl(h, ['top', 'pod']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    assert.match(r.stdout, /\nweb-2\s+1m\s+8Mi/);
  });

  it('explain pod', async () => {
    const r = await kubectl(h, ['explain', 'pod.spec.containers.image']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: image <string>/);
  });

  it('delete waits for a graceful pod deletion and reports it', async () => {
    const r = await kubectl(h, ['delete', 'pod', 'web-1']);
    assert.equal(r.stdout, 'pod "web-1" deleted\n', r.stderr);
    assert.equal(h.store.get('Pod', 'demo', 'web-1'), undefined);
    const cm = await kubectl(h, ['delete', 'configmap', 'app-config']);
    assert.equal(cm.stdout, 'configmap "app-config" deleted\n');
  });

  it('a forbidden resource prints the Forbidden message and exits 1', async () => {
    h.server.rbac.forbid({ resource: 'secrets' });
    try {
      const r = await kubectl(h, ['get', 'secrets']);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:demo:podscope" cannot list resource "secrets" in API group "" in the namespace "demo"\n',
      );
    } finally {
      h.server.rbac.clear();
    }
  });

  it("not found is kubectl's NotFound", async () => {
    const r = await kubectl(h, ['get', 'pod', 'ghost']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "ghost" not found\n');
  });
});
