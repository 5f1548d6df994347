// The live model opened once, for headless use (the CLI): open a context, wait for its first sync
// and for the crash logs its findings quote, hand out its view and findings, close.
import type { Finding } from '../analysis/finding';
import { ClusterError } from '../cluster/clusterError';
import { ClusterManager } from '../cluster/clusterManager';
import type { ClusterView } from '../kube/clusterView';
import { LiveModel } from './liveModel';

export interface LiveViewOptions {
  kubeconfig?: string;
  context?: string;
  syncTimeoutMs?: number;
  /** How long one request may go unanswered; the first sync is given at least this long too. */
  requestTimeoutMs?: number;
}

export interface LiveView {
  view: ClusterView;
  /** The context's namespace, if it sets one. */
  namespace: string | undefined;
  findings: readonly Finding[];
  /** Kinds that could not be read (RBAC, errors): the diagnosis is partial without them. */
  notes: string[];
  close: () => Promise<void>;
}

export async function openLiveView(options: LiveViewOptions): Promise<LiveView> {
  const { requestTimeoutMs } = options;
  const model = new LiveModel(
    new ClusterManager({
      source: () => (options.kubeconfig ? { path: options.kubeconfig } : {}),
      ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    }),
  );
  try {
    const live = await model.open(options.context);
    await live
      .whenReady(options.syncTimeoutMs ?? Math.max(60_000, requestTimeoutMs ?? 0))
      .catch((error: unknown) => {
        throw new ClusterError('timeout', error instanceof Error ? error.message : String(error));
      });
    const states = live.source.states();
    const failed = states.filter((s) => s.status === 'error');
    // Nothing readable at all means the cluster is down or refuses us: that is an input error,
    // not an empty (and falsely green) diagnosis.
    if (failed.length > 0 && states.every((s) => s.status !== 'synced')) {
      const error = failed[0]?.error ?? new ClusterError('unknown', 'no resource could be read');
      throw new ClusterError(
        error.reason,
        `${error.detail} at ${live.context.server ?? 'its server'}`,
        error.status,
      );
    }
    const notes = states
      .filter((s) => s.status === 'forbidden' || s.status === 'error')
      .map((s) => `${s.kind}: ${s.note ?? s.error?.detail ?? s.status}`);
    return {
      view: live.source,
      namespace: live.context.namespace,
      findings: live.findings(),
      notes,
      close: async () => {
        await model.close(live.name);
        model.dispose();
      },
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
