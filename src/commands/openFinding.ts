// Selecting a finding: open the workload's manifest on the blamed line when the workspace defines
// it, else describe the object. The workspace is searched only now, on click, never per render.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { placeFindings } from '../live/placeFindings';
import type { ManifestSource } from '../live/placeFindings';
import { parseManifestFile } from '../manifest/manifestDocument';
import type { PodscopeViews } from '../tree/podscopeViews';
import type { TreeNode } from '../tree/model/treeNode';

export const DESCRIBE_COMMAND = 'podscope.pod.describe';
const MAX_FILES = 2000;

export function openFinding(views: PodscopeViews, log: Log): (node?: unknown) => Promise<void> {
  return async (node?: unknown) => {
    const info = node ? views.findingsModel.info(node as TreeNode) : undefined;
    if (!info) throw new Error('Select a finding in the Findings view');
    const { finding, owner } = info;
    const target = (node as TreeNode).target;
    const defaultNamespace = owner.namespace ?? 'default';
    const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', MAX_FILES);
    for (const uri of files) {
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (error) {
        log.warn(`Cannot read ${uri.fsPath}:`, error instanceof Error ? error.message : String(error));
        continue;
      }
      // Cheap test first: most YAML files in a workspace do not name this object.
      if (!text.includes(owner.name)) continue;
      const source: ManifestSource = {
        file: uri.toString(),
        manifest: parseManifestFile(text, { fileName: uri.fsPath }),
      };
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
