// `podscope.clusters.reveal`: show a live object's row in the Clusters view (the code lens above
// a manifest's object runs it); when the view does not list it (its namespace is filtered out, or
// the context is not open yet), its describe document instead.
import * as vscode from 'vscode';
import type { PodscopeViews } from '../tree/podscopeViews';
import type { ObjectLocation } from '../tree/revealObject';
import { findObjectNode } from '../tree/revealObject';

export function revealInClusters(views: PodscopeViews): (arg?: unknown) => Promise<boolean> {
  return async (arg) => {
    const where = arg as Partial<ObjectLocation> | undefined;
    if (!where?.context || !where.namespace || !where.kind || !where.name)
      throw new Error('Reveal needs { context, namespace, kind, name }');
    const location = where as ObjectLocation;
    const node = findObjectNode(views.clusters, location);
    if (node) {
      await views.clustersView.reveal(node, { select: true, focus: true, expand: false });
      return true;
    }
    const target =
      location.kind === 'Pod'
        ? { context: location.context, namespace: location.namespace, pod: location.name }
        : location;
    await vscode.commands.executeCommand('podscope.pod.describe', target);
    return false;
  };
}
