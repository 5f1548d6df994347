// A pod's containers paired with their statuses, and the field paths that select them. Findings
// select a container by name, never by list index (diagnose-contract.md).
import type { Container, ContainerStatus, Pod } from '../../kube/types';
import type { ContainerKind } from './eventText';

export interface PodContainer {
  kind: ContainerKind;
  name: string;
  spec: Container | undefined;
  status: ContainerStatus | undefined;
  /** `containers[name=app]`, relative to the pod spec. */
  path: string;
}

/** `containers[name=app]` / `initContainers[name=wait-for-db]`. */
export function containerPath(kind: ContainerKind, name: string): string {
  return `${kind}[name=${name}]`;
}

/** Init containers first (they run first), then regular containers; spec order, statuses matched by name. */
export function podContainers(pod: Pod): PodContainer[] {
  const result: PodContainer[] = [];
  const add = (
    kind: ContainerKind,
    specs: readonly Container[] | undefined,
    statuses: readonly ContainerStatus[] | undefined,
  ): void => {
    const seen = new Set<string>();
    for (const spec of specs ?? []) {
      seen.add(spec.name);
      const status = statuses?.find((s) => s.name === spec.name);
      result.push({ kind, name: spec.name, spec, status, path: containerPath(kind, spec.name) });
    }
    // A status without a spec entry (a stripped-down snapshot) still carries the failure.
    for (const status of statuses ?? []) {
      if (!seen.has(status.name))
        result.push({
          kind,
          name: status.name,
          spec: undefined,
          status,
          path: containerPath(kind, status.name),
        });
    }
  };
  add('initContainers', pod.spec?.initContainers, pod.status?.initContainerStatuses);
  add('containers', pod.spec?.containers, pod.status?.containerStatuses);
  return result;
}

/** Look one container up by kind and name. */
export function findContainer(pod: Pod, kind: ContainerKind, name: string): PodContainer | undefined {
  return podContainers(pod).find((c) => c.kind === kind && c.name === name);
}
