// The registry of open contexts. Several can be open at once (one tree per cluster, or the CLI
// diagnosing two contexts); opening an already open context returns its session.
import type { ClusterSessionOptions } from './clusterSession';
import { ClusterSession } from './clusterSession';
import { ClusterError } from './clusterError';
import type { Disposable, Event } from './emitter';
import { Emitter } from './emitter';
import type { ContextInfo, KubeconfigSource, LoadedKubeconfig } from './kubeconfig';
import { loadKubeconfig } from './kubeconfig';

export interface ClusterManagerOptions extends ClusterSessionOptions {
  /** Read on every (re)load, so a changed `podscope.kubeconfig` setting takes effect. */
  source?: () => KubeconfigSource;
}

export class ClusterManager implements Disposable {
  private loaded: Promise<LoadedKubeconfig> | undefined;
  private readonly sessions = new Map<string, Promise<ClusterSession>>();
  private disposed = false;
  private readonly opened = new Emitter<ClusterSession>();
  private readonly closed = new Emitter<string>();

  /** A context's session was opened (it has started syncing). */
  readonly onDidOpen: Event<ClusterSession> = this.opened.event;
  /** A context's session was closed, by name. */
  readonly onDidClose: Event<string> = this.closed.event;

  constructor(private readonly options: ClusterManagerOptions = {}) {}

  /** The kubeconfig, read once and cached until reload(). Rejects with a ClusterError. */
  kubeconfig(): Promise<LoadedKubeconfig> {
    // Loading starts on the next turn: it requires client-node synchronously, and a caller on the
    // extension's activation path must not pay for that inside `activate`.
    this.loaded ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      loadKubeconfig(this.options.source?.() ?? {}),
    );
    // A failed load is not cached: the user may fix the file and try again.
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  async contexts(): Promise<readonly ContextInfo[]> {
    return (await this.kubeconfig()).contexts;
  }

  /**
   * Opens (or returns the open session for) a context; default: the kubeconfig's current context.
   * `focus` names namespaces to read first (ClusterSession.focus).
   */
  async open(contextName?: string, focus?: readonly string[]): Promise<ClusterSession> {
    if (this.disposed) throw new ClusterError('unknown', 'the cluster manager was disposed');
    const loaded = await this.kubeconfig();
    const name = contextName ?? loaded.currentContext;
    if (!name)
      throw new ClusterError('badKubeconfig', 'the kubeconfig sets no current-context; choose a context');
    let session = this.sessions.get(name);
    if (session) {
      if (focus?.length)
        void session.then(
          (s) => s.focus(focus),
          () => undefined,
        );
    } else {
      session = ClusterSession.open(loaded, name, { ...this.options, ...(focus?.length ? { focus } : {}) });
      this.sessions.set(name, session);
      session.then(
        (opened) => this.opened.fire(opened),
        () => this.sessions.delete(name),
      );
    }
    return session;
  }

  /** The sessions open now, by context name. */
  async openSessions(): Promise<ClusterSession[]> {
    const settled = await Promise.allSettled(this.sessions.values());
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  /** Closes one context's session (switching context disposes the old store). */
  async close(contextName: string): Promise<void> {
    const session = this.sessions.get(contextName);
    if (!session) return;
    this.sessions.delete(contextName);
    await (await session.catch(() => undefined))?.close();
    this.closed.fire(contextName);
  }

  /** Forgets the cached kubeconfig and closes every session (their credentials may have changed). */
  async reload(): Promise<LoadedKubeconfig> {
    this.loaded = undefined;
    await this.closeAll();
    return this.kubeconfig();
  }

  async closeAll(): Promise<void> {
    const names = [...this.sessions.keys()];
    await Promise.all(names.map((n) => this.close(n)));
  }

  dispose(): void {
    this.disposed = true;
    for (const session of this.sessions.values())
      session.then(
        (s) => s.dispose(),
        () => undefined,
      );
    this.sessions.clear();
    this.opened.dispose();
    this.closed.dispose();
  }
}
