// One open context as the extension and the CLI see it: the cluster session's live objects, the
// current findings kept up to date by incremental re-analysis, the crash logs those findings
// quote, and the restart history. One change event per store batch says which objects changed,
// which workloads' findings changed, and which restarts happened.
import type { AnalysisOptions } from '../analysis/analyze';
import type { Finding } from '../analysis/finding';
import type { RestartEvent } from '../analysis/restartTracker';
import type { KindSyncState } from '../cluster/clusterSession';
import type { StoreChange } from '../cluster/clusterStore';
import type { Disposable, Event } from '../cluster/emitter';
import { Emitter } from '../cluster/emitter';
import type { ContextInfo } from '../cluster/kubeconfig';
import type { ClusterView, KindName } from '../kube/clusterView';
import type { ObjectRef } from '../kube/objectRef';
import type { KubeObject, Pod } from '../kube/types';
import type { ApplyOptions } from '../cluster/applyObject';
import { ClusterError } from '../cluster/clusterError';
import type { CrashLogOptions, LogReader } from './crashLogs';
import { CrashLogs } from './crashLogs';
import { FindingIndex } from './findingIndex';
import { RestartHistory } from './restartHistory';
import type { UsagePollerOptions } from './usagePoller';
import { UsagePoller } from './usagePoller';
import type { NamespaceUsage } from '../cluster/podMetrics';

/** What a LiveContext needs of a cluster session (ClusterSession; fakes in tests). */
export interface LiveSource extends ClusterView, LogReader, Disposable {
  readonly context: ContextInfo;
  readonly onDidChange: Event<readonly StoreChange[]>;
  readonly onDidChangeState: Event<KindSyncState>;
  states(): KindSyncState[];
  // What a session does beyond reading (ClusterSession has all of it; a fake may not).
  readonly onDidSyncNamespace?: Event<string>;
  focus?(namespaces: readonly string[]): void;
  isNamespaceSynced?(namespace: string): boolean;
  readPodMetrics?(namespace: string, options: { signal?: AbortSignal }): Promise<NamespaceUsage | undefined>;
  readonly defaultNamespace?: string;
  applyObject?(object: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  readObject?(object: KubeObject, options?: { signal?: AbortSignal }): Promise<KubeObject | undefined>;
  createObject?(object: KubeObject, options?: { signal?: AbortSignal }): Promise<KubeObject>;
}

export interface LiveContextChange {
  context: string;
  /** Objects added, changed or deleted in this batch. */
  objects: readonly StoreChange[];
  /** Workloads (or bare Pods and Services) whose findings changed. */
  owners: readonly ObjectRef[];
  restarts: readonly RestartEvent[];
  /** True for the first change after the first full sync: every finding is new. */
  initial: boolean;
}

export interface LiveContextOptions {
  logs?: CrashLogOptions;
  usage?: Omit<UsagePollerOptions, 'label'>;
  analysis?: Omit<AnalysisOptions, 'logs'>;
  /** Called when a listener throws, so one bad view cannot stop the others. */
  onListenerError?: (error: unknown) => void;
}

export class LiveContext implements Disposable {
  readonly name: string;
  private readonly index: FindingIndex;
  private readonly crashLogs: CrashLogs;
  private readonly restartHistory = new RestartHistory();
  private readonly changed = new Emitter<LiveContextChange>();
  private readonly subscriptions: Disposable[] = [];
  private ready = false;
  /** Namespaces listed ahead of the first full sync (focus): analyzed already. */
  private readonly earlyNamespaces = new Set<string>();
  private readonly usage: UsagePoller;

  readonly onDidChange: Event<LiveContextChange> = this.changed.event;
  readonly onDidChangeState: Event<KindSyncState>;

  constructor(
    readonly source: LiveSource,
    private readonly options: LiveContextOptions = {},
  ) {
    this.name = source.context.name;
    this.onDidChangeState = source.onDidChangeState;
    this.crashLogs = new CrashLogs(source, (namespace, pod) => this.onLogs(namespace, pod), options.logs);
    this.usage = new UsagePoller(
      (namespace, signal) => source.readPodMetrics?.(namespace, { signal }) ?? Promise.resolve(undefined),
      (namespace, pods) => this.onUsage(namespace, pods),
      { ...options.usage, label: this.name },
    );
    this.index = new FindingIndex(source, () => ({
      ...options.analysis,
      logs: (pod, container, previous) => this.crashLogs.get(pod, container, previous),
      memoryUsage: (pod, container) => this.usage.memoryUsage(pod.namespace ?? '', pod.name, container),
    }));
    for (const pod of source.list('Pod')) this.observePod(pod, []);
    this.subscriptions.push(
      source.onDidChange((changes) => this.onStoreChanges(changes)),
      source.onDidChangeState(() => this.checkReady()),
    );
    if (source.onDidSyncNamespace)
      this.subscriptions.push(source.onDidSyncNamespace((namespace) => this.onNamespaceSynced(namespace)));
    this.checkReady();
  }

  /**
   * Reads these namespaces first while the first sync is under way (those of the manifests open
   * in the editor): their findings come as soon as they are listed, in a change event, before
   * the rest of the cluster. Does nothing once the context is ready.
   */
  focus(namespaces: readonly string[]): void {
    if (this.ready) return;
    this.source.focus?.(namespaces);
    for (const namespace of namespaces)
      if (this.source.isNamespaceSynced?.(namespace)) this.onNamespaceSynced(namespace);
  }

  /**
   * Polls metrics.k8s.io for these namespaces until disposed (counted: several holders may watch
   * one namespace), so that findings can compare usage with limits (memory-near-limit, and the
   * oom-killed fix sized from observed usage). A cluster without metrics gives nothing, quietly.
   */
  watchUsage(namespaces: readonly string[]): Disposable {
    return this.usage.watch(namespaces);
  }

  /** Resolves once this namespace's findings are known: the whole first sync, or the namespace listed first. */
  whenNamespaceReady(namespace: string, timeoutMs = 60_000): Promise<void> {
    if (this.ready || this.earlyNamespaces.has(namespace)) return Promise.resolve();
    this.focus([namespace]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(
          new ClusterError(
            'timeout',
            `namespace ${namespace} of ${this.name} was not listed within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const subscription = this.changed.event(() => {
        if (!this.ready && !this.earlyNamespaces.has(namespace)) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
      if (this.ready || this.earlyNamespaces.has(namespace)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  }

  // ---- Writes (server-side apply, create), for sessions that can write ------------------------

  /** The namespace a namespaced object without one goes to (the context's). */
  get defaultNamespace(): string {
    return this.source.defaultNamespace ?? this.context.namespace ?? 'default';
  }

  apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    return this.writer('applyObject')(object, options);
  }

  readLive(object: KubeObject): Promise<KubeObject | undefined> {
    return this.writer('readObject')(object);
  }

  create(object: KubeObject): Promise<KubeObject> {
    return this.writer('createObject')(object);
  }

  /** Resolves when the next metrics poll has finished and its findings are updated. */
  nextUsagePoll(): Promise<void> {
    return this.usage.nextPoll();
  }

  get context(): ContextInfo {
    return this.source.context;
  }

  /** True once every kind has finished its first sync (or failed, or is forbidden). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Every current finding, merged per workload, errors first. */
  findings(): readonly Finding[] {
    return this.index.all();
  }

  /** The findings whose squiggles belong to this object's manifest (a workload, bare Pod or Service). */
  findingsOf(owner: ObjectRef): readonly Finding[] {
    return this.index.ofOwner(owner);
  }

  /** One object's own findings, unmerged (a pod's, for its tree node). */
  findingsAbout(kind: KindName, namespace: string | undefined, name: string): readonly Finding[] {
    return this.index.about(kind, namespace, name);
  }

  /** Container restarts seen this session, newest first. */
  restarts(): readonly RestartEvent[] {
    return this.restartHistory.all();
  }

  /** Resolves once the first sync has settled and the crash logs it asked for have been read. */
  async whenReady(timeoutMs = 60_000): Promise<void> {
    if (!this.ready) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          reject(new Error(`context ${this.name} did not finish its first sync within ${timeoutMs} ms`));
        }, timeoutMs);
        const subscription = this.changed.event((change) => {
          if (!change.initial) return;
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        });
      });
    }
    await this.crashLogs.whenIdle();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.usage.dispose();
    this.crashLogs.dispose();
    this.changed.dispose();
  }

  private checkReady(): void {
    if (this.ready || this.source.states().some((s) => s.status === 'syncing')) return;
    this.ready = true;
    const { owners } = this.index.rebuild();
    this.fire({ context: this.name, objects: [], owners, restarts: [], initial: true });
  }

  private onStoreChanges(changes: readonly StoreChange[]): void {
    const restarts: RestartEvent[] = [];
    for (const change of changes) {
      if (change.kind !== 'Pod') continue;
      if (change.type === 'DELETED') {
        this.restartHistory.forget(change.object);
        this.crashLogs.forget(change.object);
      } else this.observePod(change.object, restarts);
    }
    const owners = this.ready
      ? this.index.update(changes).owners
      : this.earlyNamespaces.size > 0
        ? this.index.update(changes, (key) => this.earlyNamespaces.has(key.namespace ?? '')).owners
        : [];
    this.fire({ context: this.name, objects: changes, owners, restarts, initial: false });
  }

  private writer<K extends 'applyObject' | 'readObject' | 'createObject'>(
    name: K,
  ): NonNullable<LiveSource[K]> {
    const method = this.source[name];
    if (!method) throw new ClusterError('unknown', `context ${this.name} cannot write to its cluster`);
    return method.bind(this.source) as NonNullable<LiveSource[K]>;
  }

  private onNamespaceSynced(namespace: string): void {
    if (this.ready || this.earlyNamespaces.has(namespace)) return;
    this.earlyNamespaces.add(namespace);
    const { owners } = this.index.analyzeNamespace(namespace);
    this.fire({ context: this.name, objects: [], owners, restarts: [], initial: false });
  }

  private onUsage(namespace: string, pods: readonly string[]): void {
    if (!this.ready && !this.earlyNamespaces.has(namespace)) return;
    const changes = pods.flatMap((name) => {
      const object = this.source.get('Pod', namespace, name);
      return object ? [{ kind: 'Pod' as const, object }] : [];
    });
    const { owners } = this.index.update(changes);
    if (owners.length > 0)
      this.fire({ context: this.name, objects: [], owners, restarts: [], initial: false });
  }

  private observePod(pod: Pod, restarts: RestartEvent[]): void {
    restarts.push(...this.restartHistory.observe(pod, this.source.now()));
    this.crashLogs.observe(pod);
  }

  private onLogs(namespace: string, pod: string): void {
    const object = this.source.get('Pod', namespace, pod);
    if (!object || !this.ready) return;
    const { owners } = this.index.update([{ kind: 'Pod', object }]);
    if (owners.length > 0)
      this.fire({ context: this.name, objects: [], owners, restarts: [], initial: false });
  }

  private fire(change: LiveContextChange): void {
    this.changed.fire(change, this.options.onListenerError);
  }
}
