// Which live object a manifest document describes. Matching is by API group (not version: the
// file may say apps/v1beta2 for what the server serves as apps/v1), kind, namespace and name.
import type { ObjectRef } from '../kube/objectRef';
import type { ObjectIdentity } from './manifestDocument';

// Cluster-scoped kinds ignore any namespace a file gives them, as the API server does; the caller's
// default namespace must not be applied to them either.
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** The API group of an apiVersion: `apps` for `apps/v1`, `` for the core `v1`. */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** The identity with the namespace it gets when applied: the file's, else the default; none when cluster-scoped. */
export function effectiveIdentity(identity: ObjectIdentity, defaultNamespace: string): ObjectRef {
  const { apiVersion, kind, name } = identity;
  if (isClusterScoped(kind)) return { apiVersion, kind, name };
  return { apiVersion, kind, namespace: identity.namespace ?? defaultNamespace, name };
}

export function describesObject(identity: ObjectIdentity, ref: ObjectRef, defaultNamespace: string): boolean {
  if (identity.kind !== ref.kind || identity.name !== ref.name) return false;
  // A ref without apiVersion (some event involvedObjects) matches on kind alone.
  if (ref.apiVersion !== '' && apiGroup(identity.apiVersion) !== apiGroup(ref.apiVersion)) return false;
  if (isClusterScoped(identity.kind)) return true;
  return (identity.namespace ?? defaultNamespace) === (ref.namespace ?? defaultNamespace);
}
