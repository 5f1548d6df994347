// `podscope.pod.describe` and `podscope.pod.events`: the live describe or events document of a
// pod or workload. Read-only and rendered from the live model, so they work in Restricted Mode
// for any context already open.
import * as vscode from 'vscode';
import type { KindName } from '../kube/clusterView';
import { DESCRIBE_SCHEME, EVENTS_SCHEME, liveDocumentUri } from '../host/liveDocumentUri';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget } from './kubeTargets';

export function podDescribe(
  deps: KubeCommandDeps,
): (arg?: unknown) => Promise<vscode.TextEditor | undefined> {
  return openLiveDocument(deps, 'Describe', DESCRIBE_SCHEME);
}

export function podEvents(deps: KubeCommandDeps): (arg?: unknown) => Promise<vscode.TextEditor | undefined> {
  return openLiveDocument(deps, 'Events', EVENTS_SCHEME);
}

function openLiveDocument(
  deps: KubeCommandDeps,
  title: string,
  scheme: string,
): (arg?: unknown) => Promise<vscode.TextEditor | undefined> {
  return async (arg) => {
    const found = await commandTarget(deps, title, arg, 'podOrWorkload');
    if (!found) return undefined;
    const { target } = found;
    if (target.context === undefined) {
      deps.prompts.notice(`Podscope: ${title} needs a context; the kubeconfig sets no current-context.`);
      return undefined;
    }
    const [kind, name] =
      found.type === 'pod' ? ['Pod', found.target.pod] : [found.target.kind, found.target.name];
    const uri = liveDocumentUri(scheme, {
      context: target.context,
      namespace: target.namespace,
      kind: kind as KindName,
      name,
    });
    const document = await vscode.workspace.openTextDocument(uri);
    // Not a preview tab: Events opened after Describe would replace it, and the two are read side by side.
    return vscode.window.showTextDocument(document, { preview: false });
  };
}
