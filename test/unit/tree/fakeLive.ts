// A live model fed by hand for the tree's unit tests: each context is a real LiveContext over a
// ClusterStore whose sync states the test controls, and the model's kubeconfig and open() answer
// what the test says, when it says.
import type { ClusterError } from '../../../src/cluster/clusterError';
import type { KindSyncState } from '../../../src/cluster/clusterSession';
import { ClusterStore } from '../../../src/cluster/clusterStore';
import { Emitter } from '../../../src/cluster/emitter';
import type { ContextInfo } from '../../../src/cluster/kubeconfig';
import { silentLogger } from '../../../src/cluster/logger';
import type { KindName } from '../../../src/kube/clusterView';
import { KIND_NAMES } from '../../../src/kube/clusterView';
import { toKeyedObject } from '../../../src/kube/keyedObject';
import type { KubeObject } from '../../../src/kube/types';
import type { LiveContextChange, LiveSource } from '../../../src/live/liveContext';
import { LiveContext } from '../../../src/live/liveContext';
import type { ContextEvent } from '../../../src/live/liveModel';
import type { LiveModelSource } from '../../../src/tree/model/clustersTreeModel';
import { CATALOG_NOW } from '../analysis/findings/catalogView';

export class FakeSource extends ClusterStore implements LiveSource {
  readonly stateEmitter = new Emitter<KindSyncState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private stateOverride: Partial<Record<KindName, KindSyncState>> = {};
  private synced = false;

  constructor(
    readonly context: ContextInfo,
    clock: () => number = () => CATALOG_NOW,
  ) {
    super({ clock, isUnavailable: () => !this.synced, logger: silentLogger });
  }

  states(): KindSyncState[] {
    return KIND_NAMES.map(
      (kind) => this.stateOverride[kind] ?? { kind, status: this.synced ? 'synced' : 'syncing' },
    );
  }

  /** Every kind synced, except the states given (an unreachable or forbidden Pod list, say). */
  finishSync(overrides: KindSyncState[] = []): void {
    this.synced = true;
    for (const state of overrides) this.stateOverride[state.kind] = state;
    this.stateEmitter.fire({ kind: 'Pod', status: 'synced' });
  }

  readLogs(): Promise<string> {
    return Promise.resolve('');
  }

  load(objects: readonly KubeObject[]): void {
    for (const object of objects) {
      const kind = object.kind as KindName;
      if (!KIND_NAMES.includes(kind)) continue;
      this.apply(kind, 'ADDED', kind === 'ConfigMap' || kind === 'Secret' ? toKeyedObject(object) : object);
    }
  }
}

export class FakeLiveModel implements LiveModelSource {
  readonly changed = new Emitter<LiveContextChange>();
  readonly contextEvents = new Emitter<ContextEvent>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeContexts = this.contextEvents.event;
  readonly live = new Map<string, LiveContext>();
  readonly opens: string[] = [];
  kubeconfigError: ClusterError | undefined;
  openError: ClusterError | undefined;
  active: string | undefined;

  constructor(private readonly sources: FakeSource[]) {
    this.active = sources[0]?.context.name;
  }

  kubeconfig(): Promise<{ files: string[]; contexts: ContextInfo[]; currentContext?: string }> {
    if (this.kubeconfigError) return Promise.reject(this.kubeconfigError);
    return Promise.resolve({ files: ['/kubeconfig'], contexts: this.sources.map((s) => s.context) });
  }

  activeContext(): Promise<string | undefined> {
    return Promise.resolve(this.active);
  }

  open(name: string): Promise<LiveContext> {
    this.opens.push(name);
    if (this.openError) return Promise.reject(this.openError);
    let live = this.live.get(name);
    if (!live) {
      const source = this.sources.find((s) => s.context.name === name);
      if (!source) return Promise.reject(new Error(`no context ${name}`));
      live = new LiveContext(source);
      live.onDidChange((change) => this.changed.fire(change));
      this.live.set(name, live);
      this.contextEvents.fire({ type: 'opened', context: name });
    }
    return Promise.resolve(live);
  }

  get(name: string): LiveContext | undefined {
    return this.live.get(name);
  }

  close(name: string): Promise<void> {
    this.live.get(name)?.dispose();
    this.live.delete(name);
    this.contextEvents.fire({ type: 'closed', context: name });
    return Promise.resolve();
  }

  dispose(): void {
    for (const live of this.live.values()) live.dispose();
    for (const source of this.sources) source.dispose();
  }
}
