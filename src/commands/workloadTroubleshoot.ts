// `podscope.workload.troubleshoot`: seed 004's runbook for one workload (or pod) as a read-only
// Markdown document (`podscope-report:`), rendered by the live documents provider and refreshed
// as the workload changes. The rendered preview opens in the active column, full width, because
// the report is tables and code blocks that wrap badly in a half-width split; the source stays as
// a tab behind it, which keeps the document open and so keeps the preview refreshing.
import * as vscode from 'vscode';
import type { KindName } from '../kube/clusterView';
import { liveDocumentUri, REPORT_SCHEME } from '../host/liveDocumentUri';
import type { LiveModel } from '../live/liveModel';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget } from './kubeTargets';

export function workloadTroubleshoot(
  deps: KubeCommandDeps,
  model: LiveModel,
): (arg?: unknown) => Promise<vscode.TextDocument | undefined> {
  return async (arg) => {
    const found = await commandTarget(deps, 'Troubleshoot', arg, 'podOrWorkload');
    if (!found) return undefined;
    const { target } = found;
    if (target.context === undefined) {
      deps.prompts.notice('Podscope: Troubleshoot needs a context; the kubeconfig sets no current-context.');
      return undefined;
    }
    const [kind, name] =
      found.type === 'pod' ? ['Pod', found.target.pod] : [found.target.kind, found.target.name];
    // Opened and listed first, so the document's first text is the report and not "Loading…".
    const live = await model.open(target.context);
    await live.whenReady(30_000);
    const uri = liveDocumentUri(REPORT_SCHEME, {
      context: target.context,
      namespace: target.namespace,
      kind: kind as KindName,
      name,
    });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
    return document;
  };
}
