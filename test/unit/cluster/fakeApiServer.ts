// A tiny Kubernetes-shaped HTTP server for the cluster tests: list with limit/continue, watch
// from a resourceVersion (with bookmarks), 410 for compacted versions, RBAC denials, dropped
// connections and restarts on the same port, refusals with Retry-After, periodic bookmarks and
// watches that go silent with their connection open. Only what src/cluster/ uses.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeObject } from '../../../src/kube/types';

export const FIXTURE_TOKEN = 'fixture-bearer-token-do-not-log';

interface Change {
  rv: number;
  plural: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface RequestRecord {
  path: string;
  query: URLSearchParams;
  watch: boolean;
  status: number;
}

export class FakeApiServer {
  private server: http.Server | undefined;
  private port = 0;
  private rv = 100;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private compactedBelow = 0;
  private readonly watchers = new Set<{
    plural: string;
    namespace?: string;
    bookmarks: boolean;
    res: http.ServerResponse;
    /** Nothing more is written, and the connection stays open (a hung proxy). */
    stalled?: boolean;
  }>();
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private readonly refusals: {
    watch: boolean;
    status: number;
    headers: Record<string, string>;
    details?: Record<string, unknown>;
    remaining: number;
  }[] = [];
  /** Kinds (plurals) whose watches get no BOOKMARK even when they allow them, as from an apiserver whose watch cache has seen no event of the kind. */
  readonly withoutBookmarks = new Set<string>();
  /** BOOKMARKs sent so far, at watch open and periodic. */
  bookmarksSent = 0;
  /** plural → '*' (everywhere) or a set of namespaces where it is denied. */
  private readonly denied = new Map<string, '*' | Set<string>>();
  private goneOnNextWatch = false;
  readonly requests: RequestRecord[] = [];
  logs = new Map<string, string>();
  namespacesDenied = false;
  /** The server's clock, sent in every response's Date header, as ms from our clock. */
  clockOffsetMs = 0;
  /** Watch requests are accepted and never answered (lists still are). */
  hangWatches = false;
  /** Holds a list page until the promise it returns settles (the page is read after that). */
  listGate: ((path: string, query: URLSearchParams) => Promise<void> | undefined) | undefined;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Writes a kubeconfig for this server into a fresh temp dir and returns its path. */
  writeKubeconfig(token = FIXTURE_TOKEN, namespace = 'default'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-kc-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: fake',
        'clusters:',
        '- name: fake',
        '  cluster:',
        `    server: ${this.url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: fake-user',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: fake',
        '  context:',
        '    cluster: fake',
        '    user: fake-user',
        `    namespace: ${namespace}`,
        '',
      ].join('\n'),
    );
    return file;
  }

  // ---- data -------------------------------------------------------------------------------

  put(plural: string, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.metadata ??= {};
    stored.metadata.resourceVersion = String(++this.rv);
    stored.metadata.uid ??= `uid-${plural}-${stored.metadata.namespace ?? ''}-${stored.metadata.name ?? ''}`;
    const bucket = this.bucket(plural);
    const key = keyOf(stored);
    const type = bucket.has(key) ? 'MODIFIED' : 'ADDED';
    bucket.set(key, stored);
    this.emit({ rv: this.rv, plural, type, object: stored });
    return stored;
  }

  remove(plural: string, namespace: string | undefined, name: string): void {
    const bucket = this.bucket(plural);
    const key = `${namespace ?? ''}/${name}`;
    const existing = bucket.get(key);
    if (!existing) return;
    bucket.delete(key);
    const gone = structuredClone(existing);
    gone.metadata!.resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, plural, type: 'DELETED', object: gone });
  }

  list(plural: string): KubeObject[] {
    return [...this.bucket(plural).values()];
  }

  /** Changes made now are not delivered to watchers, and older versions become 410 Gone: a compaction gap. */
  silently(fn: () => void): void {
    const watchers = [...this.watchers];
    this.watchers.clear();
    fn();
    for (const w of watchers) this.watchers.add(w);
    this.compactedBelow = this.rv;
  }

  // ---- faults -----------------------------------------------------------------------------

  /**
   * The next `times` watch (or list) requests are refused with `status`, these headers (say
   * Retry-After) and, in the Status body, these details.
   */
  refuse(
    what: 'watch' | 'list',
    status: number,
    headers: Record<string, string>,
    times = 1,
    details?: Record<string, unknown>,
  ): void {
    this.refusals.push({
      watch: what === 'watch',
      status,
      headers,
      remaining: times,
      ...(details ? { details } : {}),
    });
  }

  /** Sends a BOOKMARK with the newest resourceVersion to every open watch that allows them, every `ms`. */
  bookmarkEvery(ms: number): void {
    clearInterval(this.bookmarkTimer);
    this.bookmarkTimer = setInterval(() => {
      for (const w of this.watchers) if (!w.stalled) this.bookmark(w);
    }, ms);
  }

  /** Every open watch stops receiving anything, its connection left open. */
  stallWatches(): void {
    for (const w of this.watchers) w.stalled = true;
  }

  /** Watches whose connection is open now, stalled or not. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** Watches open now and not stalled. */
  get liveWatches(): number {
    return [...this.watchers].filter((w) => !w.stalled).length;
  }

  forceGoneOnNextWatch(): void {
    this.goneOnNextWatch = true;
  }

  deny(plural: string, where: '*' | string[] = '*'): void {
    this.denied.set(plural, where === '*' ? '*' : new Set(where));
  }

  /**
   * Sends a BOOKMARK with the newest resourceVersion to every open watch that asked for one, then
   * ends those watches normally: the client reads the bookmark before it sees the end.
   */
  bookmarkAndEnd(): void {
    for (const w of [...this.watchers]) {
      if (!w.bookmarks) continue;
      write(w.res, 'BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: String(this.rv) } });
      w.res.end();
      this.watchers.delete(w);
    }
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  dropWatches(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  async stop(): Promise<void> {
    clearInterval(this.bookmarkTimer);
    this.dropWatches();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops and starts again on the same port (data kept), like an API server restart. */
  async restart(whileDown?: () => void): Promise<void> {
    await this.stop();
    whileDown?.();
    await this.start();
  }

  /** Client connections open now, answered or not. */
  get openConnections(): number {
    return this.sockets.size;
  }

  watchCount(plural: string): number {
    return this.requests.filter((r) => r.watch && r.path.endsWith(`/${plural}`)).length;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const watch = url.searchParams.get('watch') === 'true';
    const record: RequestRecord = { path: url.pathname, query: url.searchParams, watch, status: 200 };
    this.requests.push(record);
    // Node sends our clock unless told otherwise; a real server sends its own.
    if (this.clockOffsetMs !== 0)
      res.setHeader('Date', new Date(Date.now() + this.clockOffsetMs).toUTCString());
    if (watch && this.hangWatches) return;
    const fail = (
      status: number,
      reason: string,
      headers: Record<string, string> = {},
      details?: Record<string, unknown>,
    ): void => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason,
          code: status,
          message: `${reason} (fixture)`,
          ...(details ? { details } : {}),
        }),
      );
    };
    if (req.headers.authorization !== `Bearer ${FIXTURE_TOKEN}`) return fail(401, 'Unauthorized');
    const refusal = this.refusals.find((r) => r.remaining > 0 && r.watch === watch);
    if (refusal) {
      refusal.remaining--;
      return fail(
        refusal.status,
        refusal.status === 429 ? 'TooManyRequests' : 'InternalError',
        refusal.headers,
        refusal.details,
      );
    }
    const route = parsePath(url.pathname);
    if (!route) return fail(404, 'NotFound');
    if (route.plural === 'namespaces' && !route.namespace) {
      if (this.namespacesDenied) return fail(403, 'Forbidden');
      const names = new Set<string>();
      for (const bucket of this.objects.values())
        for (const o of bucket.values()) if (o.metadata?.namespace) names.add(o.metadata.namespace);
      return json(res, {
        kind: 'NamespaceList',
        metadata: { resourceVersion: String(this.rv) },
        items: [...names].map((name) => ({ metadata: { name } })),
      });
    }
    const denied = this.denied.get(route.plural);
    if (denied === '*' || (denied && (route.namespace === undefined || denied.has(route.namespace))))
      return fail(403, 'Forbidden');
    if (route.log) {
      const text = this.logs.get(
        `${route.namespace ?? ''}/${route.name ?? ''}/${url.searchParams.get('container') ?? ''}`,
      );
      if (text === undefined) return fail(404, 'NotFound');
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end(text);
    }
    if (watch) return this.serveWatch(route.plural, route.namespace, url.searchParams, res, record);
    const gate = this.listGate?.(url.pathname, url.searchParams);
    if (gate) void gate.then(() => this.serveList(route, url, res));
    else this.serveList(route, url, res);
  }

  private serveList(
    route: { plural: string; namespace?: string | undefined },
    url: URL,
    res: http.ServerResponse,
  ): void {
    const all = [...this.bucket(route.plural).values()]
      .filter((o) => route.namespace === undefined || o.metadata?.namespace === route.namespace)
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const limit = Number(url.searchParams.get('limit') ?? 0);
    const offset = Number(url.searchParams.get('continue') ?? 0);
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = limit > 0 && offset + limit < all.length ? String(offset + limit) : undefined;
    // Like a real server, list items carry no apiVersion/kind.
    const items = page.map((o) => {
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    });
    json(res, {
      kind: 'List',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(this.rv), ...(next ? { continue: next } : {}) },
      items,
    });
  }

  private serveWatch(
    plural: string,
    namespace: string | undefined,
    query: URLSearchParams,
    res: http.ServerResponse,
    record: RequestRecord,
  ): void {
    const from = Number(query.get('resourceVersion') || this.rv);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // As kube-apiserver's watch handler: the headers go at once, not with the first event.
    res.flushHeaders();
    if (this.goneOnNextWatch || from < this.compactedBelow) {
      this.goneOnNextWatch = false;
      record.status = 410;
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
        }) + '\n',
      );
      return;
    }
    const watcher = {
      plural,
      ...(namespace !== undefined ? { namespace } : {}),
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      res,
    };
    for (const change of this.history)
      if (change.rv > from && matches(watcher, change)) write(res, change.type, change.object);
    this.bookmark(watcher);
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  private bookmark(w: { plural: string; bookmarks: boolean; res: http.ServerResponse }): void {
    if (!w.bookmarks || this.withoutBookmarks.has(w.plural)) return;
    this.bookmarksSent++;
    write(w.res, 'BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: String(this.rv) } });
  }

  private emit(change: Change): void {
    this.history.push(change);
    for (const w of this.watchers)
      if (!w.stalled && matches(w, change)) write(w.res, change.type, change.object);
  }

  private bucket(plural: string): Map<string, KubeObject> {
    let bucket = this.objects.get(plural);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(plural, bucket);
    }
    return bucket;
  }
}

function matches(w: { plural: string; namespace?: string }, change: Change): boolean {
  return (
    w.plural === change.plural &&
    (w.namespace === undefined || change.object.metadata?.namespace === w.namespace)
  );
}

function write(res: http.ServerResponse, type: string, object: unknown): void {
  res.write(JSON.stringify({ type, object }) + '\n');
}

function json(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function keyOf(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function parsePath(
  pathname: string,
): { plural: string; namespace?: string; name?: string; log?: boolean } | undefined {
  const parts = pathname.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : undefined;
  if (!rest || rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return {
      namespace: rest[1]!,
      plural: rest[2]!,
      ...(rest[3] ? { name: rest[3] } : {}),
      ...(rest[4] === 'log' ? { log: true } : {}),
    };
  }
  return { plural: rest[0]! };
}
