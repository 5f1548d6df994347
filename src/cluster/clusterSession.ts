// One open context: a live store kept by one reflector per kind (or per namespace, where RBAC
// forbids the kind cluster-wide), its sync state, and log snapshots. Analysis reads it as a
// ClusterView; the tree listens to onDidChange / onDidChangeState.
import type { ClusterView, KindMap, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import type { KubeEvent, KubeObject } from '../kube/types';
import { ApiClient } from './apiClient';
import type { ApplyOptions } from './applyObject';
import { applyObject, createObject, readObject } from './applyObject';
import type { BackoffPolicy } from './backoff';
import { DEFAULT_BACKOFF } from './backoff';
import { ClusterError } from './clusterError';
import type { StoreChange } from './clusterStore';
import { ClusterStore } from './clusterStore';
import type { Disposable, Event } from './emitter';
import { Emitter } from './emitter';
import type { ContextInfo, LoadedKubeconfig } from './kubeconfig';
import { kubeConfigForContext } from './kubeconfig';
import type { Logger } from './logger';
import { silentLogger } from './logger';
import type { ReadLogsOptions } from './podLogs';
import { readPodLogs } from './podLogs';
import type { ReflectorState } from './reflector';
import { Reflector } from './reflector';
import type { WatchedResource } from './resourceTypes';
import { WATCHED_RESOURCES } from './resourceTypes';
import { ServerClock } from './serverClock';
import type { NamespaceUsage } from './podMetrics';
import { readPodMetrics } from './podMetrics';
import { compareResourceVersions } from './resourceVersion';

export type KindStatus = 'syncing' | 'synced' | 'error' | 'forbidden';

export interface KindSyncState {
  kind: KindName;
  status: KindStatus;
  /** The failure behind 'error' or 'forbidden' (for a per-namespace fallback: the cluster-wide 403). */
  error?: ClusterError;
  /** Set when RBAC forbids the kind cluster-wide and it is read per namespace: the namespaces readable. */
  namespaces?: readonly string[];
  /** A sentence for the UI when the kind is only partly readable or not at all. */
  note?: string;
}

export interface ClusterSessionOptions {
  logger?: Logger;
  /** The kinds to keep; default: every kind analysis knows. */
  kinds?: readonly KindName[];
  /** `limit` for each page of an initial list. */
  pageSize?: number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  /** At most this many namespaces are watched one by one when a kind is forbidden cluster-wide. */
  maxFallbackNamespaces?: number;
  /** The local clock; now() is this plus the server's skew (see serverClock.ts). */
  clock?: () => number;
  random?: () => number;
  /**
   * Namespaces to read first (those of the manifests open in the editor): see focus(). With
   * focus, the cluster-wide lists of namespaced kinds wait until these are listed, or until
   * `focusHeadStartMs` has passed, so they do not compete with them.
   */
  focus?: readonly string[];
  focusHeadStartMs?: number;
  /**
   * An open watch silent this long (no event, no bookmark) is resumed, on a server that sends
   * bookmarks (see Reflector.watchOnce). Default 90 s: kube-apiserver bookmarks about every 60 s.
   */
  watchIdleMs?: number;
  /** How reflectors wait between attempts (default: a timer); tests record the delays instead. */
  pause?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface KindRuntime {
  resource: WatchedResource;
  mode: 'cluster' | 'switching' | 'namespaces';
  /** Keyed by namespace; '' for the cluster-wide reflector. */
  reflectors: Map<string, Reflector>;
  /**
   * Focused namespaces read ahead of the cluster-wide list, until that list has been read and
   * takes them over (see handOver).
   */
  focused: Map<string, Reflector>;
  clusterError?: ClusterError;
  published?: KindSyncState;
}

export class ClusterSession implements ClusterView, Disposable {
  readonly store: ClusterStore;
  private readonly client: ApiClient;
  private readonly runtimes = new Map<KindName, KindRuntime>();
  private readonly stateEmitter = new Emitter<KindSyncState>();
  private readonly logger: Logger;
  private readonly settings: Required<
    Omit<ClusterSessionOptions, 'logger' | 'kinds' | 'clock' | 'random' | 'focus' | 'pause'>
  > & { random: () => number; pause?: (ms: number, signal: AbortSignal) => Promise<void> };
  /** Focused namespaces not yet reported listed through onDidSyncNamespace. */
  private readonly pendingFocus = new Set<string>();
  private readonly focusEmitter = new Emitter<string>();
  private clusterStarted = false;
  /** Loops of focused reflectors stopped at handover, so close() can wait for them too. */
  private readonly retired: Promise<void>[] = [];
  private headStartTimer: NodeJS.Timeout | undefined;
  private namespacesPromise: Promise<string[]> | undefined;
  private disposed = false;
  /** Cancels the session's own one-off requests (the namespace list) on dispose. */
  private readonly abort = new AbortController();

  /** Store changes, batched per event-loop turn. */
  readonly onDidChange: Event<readonly StoreChange[]>;
  /** A kind's sync state changed. */
  readonly onDidChangeState: Event<KindSyncState> = this.stateEmitter.event;
  /**
   * A focused namespace has been listed for every kind (or the kind cannot be read): analysis of
   * that namespace is as good now as after the whole first sync.
   */
  readonly onDidSyncNamespace: Event<string> = this.focusEmitter.event;

  /** Opens a context and starts syncing; does not wait for the first lists (see whenSettled). */
  static async open(
    kubeconfig: LoadedKubeconfig,
    contextName: string,
    options: ClusterSessionOptions = {},
  ): Promise<ClusterSession> {
    const { kubeConfig, context } = await kubeConfigForContext(kubeconfig, contextName);
    const clock = new ServerClock(options.clock ?? Date.now);
    return new ClusterSession(new ApiClient(kubeConfig, clock), context, options);
  }

  private constructor(
    client: ApiClient,
    readonly context: ContextInfo,
    options: ClusterSessionOptions,
  ) {
    this.client = client;
    this.logger = options.logger ?? silentLogger;
    this.settings = {
      pageSize: options.pageSize ?? 500,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      maxFallbackNamespaces: options.maxFallbackNamespaces ?? 20,
      focusHeadStartMs: options.focusHeadStartMs ?? 3_000,
      watchIdleMs: options.watchIdleMs ?? 90_000,
      random: options.random ?? Math.random,
      ...(options.pause ? { pause: options.pause } : {}),
    };
    this.store = new ClusterStore({
      isUnavailable: (kind, namespace) => this.isUnavailable(kind, namespace),
      logger: this.logger,
      // Ages are measured on the API server's clock, which the client learns from its responses.
      clock: () => client.clock.now(),
    });
    this.onDidChange = this.store.onDidChange;
    const kinds = new Set(options.kinds ?? KIND_NAMES);
    for (const resource of WATCHED_RESOURCES) {
      if (!kinds.has(resource.kind)) continue;
      const runtime: KindRuntime = { resource, mode: 'cluster', reflectors: new Map(), focused: new Map() };
      this.runtimes.set(resource.kind, runtime);
      // Cluster-scoped kinds (Nodes, PriorityClasses) are few and every namespace needs them.
      if (!resource.namespaced) this.startReflector(runtime, undefined);
    }
    this.logger.info(
      `Context ${context.name}: syncing ${this.runtimes.size} kinds from ${context.server ?? 'unknown server'}`,
    );
    if (options.focus && options.focus.length > 0) {
      this.focus(options.focus);
      this.headStartTimer = setTimeout(() => this.startCluster(), this.settings.focusHeadStartMs);
    } else {
      this.startCluster();
    }
  }

  // ---- ClusterView (the store answers; availability comes from sync state) ---------------

  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][] {
    return this.store.list(kind, namespace);
  }

  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    return this.store.get(kind, namespace, name);
  }

  ownedBy(uid: string): readonly KubeObject[] {
    return this.store.ownedBy(uid);
  }

  eventsFor(kind: string, namespace: string | undefined, name: string): readonly KubeEvent[] {
    return this.store.eventsFor(kind, namespace, name);
  }

  /**
   * True when analysis cannot trust the absence of an object of this kind (in this namespace):
   * RBAC forbids reading it there, or it has not been listed successfully yet.
   */
  isUnavailable(kind: KindName, namespace?: string): boolean {
    const runtime = this.runtimes.get(kind);
    if (!runtime) return true;
    if (runtime.mode !== 'namespaces') {
      if (runtime.reflectors.get('')?.current.hasSynced) return false;
      return namespace === undefined || !(runtime.focused.get(namespace)?.current.hasSynced ?? false);
    }
    if (namespace !== undefined) return !(runtime.reflectors.get(namespace)?.current.hasSynced ?? false);
    return ![...runtime.reflectors.values()].some((r) => r.current.hasSynced);
  }

  now(): number {
    return this.store.now();
  }

  // ---- Sync state ------------------------------------------------------------------------------

  state(kind: KindName): KindSyncState | undefined {
    const runtime = this.runtimes.get(kind);
    return runtime ? this.aggregate(runtime) : undefined;
  }

  states(): KindSyncState[] {
    return [...this.runtimes.values()].map((r) => this.aggregate(r));
  }

  /** Resolves once no kind is still syncing (each is synced, failed, or forbidden). */
  whenSettled(timeoutMs = 60_000): Promise<KindSyncState[]> {
    const settled = (): boolean => this.states().every((s) => s.status !== 'syncing');
    if (settled()) return Promise.resolve(this.states());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(
          new ClusterError(
            'timeout',
            `context ${this.context.name} did not finish its first sync within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const subscription = this.onDidChangeState(() => {
        if (!settled()) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve(this.states());
      });
    });
  }

  // ---- Namespaces first -------------------------------------------------------------------------

  /**
   * Reads these namespaces ahead of the cluster-wide lists, so that the editor can diagnose the
   * open manifests without waiting for the whole cluster. Each namespaced kind gets a reflector
   * per focused namespace until its cluster-wide list has been read; then that reflector stops and
   * the cluster-wide one takes the namespace over, keyed by kind/namespace/name, and by
   * resourceVersion so that nothing is lost or applied twice (see handOver). A kind already
   * listed cluster-wide, or read per namespace under RBAC, needs nothing.
   */
  focus(namespaces: readonly string[]): void {
    if (this.disposed) return;
    for (const namespace of new Set(namespaces)) {
      let started = false;
      for (const runtime of this.runtimes.values()) {
        if (!runtime.resource.namespaced || runtime.mode !== 'cluster') continue;
        if (runtime.reflectors.get('')?.current.hasSynced || runtime.focused.has(namespace)) continue;
        runtime.focused.set(namespace, this.newReflector(runtime, namespace, true));
        started = true;
      }
      if (started) this.pendingFocus.add(namespace);
    }
    this.checkFocus();
  }

  /** True when every kind can answer for this namespace (listed, or settled as unreadable). */
  isNamespaceSynced(namespace: string): boolean {
    for (const runtime of this.runtimes.values()) {
      const kind = runtime.resource.kind;
      const usable = runtime.resource.namespaced
        ? !this.isUnavailable(kind, namespace)
        : !this.isUnavailable(kind);
      if (!usable && this.aggregate(runtime).status === 'syncing') return false;
    }
    return true;
  }

  // ---- Writes ----------------------------------------------------------------------------------

  /** The namespace a namespaced object without one goes to: the context's, as kubectl does. */
  get defaultNamespace(): string {
    return this.context.namespace ?? 'default';
  }

  /** Server-side apply with field manager `podscope` (see applyObject.ts). */
  applyObject(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    return applyObject(this.client, object, this.defaultNamespace, options);
  }

  /** The live object for a manifest's document, read fresh (not the lean store copy); undefined if absent. */
  readObject(object: KubeObject, options: { signal?: AbortSignal } = {}): Promise<KubeObject | undefined> {
    return readObject(this.client, object, this.defaultNamespace, options);
  }

  createObject(object: KubeObject, options: { signal?: AbortSignal } = {}): Promise<KubeObject> {
    return createObject(this.client, object, this.defaultNamespace, options);
  }

  /** Working-set bytes per pod and container from metrics.k8s.io; undefined when the cluster has no metrics. */
  readPodMetrics(
    namespace: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<NamespaceUsage | undefined> {
    return readPodMetrics(this.client, namespace, options);
  }

  // ---- Logs ------------------------------------------------------------------------------------

  readLogs(
    namespace: string,
    pod: string,
    container: string,
    options: ReadLogsOptions = {},
  ): Promise<string> {
    return readPodLogs(this.client, namespace, pod, container, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    clearTimeout(this.headStartTimer);
    for (const runtime of this.runtimes.values())
      for (const reflector of [...runtime.reflectors.values(), ...runtime.focused.values()])
        reflector.dispose();
    this.store.dispose();
    this.stateEmitter.dispose();
    this.focusEmitter.dispose();
    this.logger.info(`Context ${this.context.name}: closed`);
  }

  /** Disposes and waits until every watch loop has stopped (tests use it to prove nothing leaks). */
  async close(): Promise<void> {
    const finished = [...this.runtimes.values()].flatMap((r) =>
      [...r.reflectors.values(), ...r.focused.values()].map((x) => x.finished),
    );
    this.dispose();
    await Promise.all([...finished, ...this.retired, this.namespacesPromise]);
  }

  // ---- internals -------------------------------------------------------------------------------

  private startReflector(runtime: KindRuntime, namespace: string | undefined): void {
    runtime.reflectors.set(namespace ?? '', this.newReflector(runtime, namespace, false));
  }

  private newReflector(runtime: KindRuntime, namespace: string | undefined, focused: boolean): Reflector {
    const clusterWide = namespace === undefined && runtime.resource.namespaced;
    return new Reflector({
      resource: runtime.resource,
      ...(namespace !== undefined ? { namespace } : {}),
      client: this.client,
      store: this.store,
      backoff: this.settings.backoff,
      pageSize: this.settings.pageSize,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      idleTimeoutMs: this.settings.watchIdleMs,
      logger: this.logger,
      random: this.settings.random,
      ...(this.settings.pause ? { pause: this.settings.pause } : {}),
      // Only a cluster-wide read of a namespaced kind has a fallback to switch to.
      stopWhenForbidden: clusterWide,
      ...(clusterWide ? { handover: (version: string) => this.handOver(runtime, version) } : {}),
      onState: (state) =>
        focused ? this.onFocusedState(runtime) : this.onReflectorState(runtime, namespace, state),
    });
  }

  /** Starts the cluster-wide reflectors of namespaced kinds (once: after focus, or at once). */
  private startCluster(): void {
    clearTimeout(this.headStartTimer);
    this.headStartTimer = undefined;
    if (this.clusterStarted || this.disposed) return;
    this.clusterStarted = true;
    for (const runtime of this.runtimes.values())
      if (runtime.resource.namespaced && runtime.mode === 'cluster') this.startReflector(runtime, undefined);
  }

  /**
   * The cluster-wide list of `runtime`'s kind has been read at `listVersion`; its focused
   * reflectors stop here (nothing they receive after this is stored). A namespace they had read
   * further than the list stays as stored, and the cluster-wide watch skips its events up to
   * that version; otherwise the list (newer, or not comparable) replaces it, and its watch
   * replays whatever changed since. Either way each object is stored once, in its newest state.
   */
  private handOver(runtime: KindRuntime, listVersion: string): Map<string, string> {
    const ahead = new Map<string, string>();
    for (const [namespace, reflector] of runtime.focused) {
      reflector.dispose();
      this.retired.push(reflector.finished);
      const held = reflector.position;
      const order = compareResourceVersions(held, listVersion);
      if (reflector.current.hasSynced && order !== undefined && order > 0) ahead.set(namespace, held);
    }
    if (runtime.focused.size > 0)
      this.logger.debug(
        `${runtime.resource.plural}: cluster-wide list takes over ${[...runtime.focused.keys()].join(', ')}` +
          (ahead.size > 0 ? ` (kept newer: ${[...ahead.keys()].join(', ')})` : ''),
      );
    runtime.focused.clear();
    return ahead;
  }

  private onFocusedState(runtime: KindRuntime): void {
    if (this.disposed) return;
    this.publish(runtime);
    this.checkFocus();
  }

  /** Reports focused namespaces that became readable; starts the cluster-wide lists once all are. */
  private checkFocus(): void {
    for (const namespace of [...this.pendingFocus]) {
      if (!this.isNamespaceSynced(namespace)) continue;
      this.pendingFocus.delete(namespace);
      this.focusEmitter.fire(namespace, (e) => this.logger.error('A namespace-sync listener failed', e));
    }
    if (this.clusterStarted) return;
    const waiting = [...this.runtimes.values()].some((r) =>
      [...r.focused.values()].some((x) => x.current.status === 'syncing'),
    );
    if (!waiting) this.startCluster();
  }

  private onReflectorState(runtime: KindRuntime, namespace: string | undefined, state: ReflectorState): void {
    if (this.disposed) return;
    if (
      namespace === undefined &&
      state.status === 'forbidden' &&
      runtime.resource.namespaced &&
      runtime.mode === 'cluster'
    ) {
      runtime.mode = 'switching';
      if (state.error) runtime.clusterError = state.error;
      // The per-namespace fallback reads the namespaces from now on; a focused namespace it
      // will not read must not keep objects that nothing keeps current.
      for (const [namespace, reflector] of runtime.focused) {
        reflector.dispose();
        this.retired.push(reflector.finished);
        this.store.clear(runtime.resource.kind, namespace);
      }
      runtime.focused.clear();
      this.switchToNamespaces(runtime).catch((e: unknown) =>
        this.logger.error(`${runtime.resource.plural}: per-namespace fallback failed`, e),
      );
    }
    this.publish(runtime);
    if (this.pendingFocus.size > 0) this.checkFocus();
  }

  private async switchToNamespaces(runtime: KindRuntime): Promise<void> {
    runtime.reflectors.get('')?.dispose();
    runtime.reflectors.delete('');
    const namespaces = await this.readableNamespaces();
    if (this.disposed) return;
    this.logger.warn(
      `${runtime.resource.plural}: not allowed cluster-wide; reading namespace(s) ${namespaces.join(', ')} one by one`,
    );
    runtime.mode = 'namespaces';
    for (const namespace of namespaces) this.startReflector(runtime, namespace);
    this.publish(runtime);
  }

  /** The namespaces to try one by one: those we may list, else the context's own. Asked once per session. */
  private readableNamespaces(): Promise<string[]> {
    this.namespacesPromise ??= (async () => {
      const fallback = [this.context.namespace ?? 'default'];
      try {
        const list = await this.client.getJson<{ items?: { metadata?: { name?: string } }[] }>(
          '/api/v1/namespaces',
          {},
          { signal: this.abort.signal, timeoutMs: this.settings.requestTimeoutMs },
        );
        const names = (list.items ?? []).map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
        if (names.length === 0) return fallback;
        // The context's namespace first, so it survives the cap.
        const ordered = [...new Set([...fallback.filter((n) => names.includes(n)), ...names.sort()])];
        return ordered.slice(0, this.settings.maxFallbackNamespaces);
      } catch (e) {
        this.logger.info(
          `Cannot list namespaces (${e instanceof ClusterError ? e.reason : 'error'}); using the context namespace ${fallback[0]}`,
        );
        return fallback;
      }
    })();
    return this.namespacesPromise;
  }

  private publish(runtime: KindRuntime): void {
    const next = this.aggregate(runtime);
    const previous = runtime.published;
    runtime.published = next;
    if (
      previous &&
      previous.status === next.status &&
      previous.error?.reason === next.error?.reason &&
      previous.note === next.note &&
      (previous.namespaces ?? []).join() === (next.namespaces ?? []).join()
    ) {
      return;
    }
    this.stateEmitter.fire(next, (e) => this.logger.error('A sync-state listener failed', e));
  }

  private aggregate(runtime: KindRuntime): KindSyncState {
    const kind = runtime.resource.kind;
    if (runtime.mode === 'switching')
      return {
        kind,
        status: 'syncing',
        note: `${runtime.resource.plural}: not allowed cluster-wide; looking for namespaces to read`,
      };
    if (runtime.mode === 'cluster') {
      const state = runtime.reflectors.get('')?.current ?? { status: 'syncing', hasSynced: false };
      const result: KindSyncState = { kind, status: state.status };
      if (state.error) result.error = state.error;
      if (state.status === 'forbidden')
        result.note = `${runtime.resource.plural}: not allowed by RBAC; findings that need them say "could not check"`;
      return result;
    }
    const entries = [...runtime.reflectors.entries()];
    const readable = entries.filter(([, r]) => r.current.hasSynced).map(([ns]) => ns);
    const denied = entries.filter(([, r]) => r.current.status === 'forbidden').map(([ns]) => ns);
    const statuses = entries.map(([, r]) => r.current.status);
    const status: KindStatus = statuses.includes('error')
      ? 'error'
      : statuses.includes('syncing')
        ? 'syncing'
        : readable.length > 0
          ? 'synced'
          : 'forbidden';
    const error =
      entries.map(([, r]) => r.current.error).find((e) => e && e.reason !== 'forbidden') ??
      runtime.clusterError;
    const parts = [`${runtime.resource.plural}: not allowed cluster-wide`];
    if (readable.length > 0) parts.push(`reading only namespace(s) ${readable.join(', ')}`);
    if (denied.length > 0) parts.push(`not allowed in ${denied.join(', ')} either`);
    const result: KindSyncState = { kind, status, namespaces: readable, note: parts.join('; ') };
    if (error) result.error = error;
    return result;
  }
}
