import * as vscode from 'vscode';
import type { Prompts } from '../host/prompts';
import { parsePodTarget, parseWorkloadTarget } from '../kube/kubeTarget';

/**
 * `podscope.name.copy`: the pod's or workload's name to the clipboard. Read-only, so it works in
 * Restricted Mode, and it needs no context: the name is in the argument.
 */
export function copyName(prompts: Prompts): (arg?: unknown) => Promise<string | undefined> {
  return async (arg) => {
    const pod = parsePodTarget(arg);
    const workload = parseWorkloadTarget(arg);
    const name = typeof pod !== 'string' ? pod.pod : typeof workload !== 'string' ? workload.name : undefined;
    if (name === undefined) {
      prompts.notice('Podscope: Copy Name needs a pod or workload from the Podscope Clusters view.');
      return undefined;
    }
    await vscode.env.clipboard.writeText(name);
    return name;
  };
}
