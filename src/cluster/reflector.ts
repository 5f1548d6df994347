// Keeps one scope of the store (a kind cluster-wide, or a kind in one namespace) equal to the
// server: a paged list, then a watch resumed from the last resourceVersion seen (bookmarks keep
// that fresh). A 410 Gone relists and the store synthesizes DELETED for what vanished. Broken
// connections reconnect after capped, jittered back-off, never sooner than a Retry-After asks;
// 401/403 wait minutes, not seconds. A watch that goes silent on a server known to send bookmarks
// is resumed after `idleTimeoutMs` instead of at its deadline (see watchOnce).
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeEvent, KubeObject } from '../kube/types';
import type { ApiClient } from './apiClient';
import type { BackoffPolicy } from './backoff';
import { Backoff } from './backoff';
import { ClusterError, fromHttpStatus, toClusterError } from './clusterError';
import type { ClusterStore } from './clusterStore';
import type { Disposable } from './emitter';
import { leanObject } from './leanObject';
import { statusRetryAfterMs } from './retryAfter';
import type { Logger } from './logger';
import type { WatchedResource } from './resourceTypes';
import { collectionPath } from './resourceTypes';
import { compareResourceVersions } from './resourceVersion';

export type ReflectorStatus = 'syncing' | 'synced' | 'error' | 'forbidden';

export interface ReflectorState {
  status: ReflectorStatus;
  /** Set for 'error' and 'forbidden'. */
  error?: ClusterError;
  /** True once a list has completed: the scope holds data, maybe stale. */
  hasSynced: boolean;
}

export interface ReflectorOptions {
  resource: WatchedResource;
  /** Undefined: cluster-wide. */
  namespace?: string;
  client: ApiClient;
  store: ClusterStore;
  backoff: BackoffPolicy;
  /** `limit` for each page of the initial list. */
  pageSize: number;
  requestTimeoutMs: number;
  logger: Logger;
  onState: (state: ReflectorState) => void;
  /** Stop (rather than retry slowly) on 403, so the session can switch to per-namespace reads. */
  stopWhenForbidden?: boolean;
  /**
   * Called when a cluster-wide list has been read, just before it is stored: the session stops
   * the reflectors that read some namespaces ahead of it (see ClusterSession.focus) and answers,
   * per namespace, the resourceVersion the store already holds when that is newer than this
   * list. Those namespaces keep their stored objects, and watch events for them up to that
   * version are replays of what the store has, so they are skipped.
   */
  handover?: (listResourceVersion: string) => ReadonlyMap<string, string>;
  /**
   * An open watch that has delivered nothing (no event, no bookmark) for this long is resumed
   * from the last resourceVersion, once the server has shown it sends bookmarks (see watchOnce).
   */
  idleTimeoutMs: number;
  random?: () => number;
  /** How the loop waits between attempts; resolves early when `signal` aborts. Default: a timer. */
  pause?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[] | null;
}

/** A watch that closes this soon without delivering anything counts as a failure for back-off. */
const MIN_HEALTHY_WATCH_MS = 1_000;

export class Reflector implements Disposable {
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private state: ReflectorState = { status: 'syncing', hasSynced: false };
  /** Namespaces the store already holds up to a newer version than our list (see `handover`). */
  private ahead = new Map<string, string>();
  private readonly backoff: Backoff;
  private readonly label: string;
  /**
   * A watch of this scope has delivered a BOOKMARK, so silence on an open watch means a stalled
   * connection, not a quiet kind. Cleared when a watch idles out having delivered nothing at all.
   */
  private bookmarking = false;
  /** Settles when the loop has stopped (after dispose, or on 403 with stopWhenForbidden). */
  readonly finished: Promise<void>;

  constructor(private readonly options: ReflectorOptions) {
    this.backoff = new Backoff(options.backoff, options.random);
    this.label = `${options.resource.plural}${options.namespace !== undefined ? ` in ${options.namespace}` : ''}`;
    this.finished = this.run().catch((e: unknown) => {
      // run() handles every expected failure itself; this is a bug, logged rather than thrown
      // into an unhandled rejection.
      options.logger.error(`Watch loop for ${this.label} stopped unexpectedly`, toClusterError(e).detail);
    });
  }

  get current(): ReflectorState {
    return this.state;
  }

  /** The newest resourceVersion this reflector has stored or seen ('' before its first list). */
  get position(): string {
    return this.resourceVersion;
  }

  dispose(): void {
    this.abort.abort();
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.signal.aborted) {
      try {
        if (!this.resourceVersion) await this.list();
        await this.watchOnce();
      } catch (e) {
        if (this.signal.aborted) break;
        const err = toClusterError(e);
        if (err.expired) {
          // The resourceVersion (or a continue token) is older than the server keeps: relist.
          // A second 410 in a row waits first, in case the server keeps answering 410.
          logger.info(`${this.label}: resourceVersion expired, relisting`);
          this.resourceVersion = '';
          if (this.backoff.attempts > 0) await this.pause(this.backoff.next());
          else this.backoff.next();
          continue;
        }
        // Refusals and broken credentials do not heal in seconds; retrying fast would only spawn
        // exec plugins and flood the audit log.
        if (err.reason === 'forbidden' || err.reason === 'unauthorized' || err.reason === 'badKubeconfig') {
          if (err.reason === 'forbidden') this.forget();
          this.setState(err.reason === 'forbidden' ? 'forbidden' : 'error', err);
          if (err.reason === 'forbidden' && this.options.stopWhenForbidden) return;
          logger.warn(`${this.label}: ${err.detail}; retrying in a few minutes`);
          await this.pause(this.backoff.denied());
          continue;
        }
        this.setState('error', err);
        const delay = this.backoff.next(err.retryAfterMs);
        const asked = err.retryAfterMs !== undefined ? ` (the server asked for ${err.retryAfterMs} ms)` : '';
        logger.warn(`${this.label}: ${err.detail}; reconnecting in ${delay} ms${asked}`);
        await this.pause(delay);
      }
    }
  }

  private async list(): Promise<void> {
    const { resource, namespace, client, pageSize, requestTimeoutMs, store } = this.options;
    const path = collectionPath(resource, namespace);
    const items: KubeObject[] = [];
    let listVersion: string | undefined;
    let continueToken: string | undefined;
    do {
      const page = await client.getJson<ListPage>(
        path,
        { limit: pageSize, continue: continueToken },
        { signal: this.signal, timeoutMs: requestTimeoutMs },
      );
      if (this.signal.aborted) return;
      // All pages of a list are one snapshot at the first page's resourceVersion; watching from
      // it replays anything that changed since, so nothing is missed even on a server that
      // pages over live data.
      listVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) items.push(this.arrived(item));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    this.ahead = new Map(this.options.handover?.(listVersion ?? '') ?? []);
    store.replace(
      resource.kind,
      namespace,
      this.ahead.size > 0 ? items.filter((o) => !this.ahead.has(o.metadata?.namespace ?? '')) : items,
      this.ahead.size > 0 ? new Set(this.ahead.keys()) : undefined,
    );
    this.resourceVersion = listVersion ?? '';
    // Back-off is not reset here: only a healthy watch proves the server is fine, and a server
    // that answers every watch with 410 must not turn list → watch → 410 into a tight loop.
    this.setState('synced');
  }

  /**
   * One watch, until the server ends it, it breaks, or it idles out.
   *
   * Idling out: a watch the server accepted can go silent while its connection stays open (a
   * hung proxy, a half-dead TCP path); the deadline would notice only after 6-11 minutes, and
   * all that time the store looks current. kube-apiserver sends a BOOKMARK to every watch that
   * allows them about once a minute (its watch cache's defaultBookmarkFrequency), on a quiet kind
   * too, so a watch silent for `idleTimeoutMs` (90 s by default) is stalled, and is resumed from
   * the last resourceVersion: one request, no relist. But bookmarks are best effort: an
   * apiserver whose watch cache has seen no event of the kind since it started sends none, nor
   * does one with the watch cache off. So the check runs only once a watch of this scope has
   * delivered a bookmark, and a watch that idles out having delivered nothing at all turns it
   * off until the next bookmark: a server that does not send them costs one extra watch, not
   * one every window.
   */
  private async watchOnce(): Promise<void> {
    const { resource, store, idleTimeoutMs } = this.options;
    let watchError: ClusterError | undefined;
    let delivered = 0;
    const started = Date.now();
    // Ends this watch only (idle), or follows dispose().
    const watch = new AbortController();
    const stop = (): void => watch.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    if (this.signal.aborted) stop();
    let idleTimer: NodeJS.Timeout | undefined;
    let idled = false;
    let ended = false;
    let heardAt = performance.now();
    const waitFor = (ms: number): void => {
      clearTimeout(idleTimer);
      // If our own event loop was blocked past the window, events may be waiting unread in the
      // socket, and timers run before I/O is polled: decide after the next poll has read them.
      idleTimer = setTimeout(() => setImmediate(check), ms);
    };
    const check = (): void => {
      if (ended || idled) return;
      const quiet = performance.now() - heardAt;
      if (quiet < idleTimeoutMs) return waitFor(idleTimeoutMs - quiet);
      idled = true;
      watch.abort();
    };
    const awaitNext = (): void => {
      heardAt = performance.now();
      if (this.bookmarking) waitFor(idleTimeoutMs);
      else clearTimeout(idleTimer);
    };
    try {
      await this.openWatch(watch.signal, awaitNext, (type, object) => {
        if (watchError) return;
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string };
          watchError = fromHttpStatus(status.code ?? 500, status.message, {
            retryAfterMs: statusRetryAfterMs(status),
          });
          return;
        }
        delivered++;
        if (type === 'BOOKMARK') this.bookmarking = true;
        awaitNext();
        const meta = (object as KubeObject).metadata;
        if ((type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') && !this.isReplay(meta)) {
          store.apply(resource.kind, type, this.arrived(object));
        }
        // Also for BOOKMARK: the newest version to resume from, with no object change.
        if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
      });
    } finally {
      ended = true;
      clearTimeout(idleTimer);
      this.signal.removeEventListener('abort', stop);
      // A watch that delivered something or stayed up a while proves the server healthy, so the
      // next failure starts again from the shortest delay.
      if (delivered > 0 || Date.now() - started >= MIN_HEALTHY_WATCH_MS) this.backoff.reset();
    }
    if (watchError) throw watchError;
    if (idled && !this.signal.aborted) {
      if (delivered === 0) this.bookmarking = false;
      throw new ClusterError(
        'timeout',
        `the watch stayed open but delivered no event or bookmark for ${idleTimeoutMs / 1000} s; resuming from resourceVersion ${this.resourceVersion}`,
      );
    }
    if (!this.signal.aborted && delivered === 0 && Date.now() - started < MIN_HEALTHY_WATCH_MS) {
      throw new ClusterError('unreachable', 'the API server closed the watch at once');
    }
  }

  private openWatch(
    signal: AbortSignal,
    onOpen: () => void,
    onEvent: (type: string, object: Record<string, unknown>) => void,
  ): Promise<void> {
    const { resource, namespace, client } = this.options;
    // Spread reconnects over 5-10 minutes, as client-go does, so watches do not all renew at once.
    const timeoutSeconds = Math.round(300 * (1 + (this.options.random ?? Math.random)()));
    return client.watch(
      collectionPath(resource, namespace),
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
      onEvent,
      {
        signal,
        openTimeoutMs: this.options.requestTimeoutMs,
        // The server ends the watch after timeoutSeconds; a minute later we stop waiting for it.
        deadlineMs: (timeoutSeconds + 60) * 1000,
        onOpen: () => {
          this.setState('synced');
          onOpen();
        },
      },
    );
  }

  /**
   * An event for a namespace handed over from a reflector that had read further than our list:
   * at or below the version the store holds for it, the store has it already. The first newer
   * event ends the skipping for that namespace, since events arrive in resourceVersion order.
   */
  private isReplay(meta: KubeObject['metadata']): boolean {
    if (this.ahead.size === 0) return false;
    const namespace = meta?.namespace ?? '';
    const held = this.ahead.get(namespace);
    if (held === undefined) return false;
    const order = compareResourceVersions(meta?.resourceVersion ?? '', held);
    if (order !== undefined && order <= 0) return true;
    this.ahead.delete(namespace);
    return false;
  }

  /** Every object read passes here: made lean, and an Event's time moves the server clock on. */
  private arrived(raw: KubeObject): KubeObject {
    const object = leanObject(this.options.resource, raw);
    if (this.options.resource.kind === 'Event') this.options.client.clock.observeEvent(object as KubeEvent);
    return object;
  }

  /**
   * Access was revoked (or never granted): what this scope stored earlier can no longer be kept
   * current, so it goes (reported as DELETED) and the scope counts as never synced, which makes
   * isUnavailable() say "could not check" instead of answering from stale data.
   */
  private forget(): void {
    this.options.store.clear(this.options.resource.kind, this.options.namespace);
    this.resourceVersion = '';
    this.state = { ...this.state, hasSynced: false };
  }

  private async pause(ms: number): Promise<void> {
    if (this.options.pause) return this.options.pause(ms, this.signal);
    try {
      await sleep(ms, undefined, { signal: this.signal });
    } catch {
      // Aborted by dispose(): the loop condition ends the run.
    }
  }

  private setState(status: ReflectorStatus, error?: ClusterError): void {
    const hasSynced = this.state.hasSynced || status === 'synced';
    const same =
      this.state.status === status &&
      this.state.error?.reason === error?.reason &&
      this.state.hasSynced === hasSynced;
    this.state = error ? { status, error, hasSynced } : { status, hasSynced };
    if (!same) this.options.onState(this.state);
  }
}
