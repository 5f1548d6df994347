// Talks to one context's API server. Authentication (client certs, tokens, exec plugins, OIDC
// refresh, proxies, CA bundles) is entirely client-node's: every request starts from
// `KubeConfig.applyToHTTPSOptions`. Lists are read as raw JSON rather than through the generated
// API classes, because those turn every timestamp into a Date and every object into a class
// instance that we would then serialize back to wire JSON (measured: see docs in the report /
// test/unit/cluster/listSpeed.bench.ts). Watches use client-node's own Watch.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode';
import { ClusterError, fromHttpStatus, toClusterError } from './clusterError';

export interface RequestOptions {
  signal?: AbortSignal;
  /** Whole-request timeout, ms. */
  timeoutMs?: number;
}

export type WatchEventHandler = (type: string, object: Record<string, unknown>) => void;

const DEFAULT_TIMEOUT_MS = 60_000;

export class ApiClient {
  constructor(
    /** A KubeConfig whose current context is this client's context. */
    readonly kubeConfig: KubeConfig,
  ) {}

  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? '';
  }

  /** GET returning parsed JSON. Non-2xx answers become ClusterErrors carrying the HTTP status. */
  async getJson<T>(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    options: RequestOptions = {},
  ): Promise<T> {
    const body = await this.get(path, query, options);
    try {
      return JSON.parse(body) as T;
    } catch {
      throw new ClusterError('unknown', `the API server sent a response that is not JSON for ${path}`);
    }
  }

  /** GET returning the body as text (pod logs). */
  getText(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    options: RequestOptions = {},
  ): Promise<string> {
    return this.get(path, query, options);
  }

  /**
   * Opens a watch and resolves when the server closes it normally; rejects with a ClusterError
   * when it fails or cannot be opened. Aborting `signal` closes the connection (and resolves).
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: WatchEventHandler,
    signal: AbortSignal,
    /** Called once the server accepted the watch (200 and headers received). */
    onOpen?: () => void,
  ): Promise<void> {
    const { Watch } = await loadClientNode();
    if (signal.aborted) return;
    const watch = new Watch(this.kubeConfig);
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params[k] = String(v);
    await new Promise<void>((resolve, reject) => {
      let controller: AbortController | undefined;
      let settled = false;
      const finish = (err: unknown): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (err && !signal.aborted) reject(toClusterError(err));
        else resolve();
      };
      const onAbort = (): void => {
        controller?.abort();
        finish(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      watch
        .watch(
          path,
          params,
          (type: string, object: unknown) => onEvent(type, object as Record<string, unknown>),
          finish,
        )
        .then(
          (c) => {
            controller = c;
            // Aborted while the request was being opened: close it now.
            if (signal.aborted || settled) c.abort();
            else onOpen?.();
          },
          // Raised before the request went out: credentials (exec/OIDC) or agent setup failed.
          (e: unknown) => finish(credentialError(e)),
        );
    });
  }

  private async get(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    options: RequestOptions,
  ): Promise<string> {
    const requestOptions: https.RequestOptions = {};
    try {
      await this.kubeConfig.applyToHTTPSOptions(requestOptions);
    } catch (e) {
      throw credentialError(e);
    }
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<string>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          ...requestOptions,
          method: 'GET',
          headers: { ...requestOptions.headers, Accept: 'application/json' },
          signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (e) => reject(abortAware(e, signal)));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(text);
            else reject(fromHttpStatus(status, statusMessage(text)));
          });
        },
      );
      request.on('error', (e) => reject(abortAware(e, signal)));
      request.end();
    });
  }
}

/** A failure raised while client-node prepared credentials (exec plugin, OIDC refresh, cert files). */
function credentialError(e: unknown): ClusterError {
  const classified = toClusterError(e);
  if (classified.reason !== 'unknown') return classified;
  return new ClusterError(
    'unauthorized',
    'could not obtain credentials for this context (exec plugin, OIDC or certificate files failed)',
  );
}

function abortAware(e: unknown, signal: AbortSignal): ClusterError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError')
      return new ClusterError('timeout', 'the API server did not answer in time');
    return new ClusterError('unknown', 'the request was cancelled');
  }
  return toClusterError(e);
}

function statusMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { kind?: string; message?: unknown };
    return parsed.kind === 'Status' && typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
