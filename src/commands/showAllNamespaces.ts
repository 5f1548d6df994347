import type { PodscopeViews } from '../tree/podscopeViews';

/** Every namespace of every context, not only the home one and those with problems. */
export function showAllNamespaces(views: PodscopeViews, all: boolean): () => void {
  return () => {
    views.clustersModel.setShowAllNamespaces(all);
    views.updateContextKeys();
  };
}
