// The demo cluster's kube-apiserver: HTTPS on 127.0.0.1 with its own CA, bearer-token auth,
// discovery, OpenAPI, and the REST API over an ObjectStore. kubectl and client-node reach it
// through an ordinary kubeconfig and cannot tell it from a real server for what Podscope uses.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../clock';
import type { ObjectStore } from '../objectStore';
import { createServerPki } from './certificates';
import type { ServerPki } from './certificates';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import type { StatusError } from './errors';
import { methodNotAllowed, pathNotFound, toStatusError, unauthorized } from './errors';
import { renderKubeconfig, writeKubeconfigFile } from './kubeconfig';
import type { LogSource } from './logs';
import type { MetricsSource } from './metricsApi';
import { defaultMetrics, serveMetrics } from './metricsApi';
import { reviewAccess } from './accessReview';
import { aggregatedDiscoveryVersion, chooseRendering } from './negotiation';
import { openApiV3Document, openApiV3Root } from './openapi';
import {
  handleEphemeralContainers,
  handleLog,
  rejectUpgrade,
  streamingError,
  writeObject,
} from './podSubresources';
import type { ForbidRule } from './rbac';
import { RbacPolicy } from './rbac';
import { ResourceApi } from './resourceApi';
import { writeJson, writeStatus } from './responses';
import { resolvePath } from './urls';
import type { Target } from './urls';
import { WatchHub } from './watch';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export type ApiServerLogger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface ApiServerOptions {
  store: ObjectStore;
  clock: Clock;
  /** 0 or omitted: a free port. */
  port?: number;
  logs?: LogSource;
  /** `false`: a cluster without metrics-server, whose metrics.k8s.io paths answer 404. */
  metrics?: MetricsSource | false;
  /** Initial forbid rules; change them later through `rbac`. */
  rbac?: ForbidRule[];
  /** The user named in Forbidden messages. */
  user?: string;
  logger?: ApiServerLogger;
  /** Store events kept for watch replay, per kind (default 10000). */
  watchHistory?: number;
  /** Real-time ms between watch BOOKMARKs (default 5000). */
  bookmarkIntervalMs?: number;
  /** Who removes a gracefully deleted pod: the server after a short simulated delay, or the simulation. */
  podDeletion?: 'timer' | 'external';
}

export interface KubeconfigOptions {
  context?: string;
  namespace?: string;
}

export interface ApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** Base64 of the CA PEM, as `certificate-authority-data` holds it. */
  readonly caData: string;
  readonly caPem: string;
  readonly token: string;
  /** Switch forbidden resources at runtime. */
  readonly rbac: RbacPolicy;
  kubeconfig(options?: KubeconfigOptions): string;
  writeKubeconfig(path: string, options?: KubeconfigOptions): void;
  /** Test hook: the next watch that names a resourceVersion gets 410 Expired. */
  expireNextWatch(): void;
  /** Test hook: ends every open watch (clients must re-list or re-watch). */
  dropWatches(): void;
  /** Open watch connections. */
  watchCount(): number;
  /** Stops listening and ends open watches and log streams. */
  close(): Promise<void>;
  /** close() then listen again on the same port with the same certificates and token. */
  restart(): Promise<void>;
}

function readBody(req: IncomingMessage): () => Promise<Buffer> {
  let cached: Promise<Buffer> | undefined;
  return () =>
    (cached ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    }));
}

const VERB_BY_METHOD: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

function verbOf(
  method: string,
  target: Extract<Target, { type: 'resource' }>,
  query: URLSearchParams,
): string {
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (method === 'GET') return watch ? 'watch' : target.name === undefined ? 'list' : 'get';
  if (method === 'DELETE' && target.name === undefined) return 'deletecollection';
  if (['exec', 'attach', 'portforward'].includes(target.subresource ?? '')) return 'create';
  return VERB_BY_METHOD[method] ?? method.toLowerCase();
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const pki: ServerPki = createServerPki();
  const token = randomBytes(32).toString('base64url');
  const rbac = new RbacPolicy(options.rbac ?? [], options.user);
  const log: ApiServerLogger = options.logger ?? (() => undefined);
  const store = options.store;
  const clock = options.clock;
  const metrics = options.metrics === false ? undefined : (options.metrics ?? defaultMetrics);
  // Watches belong to one listening session: restart() starts a fresh window, as a restarted
  // apiserver's watch cache does.
  const newWatchHub = (): WatchHub =>
    new WatchHub(store, {
      historySize: options.watchHistory ?? 10000,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
    });
  const newApi = (hub: WatchHub): ResourceApi =>
    new ResourceApi({ store, clock, watches: hub, podDeletion: options.podDeletion ?? 'timer' });
  let watches = newWatchHub();
  let api = newApi(watches);
  let port = options.port ?? 0;
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let url = '';

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(token);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  };

  const deps = { store, clock, logs: options.logs };

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    target: Extract<Target, { type: 'resource' }>,
    query: URLSearchParams,
  ): Promise<void> {
    const r = target.resource;
    const method = req.method ?? 'GET';
    if (target.legacyWatch) query.set('watch', 'true');
    const verb = verbOf(method, target, query);
    const denied = rbac.check({
      verb,
      group: r.group,
      resource: r.resource,
      namespaced: r.namespaced,
      ...(target.subresource ? { subresource: target.subresource } : {}),
      ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
      ...(target.name !== undefined ? { name: target.name } : {}),
    });
    if (denied) throw denied;
    if (r.group === 'authorization.k8s.io') {
      if (method !== 'POST') throw methodNotAllowed();
      const body = await readBody(req)();
      return writeJson(res, 201, reviewAccess(r.kind, body, req.headers['content-type'], rbac));
    }
    if (r.virtual) {
      if (!metrics) throw pathNotFound();
      if (method !== 'GET') throw methodNotAllowed();
      return serveMetrics(
        res,
        { store, source: metrics, now: clock.now() },
        r,
        target.namespace,
        target.name,
        query,
      );
    }
    const name = target.name ?? '';
    switch (target.subresource) {
      case 'log':
        return handleLog(deps, req, res, target.namespace, name, query);
      case 'exec':
      case 'attach':
      case 'portforward':
        throw streamingError(deps, target.namespace, name, query, target.subresource);
      case 'ephemeralcontainers':
        return writeObject(
          res,
          await handleEphemeralContainers(deps, req, readBody(req), target.namespace, name),
        );
      default:
        return api.handle({
          req,
          res,
          query,
          resource: r,
          namespace: target.namespace,
          name: target.name,
          subresource: target.subresource,
          rendering: chooseRendering(req.headers.accept),
          body: readBody(req),
        });
    }
  }

  function handleDiscovery(req: IncomingMessage, res: ServerResponse, target: Target): boolean {
    const aggregated = aggregatedDiscoveryVersion(req.headers.accept);
    switch (target.type) {
      case 'version':
        writeJson(res, 200, SERVER_VERSION);
        return true;
      case 'health':
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end('ok');
        return true;
      case 'discoveryLegacy':
      case 'discoveryGroups':
        if (aggregated) {
          writeJson(
            res,
            200,
            aggregatedDiscovery(target.type === 'discoveryLegacy', aggregated),
            `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
          );
        } else {
          writeJson(
            res,
            200,
            target.type === 'discoveryLegacy' ? apiVersions(url.replace('https://', '')) : apiGroupList(),
          );
        }
        return true;
      case 'discoveryGroup': {
        const doc = apiGroupDocument(target.group);
        if (!doc) throw pathNotFound();
        writeJson(res, 200, doc);
        return true;
      }
      case 'discoveryResources': {
        const doc = apiResourceList(target.group, target.version);
        if (!doc) throw pathNotFound();
        writeJson(res, 200, doc);
        return true;
      }
      case 'openapiV3Root':
        writeJson(res, 200, openApiV3Root());
        return true;
      case 'openapiV3Doc': {
        const doc = openApiV3Document(target.group, target.version);
        if (!doc) throw pathNotFound();
        writeJson(res, 200, doc);
        return true;
      }
      default:
        return false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    log('debug', `${req.method ?? 'GET'} ${req.url ?? ''}`);
    // The cluster's wall clock is the simulation's: clients (src/cluster's ServerClock) learn the
    // server's time from this header and measure ages against it, as against a real server.
    res.setHeader('Date', new Date(clock.now()).toUTCString());
    try {
      const parsed = new URL(req.url ?? '/', 'https://127.0.0.1');
      const target = resolvePath(parsed.pathname);
      const open = target.type === 'version' || target.type === 'health';
      if (!open && !authorized(req)) throw unauthorized();
      if (target.type === 'resource') await handleResource(req, res, target, parsed.searchParams);
      else if (!handleDiscovery(req, res, target)) throw pathNotFound();
    } catch (err) {
      const status: StatusError = toStatusError(err);
      if (status.code >= 500) log('error', `${req.method ?? 'GET'} ${req.url ?? ''}: ${status.message}`);
      writeStatus(res, status);
    }
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex): void {
    try {
      const parsed = new URL(req.url ?? '/', 'https://127.0.0.1');
      const target = resolvePath(parsed.pathname);
      if (!authorized(req)) throw unauthorized();
      if (target.type !== 'resource' || !['exec', 'attach', 'portforward'].includes(target.subresource ?? ''))
        throw pathNotFound();
      const denied = rbac.check({
        verb: 'create',
        group: '',
        resource: 'pods',
        namespaced: true,
        subresource: target.subresource ?? '',
        ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
        ...(target.name !== undefined ? { name: target.name } : {}),
      });
      if (denied) throw denied;
      throw streamingError(
        deps,
        target.namespace,
        target.name ?? '',
        parsed.searchParams,
        target.subresource ?? '',
      );
    } catch (err) {
      rejectUpgrade(socket, toStatusError(err), clock.now());
    }
  }

  async function listen(): Promise<void> {
    const s = createServer({ key: pki.server.key, cert: pki.server.cert }, (req, res) => {
      handle(req, res).catch((err: unknown) => {
        log('error', `unhandled: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        writeStatus(res, toStatusError(err));
      });
    });
    s.on('upgrade', handleUpgrade);
    // Every raw socket, including ones still in the TLS handshake or idle in keep-alive, which
    // closeAllConnections() does not see: close() must not wait on a client to hang up.
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    s.on('clientError', (err, socket) => {
      log('debug', `client error: ${err.message}`);
      socket.destroy();
    });
    // Watches and follows are long-lived; Node's default request timeouts would cut them.
    s.requestTimeout = 0;
    s.headersTimeout = 60_000;
    s.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    port = (s.address() as AddressInfo).port;
    url = `https://127.0.0.1:${port}`;
    server = s;
    log('info', `demo apiserver listening on ${url}`);
  }

  async function close(): Promise<void> {
    const s = server;
    server = undefined;
    watches.close();
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
  }

  await listen();
  const params = (o: KubeconfigOptions = {}): Parameters<typeof renderKubeconfig>[0] => ({
    server: url,
    caPem: pki.ca.cert,
    token,
    ...(o.context ? { context: o.context } : {}),
    ...(o.namespace ? { namespace: o.namespace } : {}),
  });

  return {
    get url() {
      return url;
    },
    caData: Buffer.from(pki.ca.cert).toString('base64'),
    caPem: pki.ca.cert,
    token,
    rbac,
    kubeconfig: (o) => renderKubeconfig(params(o)),
    writeKubeconfig: (path, o) => writeKubeconfigFile(path, params(o)),
    expireNextWatch: () => watches.expireNextWatch(),
    dropWatches: () => watches.dropAll(),
    watchCount: () => watches.size,
    close,
    restart: async () => {
      await close();
      watches = newWatchHub();
      api = newApi(watches);
      await listen();
    },
  };
}
