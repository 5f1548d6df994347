// The parts every finding shares: how its subject is named and how a pod-level finding is assembled.
import type { FailurePhase, Finding, FindingCode, FixSuggestion, Severity } from '../finding';
import type { ObjectRef } from '../../kube/objectRef';
import type { KubeObject } from '../../kube/types';
import type { PodContainer } from './podContainers';

const DEFAULT_API_VERSION: Record<string, string> = {
  Pod: 'v1',
  Service: 'v1',
  Node: 'v1',
  ReplicaSet: 'apps/v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/** The reference to a live object. `kind` fills in for snapshots that drop `kind` on list items. */
export function refOf(object: KubeObject, kind: string): ObjectRef {
  const actualKind = object.kind ?? kind;
  const ref: ObjectRef = {
    apiVersion: object.apiVersion ?? DEFAULT_API_VERSION[actualKind] ?? 'v1',
    kind: actualKind,
    name: object.metadata?.name ?? '',
  };
  if (object.metadata?.namespace !== undefined) ref.namespace = object.metadata.namespace;
  if (object.metadata?.uid !== undefined) ref.uid = object.metadata.uid;
  return ref;
}

export interface FindingParts {
  code: FindingCode;
  severity?: Severity;
  message: string;
  phase: FailurePhase;
  container?: PodContainer;
  paths: string[];
  evidence: string[];
  fixes?: FixSuggestion[];
  lastSeen?: string | undefined;
}

/** A finding about a pod, blamed on pod-spec paths. `workload` is filled in later by analyze.ts. */
export function podFinding(pod: KubeObject, parts: FindingParts): Finding {
  const finding: Finding = {
    code: parts.code,
    severity: parts.severity ?? 'error',
    message: parts.message,
    phase: parts.phase,
    subject: refOf(pod, 'Pod'),
    blame: { root: 'podSpec', paths: unique(parts.paths) },
    evidence: unique(parts.evidence.filter((e) => e.trim() !== '')),
    fixes: parts.fixes ?? [],
  };
  if (parts.container) finding.container = { name: parts.container.name, kind: parts.container.kind };
  if (parts.lastSeen) finding.lastSeen = parts.lastSeen;
  return finding;
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The newest of some RFC 3339 times (undefined and empty ignored). */
export function newest(...times: (string | null | undefined)[]): string | undefined {
  let result: string | undefined;
  for (const time of times) if (time && (result === undefined || time > result)) result = time;
  return result;
}

/** `parent.key`, or `parent["kubernetes.io/arch"]` for a key the path grammar would split (src/manifest/fieldPath.ts). */
export function childPath(parent: string, key: string): string {
  const segment = /^[^.[\]"]+$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === '' ? segment.replace(/^\./, '') : `${parent}${segment}`;
}
