import type { PodscopeViews } from '../tree/podscopeViews';

export function clearClustersFilter(views: PodscopeViews): () => void {
  return () => {
    views.clustersModel.setFilter(undefined);
    views.updateContextKeys();
  };
}
