import type * as vscode from 'vscode';
import type { KubeCommandDeps } from './kubeTargets';
import { podLogs } from './podLogs';

/** `podscope.pod.logsPrevious`: the last terminated container's output, what a crash left behind. */
export function podLogsPrevious(
  deps: KubeCommandDeps,
): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return podLogs(deps, { previous: true });
}
