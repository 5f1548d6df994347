// Talks to one context's API server, entirely through client-node: it authenticates (client
// certs, tokens, exec plugins, OIDC refresh, proxies, CA bundles), sends the requests and
// streams the watches. What is ours is only how we read the answers.
//
// Requests (list pages, pod logs, and the writes of apply and create) are the request a
// generated API method makes, minus its
// deserializer: a RequestContext from client-node's Configuration, authenticated by
// `applySecurityAuthentication`, sent by `Configuration.httpApi`, and the raw body parsed with
// JSON.parse. The generated methods themselves would turn every timestamp into a Date and every
// object into a class instance that we would then serialize back to wire JSON (for 10,000 pods:
// 1.2-1.4 s plus 0.6 s, against 0.55 s raw; test/unit/cluster/syncScale.bench.ts), they take
// no AbortSignal in 1.4, and CoreV1Api alone adds about 560 KB to the bundle.
//
// Watches use client-node's Watch, wrapped for three things it lacks in 1.4: a timeout for the
// server to accept the watch, cancellation before the server has answered (its AbortController
// only arrives once the response headers have), and a deadline for half-open connections. See
// watch() and README.md.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type * as http from 'node:http';
import type { Configuration, KubeConfig, RequestContext } from '@kubernetes/client-node';
import type { ClientNode } from './clientNode';
import { loadClientNode } from './clientNode';
import type { StatusCause } from './clusterError';
import { ClusterError, fromHttpStatus, toClusterError } from './clusterError';
import { retryAfterMs, statusRetryAfterMs } from './retryAfter';
import { ServerClock } from './serverClock';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Whole-request timeout (headers and body), ms. */
  timeoutMs?: number;
}

export interface WatchOptions {
  signal: AbortSignal;
  /** How long the server may take to accept the watch, ms. */
  openTimeoutMs: number;
  /**
   * The watch is ended (normally, to be resumed) after this long even if the server never closes
   * it: a connection silently lost (half-open) must not stall a kind forever.
   */
  deadlineMs: number;
  /** Called once the server accepted the watch (200 and headers received). */
  onOpen?: () => void;
}

export type WatchEventHandler = (type: string, object: Record<string, unknown>) => void;

const DEFAULT_TIMEOUT_MS = 60_000;

export class ApiClient {
  private configuration: Configuration | undefined;

  constructor(
    /** A KubeConfig whose current context is this client's context. */
    readonly kubeConfig: KubeConfig,
    /** Learns the server's clock from the Date header of every response. */
    readonly clock: ServerClock = new ServerClock(),
  ) {}

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '';
  }

  /** GET returning parsed JSON. Non-2xx answers become ClusterErrors carrying the HTTP status. */
  async getJson<T>(path: string, query: Query, options: RequestOptions = {}): Promise<T> {
    const body = await this.getText(path, query, options);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new ClusterError('unknown', `the API server sent a response that is not JSON for ${path}`);
    }
  }

  /** GET returning the body as text (pod logs). */
  getText(path: string, query: Query, options: RequestOptions = {}): Promise<string> {
    return this.send('GET', path, query, undefined, options);
  }

  /**
   * A write (PATCH, POST) with a JSON body, returning the parsed answer. The body goes out as
   * JSON under `contentType` (JSON is YAML, so `application/apply-patch+yaml` takes it as is).
   */
  async sendJson<T>(
    method: 'PATCH' | 'POST' | 'PUT',
    path: string,
    query: Query,
    body: { contentType: string; value: unknown },
    options: RequestOptions = {},
  ): Promise<T> {
    const text = await this.send(method, path, query, body, options);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClusterError('unknown', `the API server sent a response that is not JSON for ${path}`);
    }
  }

  private async send(
    method: 'GET' | 'PATCH' | 'POST' | 'PUT',
    path: string,
    query: Query,
    body: { contentType: string; value: unknown } | undefined,
    options: RequestOptions,
  ): Promise<string> {
    const clientNode = await loadClientNode();
    const configuration = this.configure(clientNode);
    const request = configuration.baseServer.makeRequestContext(path, clientNode.HttpMethod[method]);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) request.setQueryParam(k, String(v));
    request.setHeaderParam('Accept', 'application/json, */*');
    if (body) {
      request.setHeaderParam('Content-Type', body.contentType);
      request.setBody(JSON.stringify(body.value));
    }
    await authenticate(configuration, request);

    // One signal for the caller's cancel and our timeout; which one fired decides the error.
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    request.setSignal(controller.signal);
    try {
      const response = await configuration.httpApi.send(request).toPromise();
      this.clock.observeDate(response.headers['date']);
      const text = await response.body.text();
      const status = response.httpStatusCode;
      if (status < 200 || status >= 300) {
        const failure = statusOf(text);
        throw fromHttpStatus(status, failure?.message, {
          retryAfterMs:
            retryAfterMs(response.headers['retry-after'], response.headers['date'], Date.now()) ??
            statusRetryAfterMs(failure?.status),
          causes: failure?.causes ?? [],
        });
      }
      return text;
    } catch (e) {
      if (timedOut) throw new ClusterError('timeout', `the API server did not answer within ${timeoutMs} ms`);
      if (controller.signal.aborted) throw new ClusterError('unknown', 'the request was cancelled');
      throw toClusterError(e);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Streams a watch through client-node's Watch. Resolves when the server (or the deadline, or
   * `signal`) ends it normally; rejects with a ClusterError when it cannot be opened or breaks.
   *
   * Watch.watch() resolves with its AbortController only once the server has sent the response
   * headers, so until then the request can only be stopped through its connection: the agent
   * that client-node creates for the request is kept (from applyToFetchOptions, which Watch
   * calls) and destroyed on timeout or cancel. A watch cancelled that early also aborts the
   * controller as soon as it arrives.
   */
  async watch(path: string, query: Query, onEvent: WatchEventHandler, options: WatchOptions): Promise<void> {
    const { Watch } = await loadClientNode();
    const { signal } = options;
    const kubeConfig = this.kubeConfig;
    return new Promise<void>((resolve, reject) => {
      let done = false;
      let agent: http.Agent | undefined;
      let controller: AbortController | undefined;
      let response: http.IncomingMessage | undefined;
      // Watch keeps only the status code of a refused watch, and no header of any answer. Node
      // publishes every client response on a diagnostics channel; ours is the one sent through
      // the agent of this watch. Its Date header goes to the clock, its Retry-After (on a 429 or
      // 5xx) into the error.
      const onResponse = (message: unknown): void => {
        const published = message as { request: { agent?: unknown }; response: http.IncomingMessage };
        if (agent === undefined || published.request.agent !== agent) return;
        response = published.response;
        unsubscribe(RESPONSE_CHANNEL, onResponse);
        this.clock.observeDate(response.headers.date);
      };
      subscribe(RESPONSE_CHANNEL, onResponse);
      const finish = (err?: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe(RESPONSE_CHANNEL, onResponse);
        signal.removeEventListener('abort', onAbort);
        controller?.abort();
        agent?.destroy();
        if (err !== undefined && err !== null && !signal.aborted) reject(refusal(err, response));
        else resolve();
      };
      const onAbort = (): void => finish();
      let timer = setTimeout(
        () =>
          finish(
            new ClusterError(
              'timeout',
              `the API server did not accept the watch within ${options.openTimeoutMs} ms`,
            ),
          ),
        options.openTimeoutMs,
      );
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });

      // The KubeConfig as Watch sees it: the same object, except that the request options it
      // builds hand us the agent (see above). A watch cancelled while credentials were being
      // prepared (an exec plugin running, say) is not sent at all.
      const config = Object.create(kubeConfig) as KubeConfig;
      config.applyToFetchOptions = async (opts) => {
        const init = await kubeConfig.applyToFetchOptions(opts);
        if (done) throw new ClusterError('unknown', 'the watch was cancelled');
        agent = init.agent as http.Agent | undefined;
        return init;
      };
      new Watch(config)
        .watch(
          path,
          query,
          (type: string, object: unknown) => {
            if (done || typeof object !== 'object' || object === null) return;
            // Watch swallows whatever its callback throws; a failing handler must end the watch.
            try {
              onEvent(type, object as Record<string, unknown>);
            } catch (e) {
              finish(e);
            }
          },
          // Called with null when the server ends the watch, with an error when it breaks or
          // refuses it (then before watch() resolves).
          (err: unknown) => finish(err),
        )
        .then(
          (c) => {
            controller = c;
            if (done) return c.abort();
            clearTimeout(timer);
            timer = setTimeout(() => finish(), options.deadlineMs);
            options.onOpen?.();
          },
          // Only applyToFetchOptions throws out of watch(): the credentials could not be prepared.
          (e: unknown) => finish(credentialError(e)),
        );
    });
  }

  private configure(clientNode: ClientNode): Configuration {
    // The Configuration makeApiClient() builds for the generated APIs.
    this.configuration ??= clientNode.createConfiguration({
      baseServer: new clientNode.ServerConfiguration(this.server, {}),
      authMethods: { default: this.kubeConfig },
    });
    return this.configuration;
  }
}

/**
 * Node's diagnostics channel for client responses (in every Node we run on, >= 20.19): published
 * once a response's headers are parsed, before the caller sees the response.
 */
const RESPONSE_CHANNEL = 'http.client.response.finish';

/** A watch that failed: the server's refusal keeps the Retry-After its response carried. */
function refusal(err: unknown, response: http.IncomingMessage | undefined): ClusterError {
  const status = (err as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status !== 'number' || !response || response.statusCode !== status) return toClusterError(err);
  return fromHttpStatus(status, undefined, {
    retryAfterMs: retryAfterMs(response.headers['retry-after'], response.headers.date, Date.now()),
  });
}

/** Applies the context's credentials to a request as the generated APIs do. */
async function authenticate(configuration: Configuration, request: RequestContext): Promise<void> {
  try {
    await configuration.authMethods.default?.applySecurityAuthentication(request);
  } catch (e) {
    throw credentialError(e);
  }
}

/**
 * A failure raised while client-node prepared credentials (exec plugin, OIDC refresh, cert
 * files). The original message is not kept: an exec plugin's stderr may quote a token.
 */
function credentialError(e: unknown): ClusterError {
  if (e instanceof ClusterError) return e;
  const code = (e as { code?: unknown } | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES') {
    return new ClusterError(
      'badKubeconfig',
      `a certificate file or credential command named by the kubeconfig cannot be found or run (${code})`,
    );
  }
  const classified = toClusterError(e);
  // An OIDC refresh that cannot reach its issuer, say.
  if (classified.reason === 'unreachable' || classified.reason === 'timeout') return classified;
  return new ClusterError(
    'unauthorized',
    'could not obtain credentials for this context (the exec plugin or OIDC refresh failed)',
  );
}

/** The server's Status document, when the body is one: its message, causes and the whole of it. */
function statusOf(text: string): { message?: string; causes: StatusCause[]; status: unknown } | undefined {
  let parsed: { kind?: string; message?: unknown; details?: { causes?: unknown } };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not a Status document (HTML from a proxy, say): the status code alone classifies it.
    return undefined;
  }
  if (parsed.kind !== 'Status') return undefined;
  const causes = (Array.isArray(parsed.details?.causes) ? (parsed.details.causes as unknown[]) : []).flatMap(
    (c): StatusCause[] => {
      if (!c || typeof c !== 'object') return [];
      const { reason, message, field } = c as Record<string, unknown>;
      return [
        {
          ...(typeof reason === 'string' ? { reason } : {}),
          ...(typeof message === 'string' ? { message } : {}),
          ...(typeof field === 'string' ? { field } : {}),
        },
      ];
    },
  );
  return {
    ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
    causes,
    status: parsed,
  };
}
