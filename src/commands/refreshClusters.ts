import type { LiveModelHost } from '../services/liveModelHost';
import type { PodscopeViews } from '../tree/podscopeViews';

/** Reads the kubeconfig again and reconnects every context (after editing it by hand, say). */
export function refreshClusters(live: LiveModelHost, views: PodscopeViews): () => Promise<void> {
  return async () => {
    try {
      await live.model.reload();
    } finally {
      // A broken kubeconfig rejects the reload; the tree reads it again and shows why.
      views.clustersModel.reset();
    }
  };
}
