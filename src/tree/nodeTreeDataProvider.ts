// The thin VS Code side of a tree: the model answers from memory, this turns its nodes into
// TreeItems (a coloured codicon per health, a `podscope:` resourceUri for the badge decoration)
// and builds the Markdown tooltip only when a row is hovered. It never throws into VS Code.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { decorationQuery, rowDecoration } from './model/rowDecoration';
import type { IconTone, NodeModel, TreeNode } from './model/treeNode';

export const DECORATION_SCHEME = 'podscope';

const TONE_COLORS: Record<Exclude<IconTone, 'plain'>, string> = {
  ok: 'charts.green',
  progressing: 'charts.blue',
  degraded: 'charts.yellow',
  failed: 'charts.red',
  unknown: 'disabledForeground',
};

/** The `podscope:` URI of a row: its id, and its badge and health as the row shows them now. */
export function decorationUri(node: TreeNode): vscode.Uri | undefined {
  const decoration = rowDecoration(node.data);
  if (!decoration) return undefined;
  return vscode.Uri.from({
    scheme: DECORATION_SCHEME,
    path: `/${encodeURIComponent(node.id)}`,
    query: decorationQuery(decoration),
  });
}

export class NodeTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode[] | undefined>();
  /** Each node's parent as last listed: TreeView.reveal walks up through getParent. */
  private readonly parents = new WeakMap<TreeNode, TreeNode>();
  private readonly subscription: { dispose(): void };

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    readonly model: NodeModel,
    private readonly log: Log,
  ) {
    this.subscription = model.onDidChange((nodes) => this.changed.fire(nodes));
  }

  getChildren(element?: TreeNode): TreeNode[] {
    try {
      if (!element) return this.model.roots();
      const children = this.model.children(element);
      for (const child of children) this.parents.set(child, element);
      return children;
    } catch (error) {
      this.log.error('Listing tree items failed:', error instanceof Error ? error : String(error));
      return [];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const data = node.data;
    const item = new vscode.TreeItem(
      data.label,
      !data.collapsible
        ? vscode.TreeItemCollapsibleState.None
        : data.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = node.id;
    item.description = data.description;
    item.contextValue = data.contextValue;
    item.iconPath =
      data.icon.tone === 'plain'
        ? new vscode.ThemeIcon(data.icon.id)
        : new vscode.ThemeIcon(data.icon.id, new vscode.ThemeColor(TONE_COLORS[data.icon.tone]));
    const uri = decorationUri(node);
    if (uri) item.resourceUri = uri;
    if (data.command) item.command = { ...data.command };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    try {
      const text = this.model.tooltip(node);
      // Cluster text is escaped by the model; untrusted, so no link can run a command.
      if (text) {
        const markdown = new vscode.MarkdownString(text);
        markdown.isTrusted = false;
        markdown.supportHtml = false;
        item.tooltip = markdown;
      }
    } catch (error) {
      this.log.error('Building a tooltip failed:', error instanceof Error ? error : String(error));
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
