// A fault-injecting HTTPS proxy for the soak: it terminates TLS with its own CA (the session's
// kubeconfig trusts that CA), re-originates each request to the demo API server, and on command
// answers, cuts or stalls requests and watch streams at the HTTP level, and checks that no request
// comes before the Retry-After it answered for that path. Test code only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createServerPki } from '../../src/demo/apiserver/certificates';

/** Which requests a rule applies to. `stream`: the next chunk of any open watch stream. */
export type Target = 'watch' | 'list' | 'continue' | 'stream';

export type Action =
  | {
      type: 'status';
      code: number;
      /** Retry-After as delay-seconds. */
      retryAfterSeconds?: number;
      /** Retry-After as an HTTP-date this far ahead. */
      retryAfterDateMs?: number;
    }
  | { type: 'goneEvent' }
  | { type: 'stall' }
  | { type: 'resetMidBody' }
  | { type: 'truncateLine' }
  | { type: 'shiftDate'; ms: number };

interface Rule {
  target: Target;
  action: Action;
  remaining: number;
  /** Resolved once the rule has been applied: the response it answered, cut or ended has closed. */
  hit: () => void;
}

interface Stream {
  path: string;
  openedAt: number;
  res: ServerResponse;
  /** The next chunk goes through this rule instead of being relayed whole. */
  rule?: Rule;
  /** A BOOKMARK has been relayed: the client knows this server sends them. */
  bookmarked?: boolean;
  /** Nothing more is relayed, and the connection stays open. */
  stalled?: boolean;
}

export class FaultProxy {
  readonly pki = createServerPki();
  /** Every request the session sent through the proxy. */
  requests = 0;
  /** Requests being answered that are not yet an open watch stream (lists, stalled or opening watches). */
  pending = 0;
  private readonly streams = new Set<Stream>();
  private readonly rules: Rule[] = [];
  /** Raw TCP sockets by client port: a TLS socket cannot be reset itself, the socket under it can. */
  private readonly sockets = new Map<number, Socket>();
  private readonly agent: Agent;
  /** Collection path → the wall-clock ms before which the Retry-After it was sent forbids a request. */
  private readonly notBefore = new Map<string, number>();
  /** For each request that followed a Retry-After on its path: how long after the allowed time it came, ms. */
  readonly retryAfterMargins: number[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly upstream: URL,
    upstreamCa: string,
  ) {
    this.agent = new Agent({ ca: upstreamCa, keepAlive: true });
  }

  async start(): Promise<void> {
    const server = createServer({ key: this.pki.server.key, cert: this.pki.server.cert }, (req, res) =>
      this.handle(req, res),
    );
    server.on('connection', (socket: Socket) => {
      const port = socket.remotePort ?? 0;
      this.sockets.set(port, socket);
      socket.once('close', () => this.sockets.delete(port));
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    server.requestTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets.values()) socket.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Open watch streams (not stalled) by collection path. */
  openWatches(): string[] {
    return this.live().map((s) => s.path);
  }

  /** Open watch streams that have relayed a BOOKMARK, by collection path. */
  bookmarkedWatches(): string[] {
    return this.live()
      .filter((s) => s.bookmarked)
      .map((s) => s.path);
  }

  /** How long the most recently opened watch has been open, ms. */
  youngestWatchMs(): number {
    return Math.min(...this.live().map((s) => performance.now() - s.openedAt));
  }

  /**
   * The watch of `path` stops relaying anything, its connection left open, as through a hung
   * proxy or a half-dead TCP path: only the client can notice, from the silence.
   */
  stallWatch(path: string): void {
    const stream = this.live().find((s) => s.path === path);
    if (!stream) throw new Error(`no open watch of ${path}`);
    stream.stalled = true;
  }

  private live(): Stream[] {
    return [...this.streams].filter((s) => !s.stalled);
  }

  /** Applies `action` to the next `times` requests (or stream chunks) of `target`; `hit` resolves on the first. */
  arm(target: Target, action: Action, times = 1): { hit: Promise<void>; disarm: () => void } {
    let hit!: () => void;
    const promise = new Promise<void>((resolve) => (hit = resolve));
    const rule: Rule = { target, action, remaining: times, hit };
    this.rules.push(rule);
    return { hit: promise, disarm: () => (rule.remaining = 0) };
  }

  /** Rules armed and not yet used up. */
  armed(): number {
    return this.rules.filter((r) => r.remaining > 0).length;
  }

  /** Ends one open watch (a normal end, as at the server's timeout), preferring `path`. */
  endWatch(path?: string): Promise<void> {
    return this.closeWatch(path, (res) => res.end());
  }

  /** Resets the TCP connection of one open watch stream between two chunks. */
  resetWatch(path?: string): Promise<void> {
    return this.closeWatch(path, (res) => this.reset(res));
  }

  private closeWatch(path: string | undefined, close: (res: ServerResponse) => void): Promise<void> {
    const streams = [...this.streams];
    const stream = streams.find((s) => s.path === path) ?? streams[0];
    if (!stream) return Promise.reject(new Error('no open watch'));
    const closed = new Promise<void>((resolve) => stream.res.once('close', resolve));
    close(stream.res);
    return closed;
  }

  /** A real TCP reset (RST) of the response's connection, not a clean close. */
  private reset(res: ServerResponse): void {
    const raw = this.sockets.get(res.socket?.remotePort ?? -1);
    if (raw && !raw.destroyed) raw.resetAndDestroy();
    res.destroy();
  }

  private take(target: Target): Rule | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.target === target);
    if (!rule) return undefined;
    rule.remaining--;
    return rule;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    this.pending++;
    let counted = true;
    const settle = (): void => {
      if (counted) this.pending--;
      counted = false;
    };
    res.once('close', settle);
    const url = new URL(req.url ?? '/', this.upstream);
    const notBefore = this.notBefore.get(url.pathname);
    if (notBefore !== undefined) {
      this.notBefore.delete(url.pathname);
      this.retryAfterMargins.push(Date.now() - notBefore);
    }
    const watch = url.searchParams.get('watch') === 'true';
    const target: Target = watch ? 'watch' : url.searchParams.has('continue') ? 'continue' : 'list';
    const rule = this.take(target) ?? (target === 'continue' ? this.take('list') : undefined);
    const action = rule?.action;
    if (rule) {
      if (action?.type === 'stall') rule.hit();
      else res.once('close', rule.hit);
    }
    if (process.env['PODSCOPE_SOAK_DEBUG'])
      console.error(
        `proxy ${Math.round(performance.now())}: ${target} ${req.url ?? ''} ${action?.type ?? ''}`,
      );
    if (action?.type === 'status') {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (action.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(action.retryAfterSeconds);
        this.notBefore.set(url.pathname, Date.now() + action.retryAfterSeconds * 1000);
      } else if (action.retryAfterDateMs !== undefined) {
        // HTTP-dates have whole seconds: the client may retry from the second named.
        const retryAt = new Date(Date.now() + action.retryAfterDateMs).toUTCString();
        headers['Retry-After'] = retryAt;
        this.notBefore.set(url.pathname, Date.parse(retryAt));
      }
      res.writeHead(action.code, headers);
      res.end(JSON.stringify(status(action.code)));
      return;
    }
    if (action?.type === 'goneEvent') {
      // What kube-apiserver sends when a watch names a compacted resourceVersion.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410) })}\n`);
      return;
    }
    if (action?.type === 'stall') return; // never answered: the client's own timeout must end it

    const upstream = request(
      url,
      {
        method: req.method ?? 'GET',
        headers: { ...req.headers, host: this.upstream.host },
        agent: this.agent,
      },
      (up) => {
        const headers = { ...up.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        if (action?.type === 'shiftDate' && typeof headers.date === 'string')
          headers.date = new Date(Date.parse(headers.date) + action.ms).toUTCString();
        res.writeHead(up.statusCode ?? 502, headers);
        // A watch's headers go now, as the API server sends them, not with its first event.
        res.flushHeaders();
        const stream: Stream | undefined =
          watch && up.statusCode === 200
            ? { path: url.pathname, openedAt: performance.now(), res }
            : undefined;
        if (stream) {
          this.streams.add(stream);
          settle();
          res.once('close', () => this.streams.delete(stream));
        }
        let listRule = action?.type === 'resetMidBody' ? rule : undefined;
        up.on('data', (chunk: Buffer) => {
          if (res.destroyed || res.writableEnded || stream?.stalled) return;
          if (stream && !stream.rule) {
            stream.rule = this.take('stream');
            if (stream.rule) res.once('close', stream.rule.hit);
          }
          const streamRule = stream?.rule;
          const cut = listRule ?? streamRule;
          if (!cut) {
            res.write(chunk);
            if (stream && chunk.includes('"type":"BOOKMARK"')) stream.bookmarked = true;
            return;
          }
          // Half of this chunk, then the connection reset, or a normal end in the middle of a line.
          res.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)));
          if (cut.action.type === 'truncateLine') res.end();
          else this.reset(res);
          listRule = undefined;
          up.destroy();
        });
        up.on('end', () => {
          // A stalled path does not pass the server's end on either.
          if (!stream?.stalled) res.end();
        });
        up.on('error', () => this.reset(res));
      },
    );
    upstream.on('error', () => this.reset(res));
    // The session went away (timeout, cancel, reset): so does the upstream request.
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  }
}

function status(code: number): Record<string, unknown> {
  const reasons: Record<number, string> = {
    410: 'Expired',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
  };
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `injected by the soak proxy (${code})`,
    reason: reasons[code] ?? 'Unknown',
    code,
  };
}
