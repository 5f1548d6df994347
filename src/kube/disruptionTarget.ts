// The DisruptionTarget pod condition (PodDisruptionConditions, GA in 1.31): whoever ends a pod
// that did not fail by itself says so on the pod first, so a Job's podFailurePolicy and
// `kubectl describe` can tell a preemption or an eviction from a crash.
import type { Condition } from './types';

/** The reasons k8s.io/api/core/v1 defines, one per component that disrupts pods. */
export type DisruptionReason =
  | 'PreemptionByScheduler'
  | 'DeletionByTaintManager'
  | 'EvictionByEvictionAPI'
  | 'DeletionByPodGC'
  | 'TerminationByKubelet';

export interface DisruptionTargetCondition extends Condition {
  type: 'DisruptionTarget';
  status: 'True';
  reason: DisruptionReason;
  message: string;
}

/** The condition to set, without timestamps: each writer keeps its own transition times. */
export function disruptionTarget(reason: DisruptionReason, message: string): DisruptionTargetCondition {
  return { type: 'DisruptionTarget', status: 'True', reason, message };
}
