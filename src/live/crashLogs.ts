// The last log lines of crashed containers, so crash findings can quote what the program said
// before it died. Analysis is synchronous and pure, so logs are fetched ahead: when a pod shows a
// failed container, its log tail is read once per crash (keyed by restart count) and the pod is
// analyzed again when it arrives. Reads are few and bounded: a handful at a time, a capped cache.
import type { ObjectRef } from '../kube/objectRef';
import type { Pod } from '../kube/types';

export interface LogReader {
  readLogs(
    namespace: string,
    pod: string,
    container: string,
    options: { previous?: boolean; tailLines?: number },
  ): Promise<string>;
}

export interface CrashLogOptions {
  /** Lines kept per container. */
  lines?: number;
  /** Reads in flight at once. */
  concurrency?: number;
  /** Containers remembered; the oldest is forgotten first. */
  capacity?: number;
}

interface Wanted {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  key: string;
}

export class CrashLogs {
  private readonly lines: number;
  private readonly concurrency: number;
  private readonly capacity: number;
  /** `ns/pod/container/previous|current` → the crash it was read for, and its lines. */
  private readonly cache = new Map<string, { crash: string; lines: readonly string[] }>();
  /** The crash each queued read is for, remembered when its lines land. */
  private readonly crashOf = new Map<string, string>();
  private readonly queue: Wanted[] = [];
  private readonly queued = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly reader: LogReader,
    /** Called with the pod whose logs arrived, so its findings can be analyzed again. */
    private readonly onFetched: (namespace: string, pod: string) => void,
    options: CrashLogOptions = {},
  ) {
    this.lines = options.lines ?? 10;
    this.concurrency = options.concurrency ?? 4;
    this.capacity = options.capacity ?? 500;
  }

  /** Lines for analysis (`AnalysisOptions.logs`): undefined until read. */
  get(pod: ObjectRef, container: string, previous: boolean): readonly string[] | undefined {
    return this.cache.get(cacheKey(pod.namespace ?? '', pod.name, container, previous))?.lines;
  }

  /** Queues reads for this pod's failed containers whose current crash was not read yet. */
  observe(pod: Pod): void {
    if (this.disposed) return;
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    for (const failed of failedContainers(pod)) {
      const key = cacheKey(namespace, name, failed.container, failed.previous);
      if (this.cache.get(key)?.crash === failed.crash || this.queued.has(key)) continue;
      this.queued.add(key);
      this.queue.push({ namespace, pod: name, container: failed.container, previous: failed.previous, key });
      this.crashOf.set(key, failed.crash);
    }
    this.pump();
  }

  /** Forgets a deleted pod's logs. */
  forget(pod: Pod): void {
    const prefix = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}/`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Resolves when no read is queued or in flight (the CLI waits for this before reporting). */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.queued.clear();
    this.settleIdle();
  }

  private pump(): void {
    while (!this.disposed && this.running < this.concurrency) {
      const next = this.queue.shift();
      if (!next) break;
      this.running++;
      void this.read(next).finally(() => {
        this.running--;
        this.queued.delete(next.key);
        this.pump();
        this.settleIdle();
      });
    }
  }

  private async read(wanted: Wanted): Promise<void> {
    let lines: string[] = [];
    try {
      const text = await this.reader.readLogs(wanted.namespace, wanted.pod, wanted.container, {
        previous: wanted.previous,
        tailLines: this.lines,
      });
      lines = text.split('\n').filter((line) => line.length > 0);
    } catch {
      // Logs only add evidence; a container whose previous instance left none is still diagnosed,
      // and the empty entry keeps us from asking again for the same crash.
    }
    if (this.disposed) return;
    this.cache.delete(wanted.key);
    this.cache.set(wanted.key, { crash: this.crashOf.get(wanted.key) ?? '', lines });
    this.crashOf.delete(wanted.key);
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    if (lines.length > 0) this.onFetched(wanted.namespace, wanted.pod);
  }

  private settleIdle(): void {
    if (this.running > 0 || this.queue.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function cacheKey(namespace: string, pod: string, container: string, previous: boolean): string {
  return `${namespace}/${pod}/${container}/${previous ? 'previous' : 'current'}`;
}

interface FailedContainer {
  container: string;
  previous: boolean;
  /** Which crash: a new restart or a new termination is a new crash, with new logs. */
  crash: string;
}

/**
 * Containers whose last run failed: a restarted one's previous instance, or one that stays
 * terminated (restartPolicy Never, as in Job pods), whose current instance holds the logs.
 */
export function failedContainers(pod: Pod): FailedContainer[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.flatMap((s): FailedContainer[] => {
    const terminated = s.state?.terminated;
    if (terminated && (terminated.exitCode ?? 0) !== 0)
      return [
        { container: s.name, previous: false, crash: `${s.restartCount}/${terminated.finishedAt ?? ''}` },
      ];
    const last = s.lastState?.terminated;
    if (s.restartCount > 0 && last && (last.exitCode ?? 0) !== 0)
      return [{ container: s.name, previous: true, crash: `${s.restartCount}/${last.finishedAt ?? ''}` }];
    return [];
  });
}
