import * as vscode from 'vscode';
import type { PodscopeViews } from '../tree/podscopeViews';

/** Asks for text and shows only workloads and pods whose names contain it. */
export function filterClusters(views: PodscopeViews): (text?: unknown) => Promise<void> {
  return async (text?: unknown) => {
    const value =
      typeof text === 'string'
        ? text
        : await vscode.window.showInputBox({
            title: 'Filter the Clusters view',
            prompt: 'Show workloads and pods whose names contain this text (empty: no filter)',
            value: views.clustersModel.filter ?? '',
          });
    if (value === undefined) return;
    views.clustersModel.setFilter(value);
    views.updateContextKeys();
  };
}
