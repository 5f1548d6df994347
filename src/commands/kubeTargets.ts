// What every pod and workload command shares: the Restricted Mode gate, turning the argument (a
// tree node, a plain object, or the manifest under the cursor) into a resolved target, and the
// container choice.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { Prompts } from '../host/prompts';
import type { Terminals } from '../host/terminals';
import type { KubeTarget, PodTarget, TargetResolver, Unscoped, WorkloadTarget } from '../kube/kubeTarget';
import { parsePodTarget, parseWorkloadTarget } from '../kube/kubeTarget';
import { manifestTargetAt } from '../manifest/manifestTarget';

export interface KubeCommandDeps {
  resolver: TargetResolver;
  terminals: Terminals;
  config: Config;
  prompts: Prompts;
  /** vscode.workspace.isTrusted, read per call: trust can be granted while the window is open. */
  isTrusted: () => boolean;
}

/**
 * kubectl runs the kubeconfig's exec credential plugins and, for exec and debug, code in the
 * cluster: nothing a workspace nobody vouched for should trigger.
 */
export function refuseUntrusted(deps: KubeCommandDeps, title: string): boolean {
  if (deps.isTrusted()) return false;
  deps.prompts.notice(
    `Podscope: ${title} is disabled in Restricted Mode because it starts kubectl, which can run the ` +
      `kubeconfig's credential plugins. Trust this workspace to use it.`,
  );
  return true;
}

export type CommandTarget = { type: 'pod'; target: PodTarget } | { type: 'workload'; target: WorkloadTarget };

const HOW_TO_SELECT =
  'Run it on a pod or workload in the Podscope Clusters view, on a Pod or workload manifest in the editor, ' +
  'or pass { namespace, pod, container? } or { namespace, kind, name }.';

/**
 * The target of a command, resolved; undefined after telling the user why there is none. Menus
 * pass the clicked node, the editor menu passes the file's URI (then the cursor's manifest counts).
 */
export async function commandTarget(
  deps: KubeCommandDeps,
  title: string,
  arg: unknown,
  accepts: 'pod' | 'podOrWorkload' | 'workload',
): Promise<CommandTarget | undefined> {
  const found = arg === undefined || arg instanceof vscode.Uri ? editorTarget() : parseArg(arg);
  if (found && typeof found !== 'string') {
    if (found.type === 'pod' && accepts !== 'workload')
      return { type: 'pod', target: await deps.resolver.resolve<PodTarget>(found.target) };
    if (found.type === 'workload' && accepts !== 'pod')
      return { type: 'workload', target: await deps.resolver.resolve<WorkloadTarget>(found.target) };
  }
  const want = accepts === 'pod' ? 'a pod' : accepts === 'workload' ? 'a workload' : 'a pod or workload';
  const why = typeof found === 'string' ? ` (${found})` : '';
  deps.prompts.notice(`Podscope: ${title} needs ${want}${why}. ${HOW_TO_SELECT}`);
  return undefined;
}

type Found =
  | { type: 'pod'; target: Unscoped<PodTarget> }
  | { type: 'workload'; target: Unscoped<WorkloadTarget> }
  | string
  | undefined;

function parseArg(arg: unknown): Found {
  // By value, not `'pod' in arg`: every Clusters row (a TreeNode) has a `pod` getter, undefined on
  // a workload's row, so testing the key took every workload row for a pod without a name.
  if (typeof arg === 'object' && arg !== null && (arg as { pod?: unknown }).pod !== undefined) {
    const pod = parsePodTarget(arg);
    return typeof pod === 'string' ? pod : { type: 'pod', target: pod };
  }
  const workload = parseWorkloadTarget(arg);
  return typeof workload === 'string' ? workload : { type: 'workload', target: workload };
}

function editorTarget(): Found {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') return undefined;
  const { document } = editor;
  return manifestTargetAt(document.getText(), document.offsetAt(editor.selection.active), document.fileName);
}

/**
 * The pod with a container settled: the given one, the only one, or the user's pick among several.
 * Undefined when the user dismissed the pick. Unknown containers leave `-c` out (kubectl's default).
 */
export async function withContainer(deps: KubeCommandDeps, pod: PodTarget): Promise<PodTarget | undefined> {
  if (pod.container) return pod;
  const containers = pod.containers ?? [];
  if (containers.length === 1) return { ...pod, container: containers[0]! };
  if (containers.length === 0) return pod;
  const container = await deps.prompts.pickContainer(pod.pod, containers);
  return container ? { ...pod, container } : undefined;
}

/** `pod` or `pod/container`, for terminal names. */
export function podLabel(pod: PodTarget): string {
  return pod.container ? `${pod.pod}/${pod.container}` : pod.pod;
}

export function describeScope(target: KubeTarget): string {
  return `namespace ${target.namespace}${target.context ? `, context ${target.context}` : ''}`;
}
