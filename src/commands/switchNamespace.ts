import * as vscode from 'vscode';
import { namespacesIn } from '../tree/model/clustersTreeModel';
import type { LiveModelHost } from '../services/liveModelHost';
import type { PodscopeViews } from '../tree/podscopeViews';

/** Quick pick of the namespaces in the active context's store; the choice becomes its home namespace. */
export function switchNamespace(
  live: LiveModelHost,
  views: PodscopeViews,
): (name?: unknown) => Promise<string | undefined> {
  return async (name?: unknown) => {
    const context = await live.model.activeContext();
    if (!context) throw new Error('No Kubernetes context is active');
    let chosen = typeof name === 'string' ? name : undefined;
    if (chosen === undefined) {
      const opened = await live.model.open(context);
      const home = views.clustersModel.homeNamespace(context, opened.context);
      const pick = await vscode.window.showQuickPick(
        namespacesIn(opened).map((ns) => ({
          label: `${ns === home ? '$(check) ' : ''}${ns}`,
          namespace: ns,
        })),
        { title: `Namespace of ${context}`, placeHolder: `Current: ${home}` },
      );
      chosen = pick?.namespace;
    }
    if (chosen === undefined) return undefined;
    views.clustersModel.setHomeNamespace(context, chosen);
    views.statusBar.update();
    return chosen;
  };
}
