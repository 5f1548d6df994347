// Reading Podscope's views and editor features through VS Code's API, as extension-host tests do.
import * as vscode from 'vscode';
import type { NodeTreeDataProvider } from '../../../src/tree/nodeTreeDataProvider';
import type { TreeNode } from '../../../src/tree/model/treeNode';

export function labelOf(view: NodeTreeDataProvider, node: TreeNode): string {
  const { label } = view.getTreeItem(node);
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** The row at this label path, if every step is shown now; throws saying which step is missing. */
export function rowAt(view: NodeTreeDataProvider, path: readonly string[]): TreeNode | undefined {
  let nodes = view.getChildren();
  let node: TreeNode | undefined;
  for (const label of path) {
    node = nodes.find((n) => labelOf(view, n) === label);
    if (!node) throw new Error(`no "${label}" among ${nodes.map((n) => labelOf(view, n)).join(', ')}`);
    nodes = view.getChildren(node);
  }
  return node;
}

/** Every hover's text at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}
