// Talks to one context's API server. Authentication (client certs, tokens, exec plugins, OIDC
// refresh, proxies, CA bundles) is entirely client-node's: every request starts from
// `KubeConfig.applyToHTTPSOptions`, which yields the agent and headers for Node's http(s).
//
// Lists are read as raw JSON rather than through the generated API classes: those turn every
// timestamp into a Date and every object into a class instance that we would then serialize
// back to wire JSON. For 10,000 pods (28 MB): raw 0.55 s; generated API 1.2-1.4 s, plus 0.6 s
// for ObjectSerializer back to wire JSON (test/unit/cluster/syncScale.bench.ts).
//
// Watches are streamed here too, not through client-node's Watch: its request can only be
// aborted once the server has answered (a hung connect would outlive dispose()), it has no
// connect timeout, and it drops unparsable lines silently.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, fromHttpStatus, toClusterError } from './clusterError';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  signal?: AbortSignal;
  /** Whole-request timeout, ms. */
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
/** TCP keep-alive on watch sockets, as client-node's Watch does, so dead peers are noticed. */
const KEEPALIVE_MS = 30_000;

export class ApiClient {
  constructor(
    /** A KubeConfig whose current context is this client's context. */
    readonly kubeConfig: KubeConfig,
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
  async getText(path: string, query: Query, options: RequestOptions = {}): Promise<string> {
    const { url, requestOptions, transport } = await this.prepare(path, query);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<string>((resolve, reject) => {
      let done = false;
      const finish = (err: unknown, text?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        request.destroy();
        if (err !== undefined) reject(toClusterError(err));
        else resolve(text ?? '');
      };
      const onAbort = (): void => finish(new ClusterError('unknown', 'the request was cancelled'));
      const timer = setTimeout(
        () => finish(new ClusterError('timeout', `the API server did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const request = transport.request(url, { ...requestOptions, method: 'GET' }, (response) => {
        readBody(response).then(
          (text) => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) finish(undefined, text);
            else finish(fromHttpStatus(status, statusMessage(text)));
          },
          (e: unknown) => finish(e),
        );
      });
      request.on('error', (e) => finish(e));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      request.end();
    });
  }

  /**
   * Streams a watch. Resolves when the server (or the deadline, or `signal`) ends it normally;
   * rejects with a ClusterError when it cannot be opened or breaks.
   */
  async watch(path: string, query: Query, onEvent: WatchEventHandler, options: WatchOptions): Promise<void> {
    const { url, requestOptions, transport } = await this.prepare(path, { ...query, watch: true });
    const { signal } = options;
    return new Promise<void>((resolve, reject) => {
      let done = false;
      let timer: NodeJS.Timeout;
      const finish = (err?: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        request.destroy();
        if (err !== undefined && !signal.aborted) reject(toClusterError(err));
        else resolve();
      };
      const onAbort = (): void => finish();
      timer = setTimeout(
        () =>
          finish(
            new ClusterError(
              'timeout',
              `the API server did not accept the watch within ${options.openTimeoutMs} ms`,
            ),
          ),
        options.openTimeoutMs,
      );
      const request = transport.request(url, { ...requestOptions, method: 'GET' }, (response) => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          readBody(response).then(
            (text) => finish(fromHttpStatus(status, statusMessage(text))),
            (e: unknown) => finish(e),
          );
          return;
        }
        response.socket.setKeepAlive(true, KEEPALIVE_MS);
        timer = setTimeout(() => finish(), options.deadlineMs);
        options.onOpen?.();
        let pending = '';
        const deliver = (line: string): void => {
          if (line.trim() === '') return;
          let event: { type?: unknown; object?: unknown };
          try {
            event = JSON.parse(line) as typeof event;
          } catch {
            throw new ClusterError('unknown', 'the API server sent a watch event that is not JSON');
          }
          if (typeof event.type === 'string' && typeof event.object === 'object' && event.object !== null) {
            onEvent(event.type, event.object as Record<string, unknown>);
          }
        };
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (done) return;
          pending += chunk;
          try {
            for (
              let newline = pending.indexOf('\n');
              newline >= 0 && !done;
              newline = pending.indexOf('\n')
            ) {
              const line = pending.slice(0, newline);
              pending = pending.slice(newline + 1);
              deliver(line);
            }
          } catch (e) {
            finish(e);
          }
        });
        response.on('end', () => {
          try {
            deliver(pending);
            finish();
          } catch (e) {
            finish(e);
          }
        });
        response.on('error', (e) => finish(e));
        // Closed without 'end': the connection broke mid-stream.
        response.on('close', () => finish(new ClusterError('unreachable', 'the watch connection was lost')));
      });
      request.on('error', (e) => finish(e));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      request.end();
    });
  }

  private async prepare(
    path: string,
    query: Query,
  ): Promise<{ url: URL; requestOptions: https.RequestOptions; transport: typeof http | typeof https }> {
    const requestOptions: https.RequestOptions = {};
    try {
      await this.kubeConfig.applyToHTTPSOptions(requestOptions);
    } catch (e) {
      throw credentialError(e);
    }
    requestOptions.headers = { ...requestOptions.headers, Accept: 'application/json' };
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return { url, requestOptions, transport: url.protocol === 'http:' ? http : https };
  }
}

/**
 * A failure raised while client-node prepared credentials (exec plugin, OIDC refresh, cert
 * files). The original message is not kept: an exec plugin's stderr may quote a token.
 */
function credentialError(e: unknown): ClusterError {
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

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

function statusMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { kind?: string; message?: unknown };
    return parsed.kind === 'Status' && typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
