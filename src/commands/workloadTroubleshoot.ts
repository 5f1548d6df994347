// `podscope.workload.troubleshoot`: seed 004's runbook for one workload (or pod) as a Markdown
// report, from the live model plus the crashed containers' previous logs, read through
// client-node. Opens beside the editor, in the Markdown preview.
import * as vscode from 'vscode';
import type { KindName } from '../kube/clusterView';
import type { LiveModel } from '../live/liveModel';
import { logsToRead, troubleshootReport } from '../live/troubleshootReport';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget } from './kubeTargets';

const LOG_LINES = 20;

export function workloadTroubleshoot(
  deps: KubeCommandDeps,
  model: LiveModel,
): (arg?: unknown) => Promise<vscode.TextDocument | undefined> {
  return async (arg) => {
    const found = await commandTarget(deps, 'Troubleshoot', arg, 'podOrWorkload');
    if (!found) return undefined;
    const { target } = found;
    const [kind, name] =
      found.type === 'pod'
        ? ['Pod' as KindName, found.target.pod]
        : [found.target.kind as KindName, found.target.name];
    const live = await model.open(target.context);
    await live.whenReady(30_000);
    const view = live.source;
    const logs = new Map<string, string[]>();
    await Promise.all(
      logsToRead(view, kind, target.namespace, name).map(async ({ pod, container, previous }) => {
        const key = `${pod}/${container}`;
        try {
          const text = await live.source.readLogs(target.namespace, pod, container, {
            previous,
            tailLines: LOG_LINES,
          });
          logs.set(
            key,
            text.split('\n').filter((l) => l.length > 0),
          );
        } catch (error) {
          logs.set(key, [
            `(logs could not be read: ${error instanceof Error ? error.message : String(error)})`,
          ]);
        }
      }),
    );
    const object = view.get(kind, target.namespace, name);
    const owner = { apiVersion: object?.apiVersion ?? '', kind, name, namespace: target.namespace };
    const content = troubleshootReport({
      view,
      context: live.name,
      kind,
      namespace: target.namespace,
      name,
      findings: kind === 'Pod' ? live.findingsAbout('Pod', target.namespace, name) : live.findingsOf(owner),
      logs,
    });
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
    return document;
  };
}
