import type { PodscopeViews } from '../tree/podscopeViews';
import { contextArg } from './nodeArgs';

/** Reconnects a context whose message node says it failed. */
export function retryContext(views: PodscopeViews): (arg?: unknown) => Promise<void> {
  return async (arg?: unknown) => {
    const context = contextArg(arg);
    if (!context) throw new Error('Retry needs a context');
    await views.clustersModel.retry(context);
  };
}
