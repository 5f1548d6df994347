import type * as vscode from 'vscode';
import { deletePodArgs } from '../kube/kubectlArgs';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, describeScope, refuseUntrusted } from './kubeTargets';

/** `podscope.pod.delete`, after a modal confirmation; the terminal shows kubectl waiting for it to go. */
export function podDelete(deps: KubeCommandDeps): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return async (arg) => {
    if (refuseUntrusted(deps, 'Delete Pod')) return undefined;
    const found = await commandTarget(deps, 'Delete Pod', arg, 'pod');
    if (found?.type !== 'pod') return undefined;
    const pod = found.target;
    const confirmed = await deps.prompts.confirm(
      `Delete pod ${pod.pod}?`,
      `In ${describeScope(pod)}. A pod owned by a controller is replaced; a bare pod is gone.`,
      'Delete',
    );
    if (!confirmed) return undefined;
    return deps.terminals.run(`delete: pod/${pod.pod}`, deletePodArgs(pod));
  };
}
