// Memory usage of the pods in the namespaces someone is looking at, polled from metrics.k8s.io.
// The metrics API cannot be watched, and polling a whole cluster every few seconds would cost
// more than the rest of the session, so interest is counted per namespace (one count per open
// manifest, say) and only namespaces with interest are read. A cluster without metrics is a
// normal case: it is logged once at debug level, asked again rarely, and reports nothing.
import type { Disposable } from '../cluster/emitter';
import type { Logger } from '../cluster/logger';
import { silentLogger } from '../cluster/logger';
import type { NamespaceUsage } from '../cluster/podMetrics';
import { ClusterError } from '../cluster/clusterError';

export type ReadUsage = (namespace: string, signal: AbortSignal) => Promise<NamespaceUsage | undefined>;

export interface UsagePollerOptions {
  /** Between polls; metrics-server itself refreshes every 15 s by default. */
  intervalMs?: number;
  /** Between checks whether a cluster without metrics has gained them. */
  unavailableRetryMs?: number;
  logger?: Logger;
  /** The context's name, for the log. */
  label?: string;
}

export class UsagePoller implements Disposable {
  private readonly interest = new Map<string, number>();
  private readonly usage = new Map<string, NamespaceUsage>();
  private readonly intervalMs: number;
  private readonly unavailableRetryMs: number;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private unavailable = false;
  private readonly loggedReasons = new Set<string>();
  private readonly polled = new Set<() => void>();
  private disposed = false;

  constructor(
    private readonly read: ReadUsage,
    /** Usage of these pods of a namespace changed (or was dropped): their findings may differ. */
    private readonly onUsage: (namespace: string, pods: readonly string[]) => void,
    private readonly options: UsagePollerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 15_000;
    this.unavailableRetryMs = options.unavailableRetryMs ?? 5 * 60_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Working-set bytes of one container, when a poll has seen it. */
  memoryUsage(namespace: string, pod: string, container: string): number | undefined {
    return this.usage.get(namespace)?.get(pod)?.get(container);
  }

  /** Starts (or keeps) polling these namespaces until the returned Disposable is disposed. */
  watch(namespaces: readonly string[]): Disposable {
    const mine = [...new Set(namespaces)];
    let added = false;
    for (const namespace of mine) {
      const count = this.interest.get(namespace) ?? 0;
      this.interest.set(namespace, count + 1);
      if (count === 0) added = true;
    }
    // A newly watched namespace is read now, not one interval later.
    if (added && !this.unavailable) this.schedule(0);
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        for (const namespace of mine) this.release(namespace);
      },
    };
  }

  /** Resolves when the poll under way (if any) has finished. */
  whenIdle(): Promise<void> {
    return this.polling ?? Promise.resolve();
  }

  /** Resolves when the next poll has finished and its findings are updated. */
  nextPoll(): Promise<void> {
    return new Promise((resolve) => this.polled.add(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    clearTimeout(this.timer);
    this.interest.clear();
    this.usage.clear();
    for (const resolve of this.polled) resolve();
    this.polled.clear();
  }

  private release(namespace: string): void {
    const count = this.interest.get(namespace) ?? 0;
    if (count > 1) {
      this.interest.set(namespace, count - 1);
      return;
    }
    this.interest.delete(namespace);
    const dropped = this.usage.get(namespace);
    this.usage.delete(namespace);
    if (dropped && dropped.size > 0 && !this.disposed) this.onUsage(namespace, [...dropped.keys()]);
    if (this.interest.size === 0) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One poll at a time; one that is running reschedules when it ends.
      if (this.polling) return;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        for (const resolve of this.polled) resolve();
        this.polled.clear();
        if (this.interest.size > 0 && !this.timer)
          this.schedule(this.unavailable ? this.unavailableRetryMs : this.intervalMs);
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    for (const namespace of [...this.interest.keys()]) {
      if (this.disposed) return;
      let next: NamespaceUsage | undefined;
      try {
        next = await this.read(namespace, this.abort.signal);
      } catch (e) {
        if (this.disposed) return;
        // A forbidden or unreachable metrics API leaves findings as they are; say so once.
        const reason = e instanceof ClusterError ? e.reason : 'unknown';
        if (!this.loggedReasons.has(reason)) {
          this.loggedReasons.add(reason);
          this.logger.debug(`${this.label()}: reading pod metrics failed (${reason}); usage is not checked`);
        }
        continue;
      }
      if (this.disposed) return;
      if (next === undefined) {
        if (!this.unavailable)
          this.logger.debug(
            `${this.label()}: the cluster serves no metrics.k8s.io; usage against limits is off`,
          );
        this.unavailable = true;
        return;
      }
      this.unavailable = false;
      // Interest may have ended while the read was under way.
      if (!this.interest.has(namespace)) continue;
      const previous = this.usage.get(namespace);
      this.usage.set(namespace, next);
      const changed = changedPods(previous, next);
      if (changed.length > 0) this.onUsage(namespace, changed);
    }
  }

  private label(): string {
    return `Context ${this.options.label ?? '?'}`;
  }
}

function changedPods(previous: NamespaceUsage | undefined, next: NamespaceUsage): string[] {
  const changed: string[] = [];
  for (const [pod, containers] of next) {
    const before = previous?.get(pod);
    if (!before || before.size !== containers.size) changed.push(pod);
    else
      for (const [c, bytes] of containers)
        if (before.get(c) !== bytes) {
          changed.push(pod);
          break;
        }
  }
  for (const pod of previous?.keys() ?? []) if (!next.has(pod)) changed.push(pod);
  return changed;
}
