import type * as vscode from 'vscode';
import { parsePortPair, podPortForwardArgs } from '../kube/kubectlArgs';
import type { KubeCommandDeps } from './kubeTargets';
import { commandTarget, refuseUntrusted } from './kubeTargets';

/** `podscope.pod.portForward`: asks the ports, then forwards for as long as the terminal lives. */
export function podPortForward(
  deps: KubeCommandDeps,
): (arg?: unknown) => Promise<vscode.Terminal | undefined> {
  return async (arg) => {
    if (refuseUntrusted(deps, 'Port Forward')) return undefined;
    const found = await commandTarget(deps, 'Port Forward', arg, 'pod');
    if (found?.type !== 'pod') return undefined;
    const pod = found.target;
    const validate = (text: string): string | undefined => {
      const ports = parsePortPair(text);
      return typeof ports === 'string' ? ports : undefined;
    };
    const answer = await deps.prompts.askPorts(pod.pod, validate);
    if (answer === undefined) return undefined;
    const ports = parsePortPair(answer);
    if (typeof ports === 'string') throw new Error(ports);
    return deps.terminals.open(
      `port-forward: ${pod.pod} ${ports.local}:${ports.remote}`,
      podPortForwardArgs(pod, ports),
    );
  };
}
