// Expected cluster failures as typed values. Callers branch on `reason`, never on message
// text, and nothing here ever carries a token, a certificate or a Secret value: `detail` is
// built from status codes, error codes and the API server's own Status message only.

export type ClusterErrorReason =
  | 'noKubeconfig'
  | 'badKubeconfig'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'timeout'
  /** Restricted Mode: connecting could run a kubeconfig's exec credential plugin. */
  | 'untrusted'
  | 'unknown';

/** One `details.causes` entry of the server's Status, e.g. a FieldManagerConflict and its field. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** What else the server's refusal said, besides its status and message. */
export interface ServerAnswer {
  retryAfterMs?: number | undefined;
  causes?: readonly StatusCause[];
}

export class ClusterError extends Error {
  override readonly name = 'ClusterError';

  constructor(
    readonly reason: ClusterErrorReason,
    /** Safe, human-readable detail (no credentials). */
    readonly detail: string,
    /** The HTTP status when the API server answered, e.g. 410 for an expired resourceVersion. */
    readonly status?: number,
    answer: ServerAnswer = {},
  ) {
    super(`${reason}: ${detail}`);
    if (answer.retryAfterMs !== undefined) this.retryAfterMs = answer.retryAfterMs;
    this.causes = answer.causes ?? [];
  }

  /**
   * How long the server asked us to wait before retrying (`Retry-After`, or a Status's
   * `details.retryAfterSeconds`), ms; uncapped here, the reflector bounds it.
   */
  readonly retryAfterMs?: number;
  /** The Status's causes, as the server sent them (cluster text: sanitize before showing). */
  readonly causes: readonly StatusCause[];

  /** The API server said the resourceVersion or continue token is too old (410 Gone / Expired). */
  get expired(): boolean {
    return this.status === 410;
  }

  /** 409: server-side apply found fields another manager owns (or a create found the name taken). */
  get conflict(): boolean {
    return this.status === 409;
  }
}

// Node/libuv and node-fetch error codes. Grouped by what the user should do about them.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  // TLS: the server is there but we cannot trust it; still "cannot reach the API".
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'ERR_TIMEOUT',
]);

/** Classifies anything thrown by client-node, Node's http stack or our transport. */
export function toClusterError(e: unknown): ClusterError {
  if (e instanceof ClusterError) return e;
  const err = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;

  const status = httpStatusOf(err);
  if (status !== undefined) return fromHttpStatus(status, statusMessageOf(err));

  const code = typeof err['code'] === 'string' ? err['code'] : undefined;
  if (code !== undefined) {
    if (UNREACHABLE_CODES.has(code))
      return new ClusterError('unreachable', `cannot reach the API server (${code})`);
    if (TIMEOUT_CODES.has(code))
      return new ClusterError('timeout', `the API server did not answer in time (${code})`);
    if (code === 'ENOENT')
      return new ClusterError('noKubeconfig', 'a file named by the kubeconfig does not exist (ENOENT)');
    if (code === 'EACCES')
      return new ClusterError('badKubeconfig', 'a file named by the kubeconfig cannot be read (EACCES)');
  }
  const name = typeof err['name'] === 'string' ? err['name'] : undefined;
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError; node-fetch uses type 'request-timeout'.
  if (name === 'TimeoutError' || err['type'] === 'request-timeout')
    return new ClusterError('timeout', 'the API server did not answer in time');
  if (name === 'YAMLException') return new ClusterError('badKubeconfig', 'the kubeconfig is not valid YAML');
  return new ClusterError(
    'unknown',
    `unexpected error${name ? ` (${name}${code ? ` ${code}` : ''})` : code ? ` (${code})` : ''}`,
  );
}

export function fromHttpStatus(
  status: number,
  serverMessage?: string,
  answer: ServerAnswer = {},
): ClusterError {
  const suffix = serverMessage ? `: ${serverMessage}` : '';
  const error = (reason: ClusterErrorReason, detail: string): ClusterError =>
    new ClusterError(reason, detail, status, answer);
  if (status === 401) return error('unauthorized', `the API server rejected the credentials (401)${suffix}`);
  if (status === 403) return error('forbidden', `RBAC does not allow this (403)${suffix}`);
  if (status === 404) return error('notFound', `not found (404)${suffix}`);
  if (status === 408 || status === 504)
    return error('timeout', `the API server timed out (${status})${suffix}`);
  if (status === 429)
    return error('unknown', `the API server is throttling requests (429 Too Many Requests)${suffix}`);
  if (status === 502 || status === 503)
    return error('unreachable', `the API server is unavailable (${status})${suffix}`);
  return error('unknown', `the API server answered ${status}${suffix}`);
}

// client-node's generated APIs throw ApiException { code: number }, its Watch throws
// Error { statusCode }, and watch ERROR events carry a Status object { code }.
function httpStatusOf(err: Record<string, unknown>): number | undefined {
  for (const field of ['statusCode', 'code']) {
    const value = err[field];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

// Only the server's Status.message is used: ApiException.message embeds response headers.
function statusMessageOf(err: Record<string, unknown>): string | undefined {
  const body = err['body'];
  const status = typeof body === 'string' ? safeParse(body) : body;
  if (typeof status === 'object' && status !== null) {
    const message = (status as Record<string, unknown>)['message'];
    if (typeof message === 'string') return message;
  }
  if (err['kind'] === 'Status' && typeof err['message'] === 'string') return err['message'];
  return undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not a Status document (HTML from a proxy, say); the status code alone classifies it.
    return undefined;
  }
}
