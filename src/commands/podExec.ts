import type * as vscode from 'vscode';
import { podExecArgs } from '../kube/kubectlArgs';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, podLabel, refuseUntrusted, withContainer } from './kubeTargets';

/** `podscope.pod.exec`: a shell in a running container (the setting's, then bash, then sh). */
export function podExec(deps: KubeCommandDeps): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return async (arg) => {
    if (refuseUntrusted(deps, 'Open Shell')) return undefined;
    const found = await commandTarget(deps, 'Open Shell', arg, 'pod');
    if (found?.type !== 'pod') return undefined;
    const pod = await withContainer(deps, found.target);
    if (!pod) return undefined;
    return deps.terminals.open(`exec: ${podLabel(pod)}`, podExecArgs(pod, deps.config.shell));
  };
}
