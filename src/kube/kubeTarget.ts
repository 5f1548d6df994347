// What a pod or workload command acts on. The tree's nodes carry exactly these shapes, and other
// extensions, keybindings and tests pass them as plain objects, so they are checked at the door
// rather than trusted.

/** Where kubectl should look: both absent means kubectl's own defaults. */
export interface KubeScope {
  /** A kubeconfig context name; absent means the kubeconfig's current context. */
  context?: string;
  /** One kubeconfig file; absent means $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  namespace: string;
}

export interface PodTarget extends KubeScope {
  pod: string;
  /** The container to act on; when absent and `containers` has several, the user picks. */
  container?: string;
  /** The pod's app containers in spec order, when the caller knows them. */
  containers?: readonly string[];
}

export interface WorkloadTarget extends KubeScope {
  /** The Kubernetes kind, e.g. `Deployment`. */
  kind: string;
  name: string;
  /**
   * The workload's pod selector as `kubectl -l` takes it. With it, a workload's logs follow every
   * pod; without it kubectl follows the one pod it picks for `deployment/name`.
   */
  selector?: string;
}

export type KubeTarget = PodTarget | WorkloadTarget;

/**
 * Fills in what the caller left out: context and kubeconfig from the kubeconfig (or, once wired,
 * the live model), the namespace when a manifest names none, and the pod's containers when known.
 */
export interface TargetResolver {
  resolve<T extends KubeTarget>(target: Unscoped<T>): Promise<T>;
}

/** A target whose namespace may still be unknown (a manifest without `metadata.namespace`). */
export type Unscoped<T extends KubeTarget> = Omit<T, 'namespace'> & { namespace?: string };

export function isPodTarget(target: Unscoped<KubeTarget>): target is Unscoped<PodTarget> {
  return 'pod' in target;
}

/** The kinds `kubectl logs TYPE/NAME` accepts, by Kubernetes kind, as kubectl spells them. */
const LOGS_RESOURCE: Readonly<Record<string, string>> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  ReplicaSet: 'replicaset',
  Job: 'job',
  ReplicationController: 'replicationcontroller',
};

/** The kinds `kubectl rollout restart` accepts. */
const RESTART_RESOURCE: Readonly<Record<string, string>> = {
  Deployment: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

/** `deployment` for `Deployment`; undefined when `kubectl logs` cannot take the kind. */
export function logsResource(kind: string): string | undefined {
  return LOGS_RESOURCE[kind];
}

/** `deployment` for `Deployment`; undefined when `kubectl rollout restart` cannot take the kind. */
export function restartResource(kind: string): string | undefined {
  return RESTART_RESOURCE[kind];
}

/**
 * A pod target from an untyped command argument, or why it is not one. Names that start with `-`
 * are refused here too: kubectl would read them as flags.
 */
export function parsePodTarget(arg: unknown): Unscoped<PodTarget> | string {
  if (!isRecord(arg)) return 'no pod was given';
  const pod = optionalString(arg, 'pod');
  if (pod === undefined) return 'the argument has no `pod`';
  if (typeof pod !== 'string' || !isName(pod)) return `${show(pod)} is not a pod name`;
  const scope = parseScope(arg);
  if (typeof scope === 'string') return scope;
  const container = optionalString(arg, 'container');
  if (container !== undefined && (typeof container !== 'string' || !isName(container)))
    return `${show(container)} is not a container name`;
  const containers = arg['containers'];
  if (containers !== undefined && !isNameList(containers))
    return '`containers` must be a list of container names';
  return {
    ...scope,
    pod,
    ...(container !== undefined ? { container } : {}),
    ...(containers !== undefined ? { containers } : {}),
  };
}

/** A workload target from an untyped command argument, or why it is not one. */
export function parseWorkloadTarget(arg: unknown): Unscoped<WorkloadTarget> | string {
  if (!isRecord(arg)) return 'no workload was given';
  const kind = optionalString(arg, 'kind');
  const workload = optionalString(arg, 'name');
  if (typeof kind !== 'string' || typeof workload !== 'string')
    return 'the argument has no `kind` and `name`';
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return `${show(kind)} is not a kind`;
  if (!isName(workload)) return `${show(workload)} is not a workload name`;
  const scope = parseScope(arg);
  if (typeof scope === 'string') return scope;
  const selector = optionalString(arg, 'selector');
  if (selector !== undefined && typeof selector !== 'string') return '`selector` must be a string';
  return { ...scope, kind, name: workload, ...(selector !== undefined ? { selector } : {}) };
}

function parseScope(arg: Record<string, unknown>): Omit<Unscoped<PodTarget>, 'pod'> | string {
  const out: { context?: string; kubeconfig?: string; namespace?: string } = {};
  for (const key of ['context', 'kubeconfig', 'namespace'] as const) {
    const value = optionalString(arg, key);
    if (value === undefined) continue;
    if (typeof value !== 'string') return `\`${key}\` must be a string`;
    out[key] = value;
  }
  if (out.namespace !== undefined && !isName(out.namespace))
    return `${show(out.namespace)} is not a namespace name`;
  return out;
}

/** The field, with an empty string read as absent (a node may carry `container: ''`). */
function optionalString(arg: Record<string, unknown>, key: string): unknown {
  const value = arg[key];
  return value === '' ? undefined : value;
}

/** Object names are DNS labels or subdomains: never empty, never a leading `-`, no whitespace. */
function isName(value: string): boolean {
  return /^[a-z0-9][a-z0-9.-]*$/.test(value);
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && isName(v));
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
