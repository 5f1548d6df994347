// The one output of analysis. The tree, the editor and the CLI all render these; the codes are
// the stable contract in shared/docs/diagnose-contract.md.
import type { Blame, FieldChange } from '../kube/fieldChange';
import type { ObjectRef } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';

export const FINDING_CODES = [
  'configmap-missing',
  'configmap-key-missing',
  'secret-missing',
  'secret-key-missing',
  'run-as-non-root',
  'image-not-found',
  'image-pull-unauthorized',
  'image-invalid',
  'image-never-pulled',
  'oom-killed',
  'crash-loop',
  'command-not-found',
  'liveness-probe-failed',
  'readiness-probe-failed',
  'startup-probe-failed',
  'insufficient-memory',
  'insufficient-cpu',
  'node-selector-mismatch',
  'untolerated-taint',
  'pvc-unbound',
  'evicted',
  'preempted',
  'node-not-ready',
  'init-container-failed',
  'rollout-stuck',
  'service-no-endpoints',
  'pod-create-forbidden',
  'job-backoff-exceeded',
  'memory-near-limit',
  'live-drift',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'error' | 'warning' | 'info';

/** Where the failure happens in a pod's life (seed 002): before containers exist, in init, or while running. */
export type FailurePhase = 'Preparation' | 'Initialization' | 'Run';

export interface FixSuggestion {
  title: string;
  changes: FieldChange[];
  /**
   * Objects the fix creates, e.g. the missing ConfigMap with the keys the pod reads (values left
   * empty for the user to fill in; never Secret values). A renderer that cannot create objects
   * (or write a new YAML document) shows the title as advice. Usually `changes` is empty then.
   */
  create?: KubeObject[];
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line a person reads first, e.g. `Container "app" was OOMKilled (limit 64Mi, exit code 137)`. */
  message: string;
  phase?: FailurePhase;
  /** The live object that shows the failure: a Pod, ReplicaSet, Deployment, Job or Service. */
  subject: ObjectRef;
  /** The top controller that owns the subject (Deployment, StatefulSet, DaemonSet, CronJob, Job): its manifest gets the squiggle. */
  workload?: ObjectRef;
  container?: { name: string; kind: 'containers' | 'initContainers' | 'ephemeralContainers' };
  blame: Blame;
  /** The cluster's own words (status messages, event messages, log lines), escape sequences stripped. */
  evidence: string[];
  fixes: FixSuggestion[];
  /** RFC 3339 time of the newest evidence, when known. */
  lastSeen?: string;
}
