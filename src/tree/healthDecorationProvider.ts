// Per-row badges, as vscode-pull-request-github decorates its PR nodes: each health row carries a
// `podscope:` resourceUri, and this provider answers with the badge (a failing count, or `!`) and
// the label colour. Changes follow the tree model's, for the fired rows and everything under them.
import * as vscode from 'vscode';
import type { ClustersTreeModel } from './model/clustersTreeModel';
import type { TreeNode } from './model/treeNode';
import { DECORATION_SCHEME, decorationUri } from './nodeTreeDataProvider';

export class HealthDecorationProvider implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  private readonly subscription: { dispose(): void };

  readonly onDidChangeFileDecorations = this.changed.event;

  constructor(private readonly model: ClustersTreeModel) {
    this.subscription = model.onDidChange((nodes) =>
      this.changed.fire(nodes ? this.urisUnder(nodes) : undefined),
    );
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== DECORATION_SCHEME) return undefined;
    const node = this.model.node(decodeURIComponent(uri.path.slice(1)));
    const data = node?.data;
    if (!data?.health) return undefined;
    const color =
      data.health === 'failed'
        ? new vscode.ThemeColor('list.errorForeground')
        : data.health === 'degraded'
          ? new vscode.ThemeColor('list.warningForeground')
          : undefined;
    if (!data.badge && !color) return undefined;
    return new vscode.FileDecoration(data.badge, data.healthSummary, color);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private urisUnder(nodes: readonly TreeNode[]): vscode.Uri[] {
    const prefixes = nodes.map((n) => `${n.id}/`);
    const under = this.model
      .shownNodes()
      .filter((n) => nodes.includes(n) || prefixes.some((p) => n.id.startsWith(p)));
    return under.map((n) => decorationUri(n));
  }
}
