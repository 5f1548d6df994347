// A one-shot view of a live context for headless use (the CLI): open, wait for the first sync,
// prefetch the previous logs of crashing containers so crash findings can quote them, close.
import type { AnalysisOptions } from '../analysis/analyze';
import type { ClusterView } from '../kube/clusterView';
import type { ObjectRef } from '../kube/objectRef';
import type { Pod } from '../kube/types';
import { ClusterError } from '../cluster/clusterError';
import { ClusterManager } from '../cluster/clusterManager';

export interface LiveViewOptions {
  kubeconfig?: string;
  context?: string;
  syncTimeoutMs?: number;
  /** How long one request may go unanswered; the first sync is given at least this long too. */
  requestTimeoutMs?: number;
  /** How many crashing containers get their previous logs read. */
  maxLogReads?: number;
}

export interface LiveView {
  view: ClusterView;
  /** The context's namespace, if it sets one. */
  namespace: string | undefined;
  analysis: AnalysisOptions;
  /** Kinds that could not be read (RBAC, errors): the diagnosis is partial without them. */
  notes: string[];
  close: () => Promise<void>;
}

const LOG_LINES = 10;

export async function openLiveView(options: LiveViewOptions): Promise<LiveView> {
  const { requestTimeoutMs } = options;
  const manager = new ClusterManager({
    source: () => (options.kubeconfig ? { path: options.kubeconfig } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  });
  try {
    const session = await manager.open(options.context);
    const states = await session.whenSettled(
      options.syncTimeoutMs ?? Math.max(60_000, requestTimeoutMs ?? 0),
    );
    const failed = states.filter((s) => s.status === 'error');
    // Nothing readable at all means the cluster is down or refuses us: that is an input error,
    // not an empty (and falsely green) diagnosis.
    if (failed.length > 0 && states.every((s) => s.status !== 'synced')) {
      const error = failed[0]?.error ?? new ClusterError('unknown', 'no resource could be read');
      throw new ClusterError(
        error.reason,
        `${error.detail} at ${session.context.server ?? 'its server'}`,
        error.status,
      );
    }
    const notes = states
      .filter((s) => s.status === 'forbidden' || s.status === 'error')
      .map((s) => `${s.kind}: ${s.note ?? s.error?.detail ?? s.status}`);
    const logs = await prefetchFailedLogs(session, options.maxLogReads ?? 25);
    return {
      view: session,
      namespace: session.context.namespace,
      analysis: {
        logs: (pod, container, previous) => logs.get(logKey(pod, container, previous)),
      },
      notes,
      close: () => manager.close(session.context.name),
    };
  } catch (error) {
    manager.dispose();
    throw error;
  }
}

function logKey(pod: ObjectRef, container: string, previous: boolean): string {
  return `${pod.namespace ?? ''}/${pod.name}/${container}/${previous ? 'previous' : 'current'}`;
}

async function prefetchFailedLogs(
  session: Awaited<ReturnType<ClusterManager['open']>>,
  max: number,
): Promise<Map<string, string[]>> {
  const wanted = session
    .list('Pod')
    .flatMap((pod) => failedContainers(pod).map((failed) => ({ pod, ...failed })))
    .slice(0, max);
  const logs = new Map<string, string[]>();
  await Promise.all(
    wanted.map(async ({ pod, container, previous }) => {
      const namespace = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      try {
        const text = await session.readLogs(namespace, name, container, {
          previous,
          tailLines: LOG_LINES,
        });
        logs.set(
          logKey({ apiVersion: 'v1', kind: 'Pod', namespace, name }, container, previous),
          text.split('\n').filter((l) => l.length > 0),
        );
      } catch {
        // Logs only add evidence; a pod whose previous instance left none is still diagnosed.
      }
    }),
  );
  return logs;
}

interface FailedContainer {
  container: string;
  previous: boolean;
}

/**
 * Containers whose last run failed: a restarted one's previous instance, or one that stays
 * terminated (restartPolicy Never, as in Job pods), whose current instance holds the logs.
 */
function failedContainers(pod: Pod): FailedContainer[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.flatMap((s): FailedContainer[] => {
    if ((s.state?.terminated?.exitCode ?? 0) !== 0) return [{ container: s.name, previous: false }];
    if (s.restartCount > 0 && (s.lastState?.terminated?.exitCode ?? 0) !== 0)
      return [{ container: s.name, previous: true }];
    return [];
  });
}
