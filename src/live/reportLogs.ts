// The log tails a troubleshoot report quotes: the last run of each crashed container. An open
// report is rendered again whenever its pods change, several times a second for a crash-looping
// workload, while a previous run's log only changes with the next crash: so each container's log
// is read once per crash, and a render between crashes reads nothing.
import type { ClusterView, KindName } from '../kube/clusterView';
import type { LogReader } from './crashLogs';
import { logsToRead } from './troubleshootReport';

export interface ReportLogsOptions {
  /** Lines kept per container. */
  tailLines?: number;
  /** Containers remembered; the oldest is forgotten first. */
  capacity?: number;
}

export class ReportLogs {
  private readonly tailLines: number;
  private readonly capacity: number;
  /** `context/namespace/pod/container/previous|current` → the crash it was read for, and its lines. */
  private readonly cache = new Map<string, { crash: string; lines: readonly string[] }>();

  constructor(options: ReportLogsOptions = {}) {
    this.tailLines = options.tailLines ?? 20;
    this.capacity = options.capacity ?? 200;
  }

  /** `troubleshootReport`'s `logs`: lines by `pod/container`, or one line saying why there are none. */
  async read(
    context: string,
    source: ClusterView & LogReader,
    kind: KindName,
    namespace: string,
    name: string,
  ): Promise<Map<string, readonly string[]>> {
    const wanted = logsToRead(source, kind, namespace, name);
    const lines = await Promise.all(
      wanted.map(async ({ pod, container, previous, crash }) => {
        const key = `${context}/${namespace}/${pod}/${container}/${previous ? 'previous' : 'current'}`;
        const cached = this.cache.get(key);
        if (cached?.crash === crash) return cached.lines;
        try {
          const text = await source.readLogs(namespace, pod, container, {
            previous,
            tailLines: this.tailLines,
          });
          const read = text.split('\n').filter((l) => l.length > 0);
          this.remember(key, crash, read);
          return read;
        } catch (error) {
          // Not remembered: the next render tries again.
          return [`(logs could not be read: ${error instanceof Error ? error.message : String(error)})`];
        }
      }),
    );
    return new Map(wanted.map(({ pod, container }, i) => [`${pod}/${container}`, lines[i] ?? []]));
  }

  private remember(key: string, crash: string, lines: readonly string[]): void {
    this.cache.delete(key);
    this.cache.set(key, { crash, lines });
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
