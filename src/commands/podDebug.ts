import type * as vscode from 'vscode';
import { podDebugArgs } from '../kube/kubectlArgs';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, podLabel, refuseUntrusted, withContainer } from './kubeTargets';

/** `podscope.pod.debug`: an ephemeral container beside the target container, for shell-less images. */
export function podDebug(deps: KubeCommandDeps): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return async (arg) => {
    if (refuseUntrusted(deps, 'Debug Pod')) return undefined;
    const found = await commandTarget(deps, 'Debug Pod', arg, 'pod');
    if (found?.type !== 'pod') return undefined;
    const pod = await withContainer(deps, found.target);
    if (!pod) return undefined;
    const argv = podDebugArgs(pod, { image: deps.config.debugImage, profile: deps.config.debugProfile });
    return deps.terminals.open(`debug: ${podLabel(pod)}`, argv);
  };
}
