import type * as vscode from 'vscode';
import { restartWorkloadArgs } from '../kube/kubectlArgs';
import { restartResource } from '../kube/kubeTarget';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, describeScope, refuseUntrusted } from './kubeTargets';

/** `podscope.workload.restart`: `kubectl rollout restart`, after a modal confirmation. */
export function workloadRestart(
  deps: KubeCommandDeps,
): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return async (arg) => {
    if (refuseUntrusted(deps, 'Restart Workload')) return undefined;
    const found = await commandTarget(deps, 'Restart Workload', arg, 'workload');
    if (found?.type !== 'workload') return undefined;
    const workload = found.target;
    const resource = restartResource(workload.kind);
    if (!resource) {
      deps.prompts.notice(
        `Podscope: a ${workload.kind} cannot be restarted; kubectl rollout restart takes a Deployment, StatefulSet or DaemonSet.`,
      );
      return undefined;
    }
    const confirmed = await deps.prompts.confirm(
      `Restart ${resource}/${workload.name}?`,
      `In ${describeScope(workload)}. Every pod is replaced, as the rollout strategy allows.`,
      'Restart',
    );
    if (!confirmed) return undefined;
    return deps.terminals.run(`restart: ${resource}/${workload.name}`, restartWorkloadArgs(workload));
  };
}
