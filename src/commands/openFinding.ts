// Selecting a finding: open the workload's manifest on the blamed line when the workspace defines
// it, else describe the object. The workspace is searched only now, on click, never per render.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { placeFindings } from '../live/placeFindings';
import { manifestsMentioning } from '../services/workspaceManifests';
import type { PodscopeViews } from '../tree/podscopeViews';
import type { TreeNode } from '../tree/model/treeNode';

export const DESCRIBE_COMMAND = 'podscope.pod.describe';

export function openFinding(views: PodscopeViews, log: Log): (node?: unknown) => Promise<void> {
  return async (node?: unknown) => {
    const info = node ? views.findingsModel.info(node as TreeNode) : undefined;
    if (!info) throw new Error('Select a finding in the Findings view');
    const { finding, owner } = info;
    const target = (node as TreeNode).target;
    const defaultNamespace = owner.namespace ?? 'default';
    for await (const { uri, source } of manifestsMentioning(owner.name, log)) {
      const [placement] = placeFindings([source], [finding], { defaultNamespace });
      if (!placement) continue;
      const { start, end } = placement.range;
      const document = await vscode.workspace.openTextDocument(uri);
      const range = new vscode.Range(start.line, start.character, end.line, end.character);
      await vscode.window.showTextDocument(document, { selection: range, preview: true });
      return;
    }
    await vscode.commands.executeCommand(DESCRIBE_COMMAND, target);
  };
}
