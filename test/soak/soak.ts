// `npm run soak [-- --seed N] [--faults N]`: a ClusterSession syncs the demo cluster (pods churning)
// through FaultProxy, which injects one fault at a time, drawn from FAULTS in a seeded order. After
// each, once the session has settled (every kind synced, one open watch per kind, nothing pending),
// the churn is paused and the store must equal a fresh list from the server: the same objects at
// the same resourceVersions, no ghosts, none missing. Also: no retry before the Retry-After of a
// 429/503, and a watch stalled after it opened resumed within the idle window, not at its deadline.
// Prints one JSON line per figure.
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_BACKOFF } from '../../src/cluster/backoff';
import { ClusterSession } from '../../src/cluster/clusterSession';
import { loadKubeconfig } from '../../src/cluster/kubeconfig';
import { silentLogger } from '../../src/cluster/logger';
import { collectionPath, WATCHED_RESOURCES } from '../../src/cluster/resourceTypes';
import { writeKubeconfigFile } from '../../src/demo/apiserver/kubeconfig';
import type { KubeObject } from '../../src/kube/types';
import { numberArg, prng, Rand, seedFromArgs } from '../prng';
import type { ChildCommand, ChildMessage } from './demoChild';
import type { Action, Target } from './faultProxy';
import { FaultProxy } from './faultProxy';

const PAGE_SIZE = 50;
const REQUEST_TIMEOUT_MS = 2_000;
const SETTLE_TIMEOUT_MS = 60_000;
const HIT_TIMEOUT_MS = 15_000;
/** How long the paused server and the store may take to agree (watch events in flight). */
const COMPARE_MS = 5_000;
const EVENTS = '/api/v1/events';
/**
 * A reflector counts a watch healthy (and resets its back-off) once it has stayed up a second
 * (MIN_HEALTHY_WATCH_MS). Faults are spaced by that, so each one's recovery is its own and not a
 * back-off grown by the faults before it on the same kind.
 */
const HEALTHY_WATCH_MS = 1_100;
/**
 * The session's watch idle window: kube-apiserver's 60 s bookmark period against the session's
 * 90 s window, scaled to the demo's 1 s bookmarks (demoChild.ts BOOKMARK_MS) with more margin.
 */
const WATCH_IDLE_MS = 3_000;
/**
 * A stalled watch must be resumed within the idle window (counted from its last event, at most
 * a bookmark period before the stall), a first back-off step (DEFAULT_BACKOFF: at most 500 ms)
 * and a reconnect: seconds, where the deadline would take 6-11 minutes.
 */
const STALL_RECOVERY_BOUND_MS = WATCH_IDLE_MS + DEFAULT_BACKOFF.initialMs + 1_000;

interface Soak {
  proxy: FaultProxy;
  child: (op: ChildCommand['op']) => Promise<void>;
  random: Rand;
}

/** Arms `action` for `target` and waits for it to be used. */
async function armed(
  soak: Soak,
  target: Target,
  action: Action,
  times = 1,
  trigger?: () => void,
): Promise<void> {
  const rule = soak.proxy.arm(target, action, times);
  try {
    trigger?.();
  } catch (e) {
    rule.disarm();
    throw e;
  }
  const timeout = sleep(HIT_TIMEOUT_MS).then(() => {
    rule.disarm();
    throw new Error(`no ${target} request came for ${action.type}`);
  });
  await Promise.race([rule.hit, timeout]);
}

/** One open watch's path, picked at random. */
function anyWatch(soak: Soak): string {
  const open = soak.proxy.openWatches();
  if (open.length === 0) throw new Error('no open watch');
  return soak.random.pick(open);
}

/** Makes one reflector relist: its next watch is answered 410, then its watch is ended. */
function relist(soak: Soak, path?: string): () => void {
  return () => {
    const target = path ?? anyWatch(soak);
    soak.proxy.arm('watch', { type: 'goneEvent' });
    void soak.proxy.endWatch(target);
  };
}

/** Makes one reflector open a new watch: its current one ends normally. */
const rewatch = (soak: Soak) => () => void soak.proxy.endWatch(anyWatch(soak));

const FAULTS: Record<string, (soak: Soak) => Promise<void>> = {
  resetMidStream: (s) => s.proxy.resetWatch(anyWatch(s)),
  resetMidChunk: (s) => armed(s, 'stream', { type: 'resetMidBody' }),
  resetMidList: (s) => armed(s, 'list', { type: 'resetMidBody' }, 1, relist(s)),
  truncatedLine: (s) => armed(s, 'stream', { type: 'truncateLine' }),
  stallWatchOpen: (s) => armed(s, 'watch', { type: 'stall' }, 1, rewatch(s)),
  stallWatchAfterOpen: (s) => {
    // Only a watch that has shown the client a bookmark: before one, silence may be a quiet kind.
    const bookmarked = s.proxy.bookmarkedWatches();
    if (bookmarked.length === 0) return Promise.reject(new Error('no open watch has relayed a bookmark yet'));
    s.proxy.stallWatch(s.random.pick(bookmarked));
    return Promise.resolve();
  },
  stallList: (s) => armed(s, 'list', { type: 'stall' }, 1, relist(s)),
  goneOnWatch: (s) => armed(s, 'watch', { type: 'goneEvent' }, 1, rewatch(s)),
  goneOnWatchHttp: (s) => armed(s, 'watch', { type: 'status', code: 410 }, 1, rewatch(s)),
  goneOnContinue: (s) => armed(s, 'continue', { type: 'status', code: 410 }, 1, relist(s, EVENTS)),
  tooManyRequests: (s) =>
    armed(
      s,
      'watch',
      { type: 'status', code: 429, retryAfterSeconds: 1 + s.random.int(2) },
      1 + s.random.int(3),
      rewatch(s),
    ),
  internalError: (s) => armed(s, 'list', { type: 'status', code: 500 }, 1 + s.random.int(2), relist(s)),
  unavailable: (s) =>
    armed(
      s,
      'watch',
      // Half the time with a Retry-After as an HTTP-date.
      { type: 'status', code: 503, ...(s.random.chance(0.5) ? { retryAfterDateMs: 2_000 } : {}) },
      1 + s.random.int(3),
      rewatch(s),
    ),
  serverRestart: (s) => s.child('restart'),
  clockJump: (s) => {
    const hours = (s.random.chance(0.5) ? -1 : 1) * (1 + s.random.int(24 * 365));
    return armed(s, 'list', { type: 'shiftDate', ms: hours * 3_600_000 }, 1, relist(s));
  },
};

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const seed = seedFromArgs(argv);
  const faults = numberArg(argv, '--faults', 120);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  print('soak_seed', seed);
  const work = mkdtempSync(join(tmpdir(), 'podscope-soak-'));
  const demo = await startChild(seed, join(work, 'demo.kubeconfig'));
  const proxy = new FaultProxy(new URL(demo.ready.url), demo.ready.caPem);
  await proxy.start();
  const kubeconfig = join(work, 'proxy.kubeconfig');
  writeKubeconfigFile(kubeconfig, { server: proxy.url, caPem: proxy.pki.ca.cert, token: demo.ready.token });
  const random = new Rand(prng(seed));
  // Watches the session resumed because they fell silent: only stalls should cause them.
  let idleResumes = 0;
  const logger = {
    ...silentLogger,
    warn: (message: string) => {
      if (message.includes('delivered no event or bookmark')) idleResumes++;
    },
  };
  const session = await ClusterSession.open(await loadKubeconfig({ path: kubeconfig }), 'podscope-demo', {
    logger,
    pageSize: PAGE_SIZE,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    watchIdleMs: WATCH_IDLE_MS,
    random: prng(seed ^ 0xabcdef),
  });
  const soak: Soak = { proxy, child: demo.command, random };
  const kinds = WATCHED_RESOURCES.length;
  const paths = new Set(WATCHED_RESOURCES.map((r) => collectionPath(r)));

  const settled = (): boolean => {
    const open = proxy.openWatches();
    return (
      proxy.pending === 0 &&
      proxy.armed() === 0 &&
      open.length === kinds &&
      new Set(open).size === paths.size &&
      session.states().every((s) => s.status === 'synced')
    );
  };
  const waitSettled = async (): Promise<boolean> => {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (let n = 0; !settled(); n++) {
      if (Date.now() > deadline) return false;
      if (process.env['PODSCOPE_SOAK_DEBUG'] && n % 100 === 99)
        console.error(
          JSON.stringify({
            pending: proxy.pending,
            armed: proxy.armed(),
            open: proxy.openWatches().length,
            states: session.states().filter((x) => x.status !== 'synced'),
          }),
        );
      await sleep(10);
    }
    return true;
  };
  /** Pauses the churn and waits for the store to equal a fresh list; the differences if it never does. */
  const compare = async (): Promise<string | undefined> => {
    await demo.command('pause');
    try {
      const server = await freshLists(demo.ready);
      const deadline = Date.now() + COMPARE_MS;
      for (;;) {
        const diff = differences(server, session);
        if (!diff || Date.now() > deadline) return diff;
        await sleep(20);
      }
    } finally {
      await demo.command('resume');
    }
  };

  if (!(await waitSettled())) throw new Error('the initial sync did not settle');
  const initial = await compare();
  if (initial) throw new Error(`the store differs from the server before any fault: ${initial}`);
  const eventsListed = session.list('Event').length;
  if (eventsListed <= PAGE_SIZE)
    throw new Error(`too few events (${eventsListed}) for a list to need a continue`);
  await sleep(1_000);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const objectsBefore = storeSize(session);

  const names = only !== undefined ? [only] : Object.keys(FAULTS);
  const order = shuffle(
    random,
    Array.from({ length: faults }, (_, i) => names[i % names.length] as string),
  );
  const byKind: Record<
    string,
    { injected: number; missed: number; maxRecoveryMs: number; maxRequests: number }
  > = {};
  let injected = 0;
  let mismatches = 0;
  let unsettled = 0;
  let totalRequests = 0;
  let overBound = 0;
  let stallsOverBound = 0;
  // No retry storm: a fault costs each kind at most a failed reconnect, a watch answered 410, a new
  // watch and one relist (a request per page of PAGE_SIZE objects), plus the retries it forces itself.
  const requestBound = (objects: number): number => 3 * kinds + Math.ceil(objects / PAGE_SIZE) + 5;
  const started = performance.now();
  for (const [i, kind] of order.entries()) {
    const stats = (byKind[kind] ??= { injected: 0, missed: 0, maxRecoveryMs: 0, maxRequests: 0 });
    while (proxy.youngestWatchMs() < HEALTHY_WATCH_MS) await sleep(50);
    const requestsBefore = proxy.requests;
    try {
      await (FAULTS[kind] as (s: Soak) => Promise<void>)(soak);
    } catch (e) {
      stats.missed++;
      console.error(`fault ${i} (${kind}) was not injected: ${String(e)}`);
      await waitSettled();
      continue;
    }
    const hitAt = performance.now();
    injected++;
    stats.injected++;
    if (!(await waitSettled())) {
      unsettled++;
      console.error(
        `fault ${i} (${kind}): not settled after ${SETTLE_TIMEOUT_MS} ms; replay with --seed ${seed}`,
      );
      console.error(
        JSON.stringify({ states: session.states(), open: proxy.openWatches(), pending: proxy.pending }),
      );
      continue;
    }
    const recoveryMs = performance.now() - hitAt;
    const requests = proxy.requests - requestsBefore;
    totalRequests += requests;
    const bound = requestBound(storeSize(session));
    if (requests > bound) {
      overBound++;
      console.error(`fault ${i} (${kind}): ${requests} requests, more than the bound ${bound}`);
    }
    if (kind === 'stallWatchAfterOpen' && recoveryMs > STALL_RECOVERY_BOUND_MS) {
      stallsOverBound++;
      console.error(
        `fault ${i} (${kind}): recovered after ${Math.round(recoveryMs)} ms, more than ${STALL_RECOVERY_BOUND_MS}`,
      );
    }
    stats.maxRecoveryMs = Math.max(stats.maxRecoveryMs, Math.round(recoveryMs));
    stats.maxRequests = Math.max(stats.maxRequests, requests);
    const diff = await compare();
    if (diff) {
      mismatches++;
      console.error(
        `fault ${i} (${kind}): store differs from the server: ${diff}; replay with --seed ${seed}`,
      );
    }
  }
  const wallS = (performance.now() - started) / 1000;
  await sleep(1_000);
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const maxRequests = Math.max(...Object.values(byKind).map((k) => k.maxRequests));

  print('soak_faults_injected', injected, { kinds: names.length });
  print('soak_store_mismatches', mismatches);
  print('soak_unsettled', unsettled);
  print('soak_max_recovery_ms', Math.max(...Object.values(byKind).map((k) => k.maxRecoveryMs)));
  print('soak_requests_per_fault', Math.round((totalRequests / Math.max(1, injected)) * 10) / 10);
  print('soak_requests_per_fault_max', maxRequests, {
    bound: `3 x ${kinds} kinds + stored objects / ${PAGE_SIZE} + 5 = ${requestBound(storeSize(session))} at the end`,
    over_bound: overBound,
  });
  const margins = proxy.retryAfterMargins;
  const early = margins.filter((m) => m < 0).length;
  print('soak_retry_after_early', early, {
    bound:
      'no request on a path before the Retry-After its 429/503 carried (1-2 s, as seconds or an HTTP-date): 0',
    retries_checked: margins.length,
    min_margin_ms: margins.length > 0 ? Math.round(Math.min(...margins)) : null,
  });
  print('soak_stall_recovery_ms', byKind['stallWatchAfterOpen']?.maxRecoveryMs ?? null, {
    bound: `idle window ${WATCH_IDLE_MS} + first back-off ${DEFAULT_BACKOFF.initialMs} + 1000 = ${STALL_RECOVERY_BOUND_MS}`,
    over_bound: stallsOverBound,
  });
  print('soak_idle_resumes', idleResumes, { stalls_injected: byKind['stallWatchAfterOpen']?.injected ?? 0 });
  print('soak_heap_growth_mb', Math.round(((heapAfter - heapBefore) / 2 ** 20) * 10) / 10, {
    store_objects_before: objectsBefore,
    store_objects_after: storeSize(session),
  });
  print('soak_wall_s', Math.round(wallS));
  print('soak_by_kind', byKind);

  await session.close();
  await proxy.close();
  await demo.command('stop');
  demo.disconnect();
  rmSync(work, { recursive: true, force: true });
  const ok =
    mismatches === 0 &&
    unsettled === 0 &&
    overBound === 0 &&
    early === 0 &&
    stallsOverBound === 0 &&
    injected >= Math.min(100, faults);
  if (!ok) console.error(`soak failed; replay with --seed ${seed}`);
  return ok ? 0 : 1;
}

function print(name: string, value: unknown, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ [name]: value, ...extra }));
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function shuffle<T>(random: Rand, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function storeSize(session: ClusterSession): number {
  return WATCHED_RESOURCES.reduce((n, r) => n + session.list(r.kind).length, 0);
}

type Versions = Map<string, Map<string, string>>;

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Every watched kind listed straight from the demo server (not through the proxy), unpaged. */
async function freshLists(ready: ChildReady): Promise<Versions> {
  const result: Versions = new Map();
  for (const resource of WATCHED_RESOURCES) {
    const list = await getJson<{ items: KubeObject[] }>(ready, collectionPath(resource));
    result.set(resource.kind, new Map(list.items.map((o) => [keyOf(o), o.metadata?.resourceVersion ?? ''])));
  }
  return result;
}

/** What differs between the server's lists and the session's store; undefined when nothing does. */
function differences(server: Versions, session: ClusterSession): string | undefined {
  const found: string[] = [];
  for (const resource of WATCHED_RESOURCES) {
    const expected = server.get(resource.kind) ?? new Map<string, string>();
    const stored = new Map(
      session.list(resource.kind).map((o) => [keyOf(o), o.metadata?.resourceVersion ?? '']),
    );
    for (const [key, rv] of expected) {
      const have = stored.get(key);
      if (have === undefined) found.push(`${resource.kind} ${key} missing`);
      else if (have !== rv) found.push(`${resource.kind} ${key} at ${have}, server ${rv}`);
    }
    for (const key of stored.keys()) if (!expected.has(key)) found.push(`${resource.kind} ${key} ghost`);
  }
  return found.length > 0 ? `${found.length} differences: ${found.slice(0, 5).join('; ')}` : undefined;
}

interface ChildReady {
  url: string;
  caPem: string;
  token: string;
}

function getJson<T>(ready: ChildReady, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(
      `${ready.url}${path}`,
      { ca: ready.caPem, headers: { Authorization: `Bearer ${ready.token}`, Accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        });
        res.on('error', reject);
      },
    ).on('error', reject);
  });
}

async function startChild(
  seed: number,
  kubeconfigOut: string,
): Promise<{ ready: ChildReady; command: Soak['child']; disconnect: () => void }> {
  const child: ChildProcess = fork(join(__dirname, 'demoChild.ts'), [String(seed), kubeconfigOut], {
    execArgv: ['--require', 'tsx/cjs'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if ('ready' in message) return resolve(message.ready);
      const waiter = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) waiter?.resolve();
      else waiter?.reject(new Error(message.error));
    });
    child.once('exit', (code) => reject(new Error(`the demo cluster exited (${code})`)));
  });
  const command = (op: ChildCommand['op']): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      const message: ChildCommand = { id, op };
      child.send(message);
    });
  return { ready, command, disconnect: () => child.disconnect() };
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    // Exiting drops the IPC channel, which stops the demo cluster too.
    process.exit(1);
  },
);
