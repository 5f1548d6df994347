// The benchmark's shape (10k pods in 200 namespaces, 20k events): the server must list it in
// kubectl-sized pages quickly. The bound is generous; it catches an accidental quadratic path.
import { strict as assert } from 'node:assert';
import { MemoryStore } from '../../../../src/demo/memoryStore';
import type { ApiServer } from '../../../../src/demo/apiserver/server';
import { startApiServer } from '../../../../src/demo/apiserver/server';
import { http, realClock, runningPod } from './harness';

describe('demo apiserver at benchmark scale', function () {
  this.timeout(60000);
  let server: ApiServer;
  before(async () => {
    const store = new MemoryStore({ clock: realClock });
    for (let n = 0; n < 200; n++)
      store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
    for (let i = 0; i < 10000; i++)
      store.create(runningPod(`pod-${i}`, `ns-${i % 200}`, { app: `a${i % 50}` }, { restarts: i % 3 }));
    for (let i = 0; i < 20000; i++) {
      store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `e-${i}`, namespace: `ns-${i % 200}` },
        involvedObject: { kind: 'Pod', name: `pod-${i % 10000}`, namespace: `ns-${i % 200}` },
        reason: 'Pulled',
        type: 'Normal',
        message: 'Successfully pulled image "nginx:1.27"',
      });
    }
    server = await startApiServer({ store, clock: realClock });
  });
  after(async () => {
    await server.close();
  });

  async function listAll(accept: string): Promise<number> {
    let token = '';
    let count = 0;
    do {
      const res = await http(
        server,
        'GET',
        `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
        { headers: { Accept: accept } },
      );
      const body = res.json<{ metadata: { continue?: string }; items?: unknown[]; rows?: unknown[] }>();
      count += (body.items ?? body.rows ?? []).length;
      token = body.metadata.continue ?? '';
    } while (token);
    return count;
  }

  it('pages 10k pods as JSON and as Tables in well under the bound', async () => {
    const started = Date.now();
    assert.equal(await listAll('application/json'), 10000);
    assert.equal(await listAll('application/json;as=Table;v=v1;g=meta.k8s.io'), 10000);
    assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
  });

  it('filters 20k events by involvedObject in one request', async () => {
    const res = await http(
      server,
      'GET',
      '/api/v1/namespaces/ns-7/events?fieldSelector=involvedObject.name%3Dpod-7',
    );
    assert.equal(res.json<{ items: unknown[] }>().items.length, 2);
  });
});
