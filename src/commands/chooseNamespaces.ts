import * as vscode from 'vscode';
import type { LiveModelHost } from '../services/liveModelHost';
import type { PodscopeViews } from '../tree/podscopeViews';
import { contextArg } from './nodeArgs';

/** Picks which namespaces of a context the Clusters view shows. */
export function chooseNamespaces(
  live: LiveModelHost,
  views: PodscopeViews,
): (arg?: unknown) => Promise<void> {
  return async (arg?: unknown) => {
    const context = contextArg(arg) ?? (await live.model.activeContext());
    if (!context) throw new Error('No Kubernetes context is active');
    await live.model.open(context);
    const namespaces = views.clustersModel.namespacesOf(context);
    const home = views.clustersModel.homeNamespace(context);
    const picked = await vscode.window.showQuickPick(
      namespaces.map((ns) => ({
        label: ns,
        picked: ns === home,
        ...(ns === home ? { description: 'home' } : {}),
      })),
      { canPickMany: true, title: `Namespaces of ${context} to show` },
    );
    if (!picked) return;
    views.clustersModel.chooseNamespaces(context, picked.length > 0 ? picked.map((p) => p.label) : undefined);
  };
}
