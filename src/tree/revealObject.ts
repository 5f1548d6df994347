// Finds an object's row in the Clusters view by walking down from its context through its
// namespace, listing only what the walk passes (all from memory), so the view can reveal it.
import type { NodeTreeDataProvider } from './nodeTreeDataProvider';
import type { TreeNode } from './model/treeNode';

export interface ObjectLocation {
  context: string;
  namespace: string;
  kind: string;
  name: string;
}

export function findObjectNode(provider: NodeTreeDataProvider, where: ObjectLocation): TreeNode | undefined {
  const context = provider
    .getChildren()
    .find((n) => n.data.type === 'context' && n.context === where.context);
  if (!context) return undefined;
  const namespace = provider
    .getChildren(context)
    .find((n) => n.data.type === 'namespace' && n.namespace === where.namespace);
  if (!namespace) return undefined;
  for (const group of provider.getChildren(namespace)) {
    const found = provider.getChildren(group).find((n) => matches(n, where));
    if (found) return found;
  }
  return undefined;
}

function matches(node: TreeNode, where: ObjectLocation): boolean {
  if (where.kind === 'Pod') return node.pod === where.name;
  return node.kind === where.kind && node.name === where.name;
}
