import { strict as assert } from 'node:assert';
import { request } from 'node:https';
import { connect } from 'node:tls';
import type { Harness } from './harness';
import { http, openWatch, runningPod, startHarness, waitFor } from './harness';

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface Status {
  kind: string;
  status: string;
  reason?: string;
  message: string;
  code: number;
  details?: Record<string, unknown>;
}

describe('demo apiserver over HTTPS', function () {
  this.timeout(15000);
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  describe('auth, version and discovery', () => {
    it('dates responses with the simulated clock', async () => {
      const clock = {
        now: () => Date.parse('2025-06-10T09:00:00Z'),
        setTimer: () => ({ cancel: () => undefined }),
      };
      const other = await startHarness({ clock });
      try {
        const res = await http(other.server, 'GET', '/api/v1/namespaces/demo/pods');
        assert.equal(res.headers['date'], 'Tue, 10 Jun 2025 09:00:00 GMT');
      } finally {
        await other.close();
      }
    });

    it('serves /version without a token and says v1.32', async () => {
      const res = await http(h.server, 'GET', '/version', { token: null });
      assert.equal(res.status, 200);
      assert.equal(res.json()['gitVersion'], 'v1.32.4');
    });

    it('answers 401 Unauthorized without the bearer token', async () => {
      const res = await http(h.server, 'GET', '/api/v1/pods', { token: 'wrong' });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    });

    it('serves aggregated discovery with its content type, and legacy lists otherwise', async () => {
      const agg = await http(h.server, 'GET', '/apis', { headers: { Accept: AGGREGATED } });
      assert.equal(
        agg.headers['content-type'],
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      );
      const groups = agg
        .json<{ items: { metadata: { name: string } }[] }>()
        .items.map((i) => i.metadata.name);
      assert.deepEqual(groups, [
        'apps',
        'batch',
        'events.k8s.io',
        'discovery.k8s.io',
        'scheduling.k8s.io',
        'networking.k8s.io',
        'authorization.k8s.io',
        'metrics.k8s.io',
      ]);
      const legacy = await http(h.server, 'GET', '/api/v1');
      const pods = legacy
        .json<{ resources: { name: string; shortNames?: string[] }[] }>()
        .resources.find((r) => r.name === 'pods');
      assert.deepEqual(pods?.shortNames, ['po']);
      const list = await http(h.server, 'GET', '/apis');
      assert.equal(list.json()['kind'], 'APIGroupList');
    });

    it('serves an OpenAPI v3 index whose PATCH operations declare fieldValidation', async () => {
      const root = await http(h.server, 'GET', '/openapi/v3');
      const url =
        root.json<{ paths: Record<string, { serverRelativeURL: string }> }>().paths['apis/apps/v1']
          ?.serverRelativeURL ?? '';
      const doc = (await http(h.server, 'GET', url)).json<{
        paths: Record<string, { patch?: { parameters: { name: string }[] } }>;
      }>();
      const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
      assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
      assert.equal((await http(h.server, 'GET', '/openapi/v2')).status, 404);
    });
  });

  describe('reads', () => {
    it('returns real NotFound Status objects', async () => {
      const res = await http(h.server, 'GET', '/api/v1/namespaces/demo/pods/nope');
      assert.equal(res.status, 404);
      const s = res.json<Status>();
      assert.equal(s.message, 'pods "nope" not found');
      assert.deepEqual(s.details, { name: 'nope', kind: 'pods' });
      const d = (
        await http(h.server, 'GET', '/apis/apps/v1/namespaces/demo/deployments/nope')
      ).json<Status>();
      assert.equal(d.message, 'deployments.apps "nope" not found');
    });

    it('lists with kind, resourceVersion and items without their own apiVersion/kind', async () => {
      const list = (await http(h.server, 'GET', '/api/v1/pods')).json<{
        kind: string;
        metadata: { resourceVersion: string };
        items: Record<string, unknown>[];
      }>();
      assert.equal(list.kind, 'PodList');
      assert.equal(list.metadata.resourceVersion, h.store.resourceVersion());
      assert.equal(list.items.length, 5);
      assert.equal(list.items[0]?.['kind'], undefined);
    });

    it('filters by label and field selectors', async () => {
      const names = async (q: string): Promise<string[]> =>
        (await http(h.server, 'GET', `/api/v1/pods?${q}`))
          .json<{ items: { metadata: { name: string } }[] }>()
          .items.map((i) => i.metadata.name);
      assert.deepEqual(await names('labelSelector=app%3Dweb'), ['web-1', 'web-2']);
      assert.deepEqual(await names('labelSelector=app%20notin%20(web,api)'), ['db-0', 'cart-1']);
      assert.deepEqual(await names('fieldSelector=status.phase%3DPending'), ['db-0']);
      assert.deepEqual(await names('fieldSelector=metadata.namespace%3Dshop'), ['cart-1']);
      assert.deepEqual(await names('fieldSelector=spec.nodeName%3D'), ['db-0']);
      const events = (
        await http(h.server, 'GET', '/api/v1/events?fieldSelector=involvedObject.name%3Ddb-0,type%3DWarning')
      ).json<{ items: { reason: string }[] }>();
      assert.deepEqual(
        events.items.map((e) => e.reason),
        ['FailedScheduling'],
      );
    });

    it('pages with limit and continue', async () => {
      const seen: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const res = (
          await http(
            h.server,
            'GET',
            `/api/v1/pods?limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
          )
        ).json<{
          metadata: { continue?: string; remainingItemCount?: number };
          items: { metadata: { name: string } }[];
        }>();
        seen.push(...res.items.map((i) => i.metadata.name));
        token = res.metadata.continue ?? '';
        if (pages === 0) assert.equal(res.metadata.remainingItemCount, 3);
        pages++;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['api-1', 'db-0', 'web-1', 'web-2', 'cart-1']);
    });

    it('renders pods as a kubectl Table with podRow cells and PartialObjectMetadata rows', async () => {
      const res = await http(h.server, 'GET', '/api/v1/namespaces/demo/pods', { headers: { Accept: TABLE } });
      assert.equal(res.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
      const table = res.json<{
        kind: string;
        columnDefinitions: { name: string; priority: number }[];
        rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
      }>();
      assert.equal(table.kind, 'Table');
      assert.deepEqual(
        table.columnDefinitions.map((c) => `${c.name}:${c.priority}`),
        [
          'Name:0',
          'Ready:0',
          'Status:0',
          'Restarts:0',
          'Age:0',
          'IP:1',
          'Node:1',
          'Nominated Node:1',
          'Readiness Gates:1',
        ],
      );
      const web1 = table.rows.find((r) => r.cells[0] === 'web-1');
      assert.deepEqual(web1?.cells.slice(0, 3), ['web-1', '1/1', 'Running']);
      assert.match(String(web1?.cells[3]), /^2 \(\d+s ago\)$/);
      assert.match(String(web1?.cells[4]), /^5m(\ds)?$/);
      assert.equal(web1?.object.kind, 'PartialObjectMetadata');
      const full = (
        await http(h.server, 'GET', '/api/v1/namespaces/demo/pods?includeObject=Object', {
          headers: { Accept: TABLE },
        })
      ).json<{ rows: { object: { kind: string } }[] }>();
      assert.equal(full.rows[0]?.object.kind, 'Pod');
    });

    it('renders events with LAST SEEN "(xN over ...)" and OBJECT kind/name', async () => {
      const table = (
        await http(h.server, 'GET', '/api/v1/namespaces/demo/events', { headers: { Accept: TABLE } })
      ).json<{ rows: { cells: unknown[] }[] }>();
      const backoff = table.rows.find((r) => r.cells[2] === 'BackOff');
      assert.match(String(backoff?.cells[0]), /^3\ds \(x4 over 10m\)$/);
      assert.deepEqual(backoff?.cells.slice(1, 4), ['Warning', 'BackOff', 'pod/web-1']);
    });

    it('serves events.k8s.io/v1 as a converted view of core events', async () => {
      const list = (await http(h.server, 'GET', '/apis/events.k8s.io/v1/namespaces/demo/events')).json<{
        kind: string;
        items: Record<string, unknown>[];
      }>();
      assert.equal(list.kind, 'EventList');
      const e = list.items.find((i) => i['reason'] === 'BackOff');
      assert.equal((e?.['regarding'] as { name: string }).name, 'web-1');
      assert.equal(e?.['deprecatedCount'], 4);
      assert.match(String(e?.['note']), /^Back-off restarting/);
    });

    it('prints events.k8s.io events from the core fields', async () => {
      const table = (
        await http(h.server, 'GET', '/apis/events.k8s.io/v1/namespaces/demo/events?includeObject=Object', {
          headers: { Accept: TABLE },
        })
      ).json<{ rows: { cells: unknown[]; object: { apiVersion: string } }[] }>();
      const row = table.rows.find((r) => r.cells[2] === 'BackOff');
      assert.equal(row?.cells[3], 'pod/web-1');
      assert.equal(row?.object.apiVersion, 'events.k8s.io/v1');
    });

    it('serves pod and node metrics', async () => {
      const pods = (await http(h.server, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/demo/pods')).json<{
        kind: string;
        items: { metadata: { name: string }; containers: { usage: { cpu: string } }[] }[];
      }>();
      assert.equal(pods.kind, 'PodMetricsList');
      assert.deepEqual(
        pods.items.map((p) => p.metadata.name),
        ['api-1', 'web-1', 'web-2'],
      );
      const node = (await http(h.server, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes/worker-1')).json<{
        kind: string;
        usage: { cpu: string };
      }>();
      assert.equal(node.kind, 'NodeMetrics');
    });
  });

  describe('writes', () => {
    const json = { 'Content-Type': 'application/json' };

    it('creates, rejects duplicates (409) and invalid objects (422), and honours dryRun', async () => {
      const body = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', uid: 'client-made' },
        data: { a: '1' },
      });
      const dry = await http(h.server, 'POST', '/api/v1/namespaces/demo/configmaps?dryRun=All', {
        body,
        headers: json,
      });
      assert.equal(dry.status, 201);
      assert.equal(h.store.get('ConfigMap', 'demo', 'settings'), undefined);
      const created = await http(h.server, 'POST', '/api/v1/namespaces/demo/configmaps', {
        body,
        headers: json,
      });
      assert.equal(created.status, 201);
      assert.notEqual(created.json<{ metadata: { uid: string } }>().metadata.uid, 'client-made');
      const again = await http(h.server, 'POST', '/api/v1/namespaces/demo/configmaps', {
        body,
        headers: json,
      });
      assert.equal(again.status, 409);
      assert.equal(again.json<Status>().reason, 'AlreadyExists');
      const bad = await http(h.server, 'POST', '/api/v1/namespaces/demo/pods', {
        body: JSON.stringify({
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: { name: 'Bad_Name' },
          spec: { containers: [] },
        }),
        headers: json,
      });
      assert.equal(bad.status, 422);
      assert.match(
        bad.json<Status>().message,
        /^Pod "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec.containers: Required value\]$/,
      );
      const noNs = await http(h.server, 'POST', '/api/v1/namespaces/nowhere/configmaps', {
        body,
        headers: json,
      });
      assert.equal(noNs.json<Status>().message, 'namespaces "nowhere" not found');
    });

    it('updates with optimistic concurrency (409 Conflict on a stale resourceVersion)', async () => {
      const cm = h.store.get('ConfigMap', 'demo', 'settings');
      const stale = JSON.stringify({
        ...cm,
        metadata: { ...cm?.metadata, resourceVersion: '1' },
        data: { a: '2' },
      });
      const res = await http(h.server, 'PUT', '/api/v1/namespaces/demo/configmaps/settings', {
        body: stale,
        headers: json,
      });
      assert.equal(res.status, 409);
      assert.equal(
        res.json<Status>().message,
        'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
      );
      const fresh = JSON.stringify({ ...cm, data: { a: '3' } });
      assert.equal(
        (
          await http(h.server, 'PUT', '/api/v1/namespaces/demo/configmaps/settings', {
            body: fresh,
            headers: json,
          })
        ).status,
        200,
      );
    });

    it('patches with all four content types', async () => {
      const patch = (type: string, body: unknown, query = ''): Promise<Record<string, unknown>> =>
        http(h.server, 'PATCH', `/api/v1/namespaces/demo/configmaps/settings${query}`, {
          body: JSON.stringify(body),
          headers: { 'Content-Type': type },
        }).then((r) => r.json());
      assert.deepEqual((await patch('application/merge-patch+json', { data: { b: 'x' } }))['data'], {
        a: '3',
        b: 'x',
      });
      assert.deepEqual(
        (await patch('application/json-patch+json', [{ op: 'remove', path: '/data/a' }]))['data'],
        { b: 'x' },
      );
      assert.deepEqual(
        (await patch('application/strategic-merge-patch+json', { data: { c: 'y' } }))['data'],
        { b: 'x', c: 'y' },
      );
      const applied = await patch(
        'application/apply-patch+yaml',
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { d: 'z' } },
        '?fieldManager=kubectl&force=true',
      );
      assert.equal((applied['data'] as Record<string, string>)['d'], 'z');
      const created = await http(
        h.server,
        'PATCH',
        '/api/v1/namespaces/demo/configmaps/fresh?fieldManager=kubectl',
        {
          body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  k: v\n',
          headers: { 'Content-Type': 'application/apply-patch+yaml' },
        },
      );
      assert.equal(created.status, 201);
      const missing = await http(h.server, 'PATCH', '/api/v1/namespaces/demo/configmaps/absent', {
        body: '{}',
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(missing.status, 404);
    });

    it('records field managers: from the User-Agent when unnamed; a dry-run apply reports the conflict and stores nothing; /status writes own status only', async () => {
      const created = await http(h.server, 'POST', '/api/v1/namespaces/demo/configmaps', {
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'owned' },
          data: { k: 'a' },
        }),
        headers: { ...json, 'User-Agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd' },
      });
      type Entry = {
        manager: string;
        operation: string;
        apiVersion: string;
        subresource?: string;
        fieldsV1: object;
      };
      const stored = created.json<{ metadata: { resourceVersion: string; managedFields: Entry[] } }>()
        .metadata;
      assert.deepEqual(
        stored.managedFields.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsV1]),
        [['kubectl', 'Update', 'v1', { 'f:data': { '.': {}, 'f:k': {} } }]],
      );
      const apply = await http(
        h.server,
        'PATCH',
        '/api/v1/namespaces/demo/configmaps/owned?fieldManager=podscope&dryRun=All',
        {
          body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\ndata:\n  k: b\n',
          headers: { 'Content-Type': 'application/apply-patch+yaml' },
        },
      );
      assert.equal(apply.status, 409);
      assert.deepEqual(apply.json<{ reason: string; details: unknown }>().details, {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl" using v1', field: '.data.k' },
        ],
      });
      const after = h.store.get('ConfigMap', 'demo', 'owned')!;
      assert.equal(after.metadata?.resourceVersion, stored.resourceVersion);
      assert.deepEqual(after['data'], { k: 'a' });
      const status = await http(
        h.server,
        'PATCH',
        '/api/v1/namespaces/demo/pods/web-1/status?fieldManager=kubelet',
        {
          body: JSON.stringify({ status: { message: 'checked' } }),
          headers: { 'Content-Type': 'application/merge-patch+json' },
        },
      );
      const entries = status.json<{ metadata: { managedFields: Entry[] } }>().metadata.managedFields;
      const kubelet = entries.find((e) => e.manager === 'kubelet');
      assert.equal(kubelet?.subresource, 'status');
      assert.deepEqual(Object.keys(kubelet?.fieldsV1 ?? {}), ['f:status']);
    });

    it('keeps status on main-resource writes and changes it through /status', async () => {
      const res = await http(h.server, 'PATCH', '/api/v1/namespaces/demo/pods/db-0', {
        body: JSON.stringify({ metadata: { labels: { x: 'y' } }, status: { phase: 'Running' } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(res.json<{ status: { phase: string } }>().status.phase, 'Pending');
      const st = await http(h.server, 'PATCH', '/api/v1/namespaces/demo/pods/db-0/status', {
        body: JSON.stringify({ status: { phase: 'Failed' } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(st.json<{ status: { phase: string } }>().status.phase, 'Failed');
    });

    it('replaces a pod from a terse manifest (defaults applied) but refuses real spec changes', async () => {
      const terse = (image: string, restartPolicy = 'Always'): string =>
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'api-1', namespace: 'demo' },
          spec: {
            restartPolicy,
            nodeName: 'worker-1',
            terminationGracePeriodSeconds: 30,
            containers: [{ image, name: 'app' }],
          },
        });
      const ok = await http(h.server, 'PUT', '/api/v1/namespaces/demo/pods/api-1', {
        body: terse('nginx:1.28'),
        headers: json,
      });
      assert.equal(ok.status, 200, ok.body);
      const bad = await http(h.server, 'PUT', '/api/v1/namespaces/demo/pods/api-1', {
        body: terse('nginx:1.28', 'Never'),
        headers: json,
      });
      assert.equal(bad.status, 422);
      assert.match(
        bad.json<Status>().message,
        /^Pod "api-1" is invalid: spec: Forbidden: pod updates may not change fields other than/,
      );
    });

    it('scales through /scale', async () => {
      h.store.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'scaled', namespace: 'demo' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
        },
      });
      const res = await http(h.server, 'PATCH', '/apis/apps/v1/namespaces/demo/deployments/scaled/scale', {
        body: JSON.stringify({ spec: { replicas: 4 } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      assert.equal(res.json<{ kind: string; spec: { replicas: number } }>().spec.replicas, 4);
      assert.equal(
        (h.store.get('Deployment', 'demo', 'scaled')?.['spec'] as { replicas: number }).replicas,
        4,
      );
    });

    it('deletes a running pod gracefully: Terminating first, gone after the kubelet delay', async () => {
      h.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'doomed', namespace: 'demo' },
        spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'i' }] },
        status: { phase: 'Running' },
      });
      const res = await http(h.server, 'DELETE', '/api/v1/namespaces/demo/pods/doomed', {
        body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 1 }),
        headers: json,
      });
      assert.equal(res.status, 200);
      assert.ok(res.json<{ metadata: { deletionTimestamp?: string } }>().metadata.deletionTimestamp);
      await waitFor('pod removal', () => h.store.get('Pod', 'demo', 'doomed') === undefined, 3000);
    });

    it('deletes other kinds at once with a Success Status, dependents collected', async () => {
      const res = await http(h.server, 'DELETE', '/apis/apps/v1/namespaces/demo/deployments/scaled', {
        body: JSON.stringify({ propagationPolicy: 'Background' }),
        headers: json,
      });
      const s = res.json<{
        kind: string;
        status: string;
        details: { name: string; group: string; kind: string };
      }>();
      assert.equal(s.status, 'Success');
      assert.deepEqual([s.details.name, s.details.group, s.details.kind], ['scaled', 'apps', 'deployments']);
    });
  });

  describe('watch', () => {
    it('sends initial ADDED events, then changes, with selector transitions as ADDED/DELETED', async () => {
      const w = await openWatch(h.server, '/api/v1/namespaces/demo/pods?watch=1&labelSelector=tier%3Dfront');
      assert.deepEqual([(await w.next()).type, (await w.next()).type], ['ADDED', 'ADDED']);
      const web2 = structuredClone(h.store.get('Pod', 'demo', 'web-2'));
      if (web2?.metadata?.labels) web2.metadata.labels['tier'] = 'back';
      h.store.update(web2 ?? {});
      const left = await w.next();
      assert.equal(left.type, 'DELETED');
      assert.equal((left.object['metadata'] as { name: string }).name, 'web-2');
      if (web2?.metadata?.labels) web2.metadata.labels['tier'] = 'front';
      h.store.update({ ...web2, metadata: { ...web2?.metadata, resourceVersion: undefined } });
      assert.equal((await w.next()).type, 'ADDED');
      w.close();
    });

    it('replays from a resourceVersion and sends BOOKMARKs when allowed', async () => {
      const rv = h.store.resourceVersion();
      h.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'replayed', namespace: 'demo' },
      });
      const w = await openWatch(
        h.server,
        `/api/v1/namespaces/demo/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
      );
      const first = await w.next();
      assert.deepEqual(
        [first.type, (first.object['metadata'] as { name: string }).name],
        ['ADDED', 'replayed'],
      );
      const bookmark = await w.next(2000);
      assert.equal(bookmark.type, 'BOOKMARK');
      assert.equal(
        (bookmark.object['metadata'] as { resourceVersion: string }).resourceVersion,
        h.store.resourceVersion(),
      );
      w.close();
    });

    it('answers 410 Expired for a forced expiry and for a version older than the window', async () => {
      h.server.expireNextWatch();
      const w = await openWatch(
        h.server,
        `/api/v1/pods?watch=1&resourceVersion=${h.store.resourceVersion()}`,
      );
      const error = await w.next();
      assert.equal(error.type, 'ERROR');
      assert.deepEqual([error.object['code'], error.object['reason']], [410, 'Expired']);
      await w.ended;

      const small = await startHarness({ watchHistory: 2 });
      try {
        const before = small.store.resourceVersion();
        for (let i = 0; i < 4; i++)
          small.store.create({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `c${i}`, namespace: 'demo' },
          });
        const old = await openWatch(small.server, `/api/v1/configmaps?watch=1&resourceVersion=${before}`);
        const e = await old.next();
        assert.equal(e.type, 'ERROR');
        assert.match(
          String(e.object['message']),
          new RegExp(`^too old resource version: ${before} \\(\\d+\\)$`),
        );
        const ancient = await openWatch(small.server, '/api/v1/pods?watch=1&resourceVersion=2');
        assert.equal((await ancient.next()).type, 'ERROR', 'older than the server itself');
        // Windows are per kind: the ConfigMap flood has not expired a pod watch from the same version.
        const pods = await openWatch(
          small.server,
          `/api/v1/namespaces/demo/pods?watch=1&resourceVersion=${before}`,
        );
        small.store.create(runningPod('fresh', 'demo', {}));
        const added = await pods.next();
        assert.deepEqual(
          [added.type, (added.object['metadata'] as { name: string }).name],
          ['ADDED', 'fresh'],
        );
        pods.close();
      } finally {
        await small.close();
      }
    });

    it('serves the legacy /watch/ path form', async () => {
      const w = await openWatch(h.server, '/api/v1/watch/namespaces/shop/pods');
      assert.equal((await w.next()).type, 'ADDED');
      w.close();
    });

    it('drops all watches on request and ends them on close', async () => {
      const w = await openWatch(h.server, '/api/v1/pods?watch=1');
      await w.next();
      await waitFor('watch registered', () => h.server.watchCount() > 0);
      h.server.dropWatches();
      await w.ended;
      assert.equal(h.server.watchCount(), 0);
    });

    it('ends open watches when the server closes', async () => {
      const other = await startHarness();
      const w = await openWatch(other.server, '/api/v1/pods?watch=1');
      await w.next();
      await other.close();
      await w.ended;
    });

    it('streams Table rows when kubectl asks for them', async () => {
      const w = await openWatch(h.server, '/api/v1/namespaces/shop/pods?watch=1', { Accept: TABLE });
      const e = await w.next();
      const table = e.object as { kind: string; rows: { cells: unknown[] }[] };
      assert.equal(table.kind, 'Table');
      assert.equal(table.rows[0]?.cells[0], 'cart-1');
      w.close();
    });
  });

  describe('RBAC', () => {
    afterEach(() => h.server.rbac.clear());

    it('forbids chosen resources with kube-apiserver wording, switchable at runtime', async () => {
      h.server.rbac.forbid({ resource: 'pods', verbs: ['list'] });
      const res = await http(h.server, 'GET', '/api/v1/pods');
      assert.equal(res.status, 403);
      assert.equal(
        res.json<Status>().message,
        'pods is forbidden: User "system:serviceaccount:demo:podscope" cannot list resource "pods" in API group "" at the cluster scope',
      );
      h.server.rbac.set([{ resource: 'deployments', group: 'apps', namespace: 'shop' }]);
      assert.equal((await http(h.server, 'GET', '/api/v1/pods')).status, 200);
      assert.equal((await http(h.server, 'GET', '/apis/apps/v1/namespaces/demo/deployments')).status, 200);
      const all = (await http(h.server, 'GET', '/apis/apps/v1/deployments')).json<Status>();
      assert.equal(
        all.message,
        'deployments.apps is forbidden: User "system:serviceaccount:demo:podscope" cannot list resource "deployments" in API group "apps" at the cluster scope',
      );
      const ns = (await http(h.server, 'GET', '/apis/apps/v1/namespaces/shop/deployments/x')).json<Status>();
      assert.equal(
        ns.message,
        'deployments.apps "x" is forbidden: User "system:serviceaccount:demo:podscope" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
      );
    });
  });

  describe('pod subresources', () => {
    it('serves logs: current, previous, tailLines, timestamps, and the kubelet errors', async () => {
      const base = '/api/v1/namespaces/demo/pods/web-1/log';
      assert.equal((await http(h.server, 'GET', base)).body, 'starting web\nlistening on :8080\n');
      assert.equal(
        (await http(h.server, 'GET', `${base}?previous=true`)).body,
        'panic: config missing\nexit 1\n',
      );
      assert.equal(
        (await http(h.server, 'GET', `${base}?tailLines=1&timestamps=true`)).body,
        '2025-06-10T09:00:01.000000000Z listening on :8080\n',
      );
      const prev = await http(h.server, 'GET', '/api/v1/namespaces/demo/pods/web-2/log?previous=true');
      assert.equal(
        prev.json<Status>().message,
        'previous terminated container "app" in pod "web-2" not found',
      );
      const bad = await http(h.server, 'GET', `${base}?container=nope`);
      assert.equal(bad.json<Status>().message, 'container nope is not valid for pod web-1');
    });

    it('follows logs as a stream until the client leaves', async () => {
      const w = await new Promise<{ data: () => string; close: () => void }>((resolve, reject) => {
        let data = '';
        const req = request(
          new URL('/api/v1/namespaces/demo/pods/web-1/log?follow=true&tailLines=0', h.server.url),
          { headers: { Authorization: `Bearer ${h.server.token}` }, ca: h.server.caPem },
          (res) => {
            res.on('data', (c: Buffer) => (data += c.toString()));
            resolve({ data: () => data, close: () => req.destroy() });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
        req.end();
      });
      await waitFor('log follower', () => h.logs.followerCount() === 1);
      h.logs.write({ namespace: 'demo', pod: 'web-1', container: 'app' }, 'GET /healthz 200');
      await waitFor('followed line', () => w.data() === 'GET /healthz 200\n');
      w.close();
      await waitFor('follower gone', () => h.logs.followerCount() === 0);
    });

    it('answers exec and attach with the kubelet dial error, upgrade or not', async () => {
      const res = await http(
        h.server,
        'POST',
        '/api/v1/namespaces/demo/pods/web-1/exec?command=ls&container=app&stdout=true',
      );
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'error dialing backend: dial tcp 10.0.0.11:10250: connect: connection refused',
        code: 500,
      });
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(
          {
            host: '127.0.0.1',
            port: Number(new URL(h.server.url).port),
            ca: h.server.caPem,
            servername: 'localhost',
          },
          () => {
            socket.write(
              `POST /api/v1/namespaces/demo/pods/web-1/attach?stdout=true HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${h.server.token}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`,
            );
          },
        );
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1.1 500 Internal Server Error\r\n/);
      assert.match(raw, /error dialing backend/);
    });

    it('adds ephemeral containers and refuses to change existing ones', async () => {
      const patch = {
        spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }] },
      };
      const res = await http(h.server, 'PATCH', '/api/v1/namespaces/demo/pods/web-2/ephemeralcontainers', {
        body: JSON.stringify(patch),
        headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      });
      assert.equal(res.status, 200);
      const pod = res.json<{ spec: { ephemeralContainers: { name: string }[] } }>();
      assert.deepEqual(
        pod.spec.ephemeralContainers.map((c) => c.name),
        ['debugger'],
      );
      const removal = await http(h.server, 'PUT', '/api/v1/namespaces/demo/pods/web-2/ephemeralcontainers', {
        body: JSON.stringify({ ...pod, spec: { ...pod.spec, ephemeralContainers: [] } }),
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(removal.status, 422);
    });
  });

  describe('lifecycle', () => {
    it('restarts on the same port and keeps serving the store', async () => {
      const url = h.server.url;
      await h.server.restart();
      assert.equal(h.server.url, url);
      assert.equal((await http(h.server, 'GET', '/api/v1/namespaces/demo/pods/web-1')).status, 200);
    });
  });
});
