// Shared set-up for the demo API server tests: a real-time clock, a store seeded with a small
// cluster, an HTTPS client that trusts the server's CA, and a bounded kubectl runner that never
// touches ~/.kube.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../../../src/kube/types';
import type { Clock, TimerHandle } from '../../../../src/demo/clock';
import { MemoryStore } from '../../../../src/demo/memoryStore';
import type { ApiServer, ApiServerOptions } from '../../../../src/demo/apiserver/server';
import { startApiServer } from '../../../../src/demo/apiserver/server';
import type { LogLine, LogRef, LogSource } from '../../../../src/demo/apiserver/logs';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function runningPod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  extra: { restarts?: number; node?: string } = {},
): KubeObject {
  const restarts = extra.restarts ?? 0;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, creationTimestamp: ago(300_000) },
    spec: {
      nodeName: extra.node ?? 'worker-1',
      containers: [{ name: 'app', image: 'nginx:1.27' }],
      terminationGracePeriodSeconds: 30,
    },
    status: {
      phase: 'Running',
      hostIP: '10.0.0.11',
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: restarts,
          image: 'nginx:1.27',
          imageID: 'docker.io/library/nginx@sha256:0000',
          state: { running: { startedAt: ago(60_000) } },
          ...(restarts
            ? {
                lastState: {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: ago(200_000),
                    finishedAt: ago(90_000),
                  },
                },
              }
            : {}),
        },
      ],
    },
  };
}

export function seedStore(store: MemoryStore): void {
  for (const ns of ['default', 'demo', 'shop'])
    store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  store.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      labels: { 'kubernetes.io/hostname': 'worker-1', 'node-role.kubernetes.io/worker': '' },
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.11' }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      nodeInfo: {
        kubeletVersion: 'v1.32.4',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://1.7.24',
      },
    },
  });
  store.create(runningPod('web-1', 'demo', { app: 'web', tier: 'front' }, { restarts: 2 }));
  store.create(runningPod('web-2', 'demo', { app: 'web', tier: 'front' }));
  store.create(runningPod('api-1', 'demo', { app: 'api' }));
  store.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db-0', namespace: 'demo', labels: { app: 'db' } },
    spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
    },
  });
  store.create(runningPod('cart-1', 'shop', { app: 'cart' }));
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-1.17a0', namespace: 'demo' },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web-1',
      namespace: 'demo',
      fieldPath: 'spec.containers{app}',
    },
    reason: 'BackOff',
    type: 'Warning',
    message: 'Back-off restarting failed container app in pod web-1_demo',
    source: { component: 'kubelet', host: 'worker-1' },
    count: 4,
    firstTimestamp: ago(600_000),
    lastTimestamp: ago(30_000),
  });
  store.create({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'db-0.17a1', namespace: 'demo' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'db-0', namespace: 'demo' },
    reason: 'FailedScheduling',
    type: 'Warning',
    message: '0/1 nodes are available: 1 Insufficient memory.',
    source: { component: 'default-scheduler' },
    count: 1,
    firstTimestamp: ago(120_000),
    lastTimestamp: ago(120_000),
  });
}

/** A LogSource with fixed lines and a `write` to append to a container's current log. */
export class FakeLogs implements LogSource {
  private readonly current = new Map<string, LogLine[]>();
  private readonly previous = new Map<string, LogLine[]>();
  private readonly followers = new Map<string, Set<(line: LogLine) => void>>();

  private key(ref: LogRef): string {
    return `${ref.namespace}/${ref.pod}/${ref.container}`;
  }

  set(ref: LogRef, current: string[], previous?: string[]): void {
    this.current.set(
      this.key(ref),
      current.map((text, i) => ({ time: Date.parse('2025-06-10T09:00:00Z') + i * 1000, text })),
    );
    if (previous)
      this.previous.set(
        this.key(ref),
        previous.map((text, i) => ({ time: Date.parse('2025-06-10T08:00:00Z') + i * 1000, text })),
      );
  }

  write(ref: LogRef, text: string): void {
    const line = { time: Date.now(), text };
    const list = this.current.get(this.key(ref)) ?? [];
    list.push(line);
    this.current.set(this.key(ref), list);
    for (const f of this.followers.get(this.key(ref)) ?? []) f(line);
  }

  followerCount(): number {
    let n = 0;
    for (const set of this.followers.values()) n += set.size;
    return n;
  }

  lines(ref: LogRef, previous: boolean): LogLine[] | undefined {
    return (previous ? this.previous : this.current).get(this.key(ref));
  }

  follow(ref: LogRef, onLine: (line: LogLine) => void): () => void {
    const key = this.key(ref);
    let set = this.followers.get(key);
    if (!set) this.followers.set(key, (set = new Set()));
    set.add(onLine);
    return () => set.delete(onLine);
  }
}

export interface Harness {
  store: MemoryStore;
  server: ApiServer;
  logs: FakeLogs;
  dir: string;
  kubeconfig: string;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<ApiServerOptions> = {}): Promise<Harness> {
  const store = new MemoryStore({ clock: realClock });
  seedStore(store);
  const logs = new FakeLogs();
  logs.set(
    { namespace: 'demo', pod: 'web-1', container: 'app' },
    ['starting web', 'listening on :8080'],
    ['panic: config missing', 'exit 1'],
  );
  const server = await startApiServer({ store, clock: realClock, logs, bookmarkIntervalMs: 200, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'podscope-apiserver-'));
  const kubeconfig = join(dir, 'kubeconfig');
  server.writeKubeconfig(kubeconfig);
  return {
    store,
    server,
    logs,
    dir,
    kubeconfig,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export function http(
  server: ApiServer,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token !== null) headers['Authorization'] = `Bearer ${options.token ?? server.token}`;
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = request(url, { method, headers, ca: server.caPem, timeout: 5000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: <T>() => JSON.parse(body) as T,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Streams a watch; `next()` resolves with the next decoded event (bounded by a timeout). */
export function openWatch(
  server: ApiServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  next(timeoutMs?: number): Promise<{ type: string; object: Record<string, unknown> }>;
  ended: Promise<void>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const queue: { type: string; object: Record<string, unknown> }[] = [];
    const waiters: ((e: { type: string; object: Record<string, unknown> }) => void)[] = [];
    let buffer = '';
    let endResolve: () => void = () => undefined;
    const ended = new Promise<void>((r) => (endResolve = r));
    const req = request(
      new URL(path, server.url),
      { headers: { Authorization: `Bearer ${server.token}`, ...headers }, ca: server.caPem },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.trim()) continue;
            const event = JSON.parse(line) as { type: string; object: Record<string, unknown> };
            const waiter = waiters.shift();
            if (waiter) waiter(event);
            else queue.push(event);
          }
        });
        res.on('end', () => endResolve());
        res.on('close', () => endResolve());
        resolve({
          next(timeoutMs = 3000) {
            const queued = queue.shift();
            if (queued) return Promise.resolve(queued);
            return new Promise((res2, rej2) => {
              const timer = setTimeout(
                () => rej2(new Error(`no watch event within ${timeoutMs}ms on ${path}`)),
                timeoutMs,
              );
              waiters.push((e) => {
                clearTimeout(timer);
                res2(e);
              });
            });
          },
          ended,
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

/** Waits for a condition, polling every 20 ms, failing after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs real kubectl against the harness with its own kubeconfig and cache dir, bounded in time. */
export function kubectl(
  h: Harness,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    if (!KUBECTL) {
      reject(new Error('kubectl not installed'));
      return;
    }
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', h.kubeconfig, '--cache-dir', join(h.dir, 'cache'), ...args],
      {
        env: { ...process.env, HOME: h.dir, KUBECONFIG: h.kubeconfig, KUBECACHEDIR: join(h.dir, 'cache') },
        timeout: options.timeoutMs ?? 20000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Starts a long-running kubectl (get -w, logs -f) and collects its output. */
export function kubectlStream(
  h: Harness,
  args: string[],
): { child: ChildProcess; output: () => string; stop(): void } {
  if (!KUBECTL) throw new Error('kubectl not installed');
  const child = spawn(KUBECTL, ['--kubeconfig', h.kubeconfig, '--cache-dir', join(h.dir, 'cache'), ...args], {
    env: { ...process.env, HOME: h.dir, KUBECONFIG: h.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.on('exit', () => clearTimeout(guard));
  return { child, output: () => out, stop: () => child.kill('SIGTERM') };
}
