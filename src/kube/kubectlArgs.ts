// The exact kubectl argv of every terminal Podscope opens. Arrays, never a joined string: the
// terminal starts kubectl itself, so no shell ever parses a name, a path or a setting.
//
// Scope flags come right after the verb so they can never land after exec's `--`. Values that are
// free text (context names, file paths) use the `--flag=value` form, so a value starting with `-`
// stays a value; Kubernetes names cannot start with `-` (see kubeTarget.ts), so `-n ns` is safe.
import type { KubeScope, PodTarget, WorkloadTarget } from './kubeTarget';
import { logsResource, restartResource } from './kubeTarget';

export const DEFAULT_DEBUG_IMAGE = 'busybox';

/** kubectl debug's `--profile` values (kubectl 1.27+; `legacy` is its default until removed). */
export const DEBUG_PROFILES = [
  'legacy',
  'general',
  'baseline',
  'restricted',
  'netadmin',
  'sysadmin',
] as const;
export type DebugProfile = (typeof DEBUG_PROFILES)[number];

export function scopeArgs(scope: KubeScope): string[] {
  return [
    ...(scope.kubeconfig ? [`--kubeconfig=${scope.kubeconfig}`] : []),
    ...(scope.context ? [`--context=${scope.context}`] : []),
    '-n',
    scope.namespace,
  ];
}

function containerArgs(target: PodTarget): string[] {
  return target.container ? ['-c', target.container] : [];
}

/** `kubectl logs -f`: follows one container, or with `previous` prints the last terminated one. */
export function podLogsArgs(target: PodTarget, options: { previous?: boolean } = {}): string[] {
  // `--previous` with `-f` would end at once anyway (a dead container has no more lines); leaving
  // `-f` out makes the terminal say plainly that the output is complete.
  const mode = options.previous ? ['--previous'] : ['-f'];
  return ['logs', ...scopeArgs(target), ...mode, target.pod, ...containerArgs(target)];
}

/**
 * Logs of every container of a workload. With a selector, every pod's (`--prefix` tells the lines
 * apart); without, the one pod kubectl picks for `kind/name`.
 */
export function workloadLogsArgs(target: WorkloadTarget, options: { previous?: boolean } = {}): string[] {
  const mode = options.previous ? ['--previous'] : ['-f'];
  if (target.selector)
    return ['logs', ...scopeArgs(target), ...mode, '-l', target.selector, '--all-containers', '--prefix'];
  const resource = logsResource(target.kind);
  if (!resource) throw new RangeError(`kubectl logs cannot read a ${target.kind}`);
  return ['logs', ...scopeArgs(target), ...mode, `${resource}/${target.name}`, '--all-containers'];
}

/**
 * The POSIX sh program of `podExecArgs`: the first candidate shell the container has, replacing sh
 * so the terminal talks to it directly. The candidates arrive as arguments ("$@"), never as script
 * text, so a shell setting cannot inject commands.
 */
export const SHELL_PICKER =
  'for s in "$@"; do command -v "$s" >/dev/null 2>&1 && exec "$s"; done; ' +
  'echo "podscope: none of $* exists in this container; try Podscope: Debug Pod" >&2; exit 127';

/** The shells to try in order: the setting, then bash, then sh, each once. */
export function shellCandidates(setting: string | undefined): string[] {
  const wanted = [setting?.trim(), 'bash', 'sh'].filter((s): s is string => !!s);
  return [...new Set(wanted)];
}

/**
 * `kubectl exec -it` into the first shell the container has. The choice has to happen inside the
 * container (only it knows which shells exist); asking from outside would cost one exec round trip
 * per candidate. It needs /bin/sh, which every image with bash also has; an image without sh has no
 * shell to start, and the message points at an ephemeral debug container instead.
 */
export function podExecArgs(target: PodTarget, shellSetting?: string): string[] {
  return [
    'exec',
    ...scopeArgs(target),
    '-it',
    target.pod,
    ...containerArgs(target),
    '--',
    'sh',
    '-c',
    SHELL_PICKER,
    'podscope-shell',
    ...shellCandidates(shellSetting),
  ];
}

/**
 * `kubectl debug -it`: an ephemeral container sharing the target container's process namespace
 * (seed 004), for images with no shell. Without a container kubectl adds one that shares nothing.
 */
export function podDebugArgs(
  target: PodTarget,
  options: { image?: string; profile?: DebugProfile | undefined } = {},
): string[] {
  return [
    'debug',
    ...scopeArgs(target),
    '-it',
    target.pod,
    `--image=${options.image || DEFAULT_DEBUG_IMAGE}`,
    ...(target.container ? [`--target=${target.container}`] : []),
    ...(options.profile ? [`--profile=${options.profile}`] : []),
  ];
}

export interface PortPair {
  local: number;
  remote: number;
}

export function podPortForwardArgs(target: PodTarget, ports: PortPair): string[] {
  return ['port-forward', ...scopeArgs(target), `pod/${target.pod}`, `${ports.local}:${ports.remote}`];
}

/** `8080` forwards 8080 to 8080; `18080:8080` forwards local 18080 to the pod's 8080. */
export function parsePortPair(text: string): PortPair | string {
  const match = /^\s*(?:(\d+)\s*:\s*)?(\d+)\s*$/.exec(text);
  if (!match) return 'Enter a port (8080) or LOCAL:REMOTE (18080:8080)';
  const remote = Number(match[2]);
  const local = match[1] === undefined ? remote : Number(match[1]);
  for (const port of [local, remote]) if (port < 1 || port > 65535) return `${port} is not a port (1-65535)`;
  return { local, remote };
}

export function restartWorkloadArgs(target: WorkloadTarget): string[] {
  const resource = restartResource(target.kind);
  if (!resource) throw new RangeError(`kubectl rollout restart cannot restart a ${target.kind}`);
  return ['rollout', 'restart', ...scopeArgs(target), `${resource}/${target.name}`];
}

export function deletePodArgs(target: PodTarget): string[] {
  return ['delete', ...scopeArgs(target), 'pod', target.pod];
}
