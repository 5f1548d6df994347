// Who controls an object: the chain of controller ownerReferences, Pod → ReplicaSet → Deployment,
// Pod → Job → CronJob, Pod → StatefulSet / DaemonSet. The top of the chain is the workload whose
// manifest a person edits, so findings blame it and the tree groups by it.
import type { ClusterView, KindName } from './clusterView';
import type { ObjectRef } from './objectRef';
import type { KubeObject, LabelSelector, OwnerReference, Pod } from './types';
import { matchesSelector } from './labelSelector';

/** Kinds whose objects can be looked up to keep climbing; other owners end the chain. */
const CLIMBABLE = new Set<string>(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

/** Owner chains are short (two links in core Kubernetes); this only guards against cycles. */
const MAX_DEPTH = 8;

/**
 * The managing controller: the ownerReference with `controller: true`. Objects owned without a
 * controller flag (garbage-collection owners only) have no controller, as in `metav1.GetControllerOf`.
 */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * The controllers above `object`, nearest first: `[ReplicaSet, Deployment]` for a Deployment's pod,
 * `[Job, CronJob]` for a CronJob's pod, `[]` for a bare pod. Each owner is looked up in the view
 * (same namespace, matching uid) to climb further; an owner that is missing from the view, has
 * another uid (deleted and recreated) or is of a kind the view does not hold still appears, from
 * its ownerReference, and ends the chain.
 */
export function ownerChain(view: ClusterView, object: KubeObject): ObjectRef[] {
  const chain: ObjectRef[] = [];
  const namespace = object.metadata?.namespace;
  let current: KubeObject | undefined = object;
  while (current && chain.length < MAX_DEPTH) {
    const ref = controllerOf(current);
    if (!ref) break;
    const link: ObjectRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
    if (namespace !== undefined) link.namespace = namespace;
    if (chain.some((c) => c.uid === ref.uid)) break;
    chain.push(link);
    current = CLIMBABLE.has(ref.kind) ? view.get(ref.kind as KindName, namespace, ref.name) : undefined;
    if (current?.metadata?.uid && ref.uid && current.metadata.uid !== ref.uid) current = undefined;
  }
  return chain;
}

/** The top controller of `object` (the last link of `ownerChain`), or undefined for a bare object. */
export function topController(view: ClusterView, object: KubeObject): ObjectRef | undefined {
  const chain = ownerChain(view, object);
  return chain[chain.length - 1];
}

/**
 * The pods a workload controls, through its intermediate controllers: a Deployment's pods via its
 * ReplicaSets, a CronJob's via its Jobs, the others directly. Matching is by controller uid, so a
 * pod adopted by another owner is not counted twice. Objects without a uid (hand-written
 * fixtures) fall back to the workload's label selector.
 */
export function controlledPods(view: ClusterView, workload: KubeObject, kind = workload.kind): Pod[] {
  const namespace = workload.metadata?.namespace;
  const uid = workload.metadata?.uid;
  const pods = view.list('Pod', namespace);
  if (!uid) {
    const selector = (workload['spec'] as { selector?: LabelSelector } | undefined)?.selector;
    return kind === 'CronJob' ? [] : pods.filter((pod) => matchesSelector(selector, pod.metadata?.labels));
  }
  const middle: KindName | undefined =
    kind === 'Deployment' ? 'ReplicaSet' : kind === 'CronJob' ? 'Job' : undefined;
  const owners = new Set<string>();
  if (middle) {
    for (const child of view.list(middle, namespace)) {
      const childUid = child.metadata?.uid;
      if (childUid && controllerOf(child)?.uid === uid) owners.add(childUid);
    }
  } else {
    owners.add(uid);
  }
  return pods.filter((pod) => {
    const ref = controllerOf(pod);
    return ref !== undefined && owners.has(ref.uid);
  });
}
