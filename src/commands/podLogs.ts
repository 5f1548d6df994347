import type * as vscode from 'vscode';
import { podLogsArgs, workloadLogsArgs } from '../kube/kubectlArgs';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, podLabel, refuseUntrusted, withContainer } from './kubeTargets';

/**
 * `podscope.pod.logs` (follow) and, with `previous`, `podscope.pod.logsPrevious`: one container of
 * a pod, or every container of a workload.
 */
export function podLogs(
  deps: KubeCommandDeps,
  options: { previous?: boolean } = {},
): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  const title = options.previous ? 'Previous Logs' : 'Follow Logs';
  const verb = options.previous ? 'logs --previous' : 'logs';
  // Previous logs end at once: a terminal that keeps them on screen after kubectl exits.
  const open = (name: string, argv: string[]): vscode.Terminal =>
    options.previous ? deps.terminals.run(name, argv) : deps.terminals.open(name, argv);
  return async (arg) => {
    if (refuseUntrusted(deps, title)) return undefined;
    const found = await commandTarget(deps, title, arg, 'podOrWorkload');
    if (!found) return undefined;
    if (found.type === 'workload') {
      const { target } = found;
      return open(`${verb}: ${target.kind.toLowerCase()}/${target.name}`, workloadLogsArgs(target, options));
    }
    const pod = await withContainer(deps, found.target);
    if (!pod) return undefined;
    return open(`${verb}: ${podLabel(pod)}`, podLogsArgs(pod, options));
  };
}
