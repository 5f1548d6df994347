// Retry-After: read as seconds or an HTTP-date (against the response's own Date), and obeyed by
// the reflector's next attempt on a refused list or watch, up to a cap. The reflector's waits are
// recorded through its injected pause, not waited out.
import * as assert from 'node:assert/strict';
import { RETRY_AFTER_MAX_MS } from '../../../src/cluster/backoff';
import { ClusterSession } from '../../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../../src/cluster/kubeconfig';
import { retryAfterMs, statusRetryAfterMs } from '../../../src/cluster/retryAfter';
import { FakeApiServer, FIXTURE_TOKEN } from './fakeApiServer';
import { until } from './until';

describe('cluster/retryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const cases: [string, string | undefined, string | undefined, number | undefined][] = [
    ['delay-seconds', '7', undefined, 7000],
    ['zero', '0', undefined, 0],
    [
      'an HTTP-date, against the Date header',
      'Sun, 01 Mar 2026 13:00:05 GMT',
      'Sun, 01 Mar 2026 13:00:00 GMT',
      5000,
    ],
    ['an HTTP-date without a Date header, against now', 'Sun, 01 Mar 2026 12:00:30 GMT', undefined, 30_000],
    ['a date already past', 'Sun, 01 Mar 2026 11:00:00 GMT', undefined, 0],
    ['absent', undefined, undefined, undefined],
    ['a fraction (not HTTP)', '1.5', undefined, undefined],
    ['negative', '-3', undefined, undefined],
    ['garbage', 'soon', undefined, undefined],
  ];
  for (const [name, header, date, expected] of cases) {
    it(`Retry-After ${name}: ${String(expected)}`, () => {
      assert.equal(retryAfterMs(header, date, now), expected);
    });
  }

  it("a Status's details.retryAfterSeconds", () => {
    assert.equal(statusRetryAfterMs({ kind: 'Status', code: 504, details: { retryAfterSeconds: 2 } }), 2000);
    assert.equal(statusRetryAfterMs({ kind: 'Status', code: 500 }), undefined);
    assert.equal(statusRetryAfterMs({ details: { retryAfterSeconds: 0 } }), undefined);
  });
});

describe('cluster/reflector obeys Retry-After', function () {
  let server: FakeApiServer;
  let session: ClusterSession | undefined;
  /** Every wait the reflectors asked for, ms. */
  let waits: number[];

  async function open(): Promise<ClusterSession> {
    const loaded = await loadKubeconfig({ path: server.writeKubeconfig(FIXTURE_TOKEN) });
    session = await ClusterSession.open(loaded, 'fake', {
      kinds: ['Pod'],
      backoff: { initialMs: 20, maxMs: 200, deniedMs: 60_000 },
      pause: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    return session;
  }
  const watches = () => server.requests.filter((r) => r.watch).length;
  const lists = () => server.requests.filter((r) => !r.watch).length;

  beforeEach(async () => {
    server = new FakeApiServer();
    await server.start();
    waits = [];
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await server.stop();
  });

  it('a watch refused with 429 and Retry-After: 7 is retried no sooner than 7 s', async () => {
    server.refuse('watch', 429, { 'Retry-After': '7' });
    const s = await open();
    await until(s, () => watches() === 2 && server.liveWatches === 1, 'the second watch');
    assert.deepEqual(waits, [7000]);
    assert.equal(s.states()[0]?.status, 'synced');
  });

  it('a 503 with an HTTP-date waits until that date on the server clock, whatever the local clock says', async () => {
    // The server's clock runs an hour ahead of ours; its Retry-After is five seconds after its Date.
    server.clockOffsetMs = 3_600_000;
    const serverNow = Math.floor((Date.now() + server.clockOffsetMs) / 1000) * 1000;
    server.refuse('watch', 503, { 'Retry-After': new Date(serverNow + 5000).toUTCString() });
    const s = await open();
    await until(s, () => watches() === 2 && server.liveWatches === 1, 'the second watch');
    assert.equal(waits.length, 1);
    // The Date header is cut to whole seconds too, so the wait is 5 s or, across a second boundary, 4 s.
    assert.ok(waits[0] === 5000 || waits[0] === 4000, `waited ${String(waits[0])} ms`);
  });

  it('a list refused with 429 and a Retry-After of a day waits the cap, 60 s', async () => {
    server.refuse('list', 429, { 'Retry-After': '86400' });
    const s = await open();
    await s.whenSettled();
    await until(s, () => server.liveWatches === 1, 'the watch');
    assert.equal(lists(), 2);
    assert.deepEqual(waits, [RETRY_AFTER_MAX_MS]);
    assert.equal(RETRY_AFTER_MAX_MS, 60_000);
  });

  it('a 500 whose Status says details.retryAfterSeconds: 3 waits 3 s', async () => {
    server.refuse('list', 500, {}, 1, { retryAfterSeconds: 3 });
    const s = await open();
    await until(s, () => server.liveWatches === 1, 'the watch');
    assert.deepEqual(waits, [3000]);
  });

  it('without Retry-After, three refusals wait the growing back-off only', async () => {
    server.refuse('watch', 429, {}, 3);
    const s = await open();
    await until(s, () => watches() === 4 && server.liveWatches === 1, 'the fourth watch');
    assert.equal(waits.length, 3);
    // initialMs 20, doubling, equal jitter: [10, 20], [20, 40], [40, 80].
    waits.forEach((ms, i) => assert.ok(ms >= 10 * 2 ** i && ms <= 20 * 2 ** i, `wait ${i}: ${ms} ms`));
  });
});
