// The one live model the tree, the diagnostics and the CLI read: every open context as a
// LiveContext, the active context (the one files are diagnosed against unless they say
// otherwise), and events when a context opens, closes or becomes active, and when any open
// context's objects or findings change.
import type { ClusterError } from '../cluster/clusterError';
import type { ClusterManager } from '../cluster/clusterManager';
import type { Disposable, Event } from '../cluster/emitter';
import { Emitter } from '../cluster/emitter';
import type { ContextInfo, LoadedKubeconfig } from '../cluster/kubeconfig';
import type { LiveContextChange, LiveContextOptions } from './liveContext';
import { LiveContext } from './liveContext';

export type ContextEvent =
  | { type: 'opened'; context: string }
  | { type: 'closed'; context: string }
  | { type: 'switched'; context: string | undefined };

export interface LiveModelOptions extends LiveContextOptions {
  /** Asked before a context opens; an error here (Restricted Mode and a credential plugin, say) refuses it. */
  refuse?: (context: ContextInfo | undefined) => ClusterError | undefined;
}

export class LiveModel implements Disposable {
  private readonly contexts = new Map<string, Promise<LiveContext>>();
  private readonly resolved = new Map<string, LiveContext>();
  private readonly changed = new Emitter<LiveContextChange>();
  private readonly contextEvents = new Emitter<ContextEvent>();
  private readonly subscriptions: Disposable[] = [];
  private active: string | undefined;
  private activeChosen = false;

  /** Objects, findings or restarts changed in one open context (one event per store batch). */
  readonly onDidChange: Event<LiveContextChange> = this.changed.event;
  readonly onDidChangeContexts: Event<ContextEvent> = this.contextEvents.event;

  constructor(
    private readonly manager: ClusterManager,
    private readonly options: LiveModelOptions = {},
  ) {
    this.subscriptions.push(manager.onDidClose((name) => this.forget(name)));
  }

  /** The kubeconfig as loaded (contexts, current context); rejects with a ClusterError. */
  kubeconfig(): Promise<LoadedKubeconfig> {
    return this.manager.kubeconfig();
  }

  async contextInfos(): Promise<readonly ContextInfo[]> {
    return (await this.manager.kubeconfig()).contexts;
  }

  /** The context files are diagnosed against: chosen by the user, else the kubeconfig's current one. */
  async activeContext(): Promise<string | undefined> {
    if (this.activeChosen) return this.active;
    return (await this.manager.kubeconfig()).currentContext;
  }

  setActiveContext(name: string | undefined): void {
    this.active = name;
    this.activeChosen = true;
    this.contextEvents.fire({ type: 'switched', context: name }, this.options.onListenerError);
  }

  /**
   * Opens a context (default: the active one), or returns it when open. Rejects with a
   * ClusterError. `focus`: namespaces to read before the rest of the cluster (LiveContext.focus).
   */
  async open(name?: string, options: { focus?: readonly string[] } = {}): Promise<LiveContext> {
    const contextName = name ?? (await this.activeContext());
    if (this.options.refuse) {
      const info = (await this.manager.kubeconfig()).contexts.find((c) => c.name === contextName);
      const refused = this.options.refuse(info);
      if (refused) throw refused;
    }
    const key = contextName ?? '';
    let live = this.contexts.get(key);
    if (live) {
      if (options.focus?.length)
        void live.then(
          (c) => c.focus(options.focus ?? []),
          () => undefined,
        );
    } else {
      live = this.manager.open(contextName, options.focus).then((session) => {
        const context = new LiveContext(session, this.options);
        // Keyed by the name asked for and the name resolved, so both find it.
        this.resolved.set(session.context.name, context);
        this.subscriptions.push(
          context.onDidChange((change) => this.changed.fire(change, this.options.onListenerError)),
        );
        this.contextEvents.fire(
          { type: 'opened', context: session.context.name },
          this.options.onListenerError,
        );
        return context;
      });
      this.contexts.set(key, live);
      live.catch(() => this.contexts.delete(key));
    }
    return live;
  }

  /** The open context of this name, if it has finished opening. */
  get(name: string): LiveContext | undefined {
    return this.resolved.get(name);
  }

  /** Contexts open now. */
  opened(): LiveContext[] {
    return [...this.resolved.values()];
  }

  close(name: string): Promise<void> {
    return this.manager.close(name);
  }

  /** Re-reads the kubeconfig and closes every context (credentials or servers may have changed). */
  async reload(): Promise<LoadedKubeconfig> {
    const loaded = await this.manager.reload();
    this.contexts.clear();
    return loaded;
  }

  dispose(): void {
    for (const context of this.resolved.values()) context.dispose();
    this.resolved.clear();
    this.contexts.clear();
    for (const s of this.subscriptions) s.dispose();
    this.manager.dispose();
    this.changed.dispose();
    this.contextEvents.dispose();
  }

  private forget(name: string): void {
    const context = this.resolved.get(name);
    if (!context) return;
    context.dispose();
    this.resolved.delete(name);
    for (const [key, pending] of this.contexts)
      void pending.then(
        (c) => c === context && this.contexts.delete(key),
        () => undefined,
      );
    this.contextEvents.fire({ type: 'closed', context: name }, this.options.onListenerError);
  }
}
