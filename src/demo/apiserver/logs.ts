// Container logs for `kubectl logs`: the LogSource hook the simulation implements, and the
// kubelet's checks and line formatting (tailLines, timestamps, previous) in front of it.
import type { Pod } from '../../kube/types';
import { badRequest } from './errors';

export interface LogLine {
  /** Simulated ms since the epoch when the container wrote the line. */
  time: number;
  /** Without the trailing newline. */
  text: string;
}

export interface LogRef {
  namespace: string;
  pod: string;
  container: string;
}

export interface LogSource {
  /**
   * Lines written so far by the current (previous: false) or the last terminated (previous: true)
   * instance of the container; undefined when that instance never existed.
   */
  lines(ref: LogRef, previous: boolean): LogLine[] | undefined;
  /** New lines of the current instance as they are written. Returns an unsubscribe function. */
  follow(ref: LogRef, onLine: (line: LogLine) => void): () => void;
}

export interface LogOptions {
  container?: string;
  previous: boolean;
  follow: boolean;
  tailLines?: number;
  timestamps: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

export function parseLogOptions(query: URLSearchParams): LogOptions {
  const flag = (name: string): boolean => query.get(name) === 'true' || query.get(name) === '1';
  const int = (name: string): number | undefined => {
    const v = query.get(name);
    return v === null || v === '' ? undefined : Number(v);
  };
  const container = query.get('container') ?? undefined;
  const tailLines = int('tailLines');
  const sinceSeconds = int('sinceSeconds');
  const limitBytes = int('limitBytes');
  return {
    ...(container ? { container } : {}),
    previous: flag('previous'),
    follow: flag('follow'),
    timestamps: flag('timestamps'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

/**
 * The container a log request is for, with the apiserver's error text when it is ambiguous or
 * unknown (ephemeral containers count, as `kubectl logs -c debugger-xyz` expects).
 */
export function resolveContainer(
  pod: Pod,
  requested: string | undefined,
): { name: string; kind: 'containers' | 'initContainers' | 'ephemeralContainers' } {
  const name = pod.metadata?.name ?? '';
  const regular = pod.spec?.containers ?? [];
  const init = pod.spec?.initContainers ?? [];
  const ephemeral = pod.spec?.ephemeralContainers ?? [];
  if (!requested) {
    if (regular.length === 1 && regular[0]) return { name: regular[0].name, kind: 'containers' };
    const defaultName = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    if (defaultName && regular.some((c) => c.name === defaultName))
      return { name: defaultName, kind: 'containers' };
    const list = (cs: { name: string }[]): string => `[${cs.map((c) => c.name).join(' ')}]`;
    let message = `a container name must be specified for pod ${name}, choose one of: ${list(regular)}`;
    if (init.length) message += ` or one of the init containers: ${list(init)}`;
    if (ephemeral.length) message += ` or one of the ephemeral containers: ${list(ephemeral)}`;
    throw badRequest(message);
  }
  if (regular.some((c) => c.name === requested)) return { name: requested, kind: 'containers' };
  if (init.some((c) => c.name === requested)) return { name: requested, kind: 'initContainers' };
  if (ephemeral.some((c) => c.name === requested)) return { name: requested, kind: 'ephemeralContainers' };
  throw badRequest(`container ${requested} is not valid for pod ${name}`);
}

/** The kubelet's refusals: a container that has not started, or no previous instance. */
export function checkLogsAvailable(pod: Pod, container: string, previous: boolean): void {
  const name = pod.metadata?.name ?? '';
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const status = statuses.find((s) => s.name === container);
  if (previous) {
    if (!status?.lastState?.terminated)
      throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return;
  }
  const waiting = status?.state?.waiting;
  if (!status || (waiting && !status.lastState?.terminated)) {
    const reason = waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
  }
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines under `timestamps=true`. */
export function logTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

export function formatLine(line: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${logTimestamp(line.time)} ` : ''}${line.text}\n`;
}

export function selectLines(lines: LogLine[], options: LogOptions, now: number): LogLine[] {
  let out = lines;
  if (options.sinceSeconds !== undefined) {
    const since = now - options.sinceSeconds * 1000;
    out = out.filter((l) => l.time >= since);
  }
  if (options.tailLines !== undefined && options.tailLines >= 0)
    out = options.tailLines === 0 ? [] : out.slice(-options.tailLines);
  return out;
}
