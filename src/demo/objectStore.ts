// The demo API server's storage, seen from inside the process. The HTTP layer serves it to
// kubectl and client-node; the simulated controllers, scheduler and kubelet read and write it
// directly. Every write bumps one global resourceVersion, as etcd's revision does.
import type { KubeObject } from '../kube/types';

/** A resource as the API names it, e.g. { group: 'apps', version: 'v1', resource: 'deployments' }. Core is group ''. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural lower-case name used in URLs. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  /** The object after the write; for DELETED, the last state with the deletion's resourceVersion. */
  object: KubeObject;
  /** The object before the write (MODIFIED, DELETED), so watchers can tell when a selector stops matching. */
  oldObject?: KubeObject;
}

export interface DeleteOptions {
  /** What happens to dependents (ownerReferences): deleted after the owner (Background, Foreground) or kept (Orphan). */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

export interface ObjectStore {
  /** The resource type serving this kind (`Pod`, `Deployment`, ...). */
  typeOf(kind: string): ResourceType | undefined;
  /** Stored objects are deep-frozen: structuredClone before editing, then write the copy back. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Ordered by namespace, then name, as etcd lists them. */
  list(kind: string, namespace?: string): KubeObject[];
  /** Fills uid, resourceVersion, creationTimestamp, generation and generateName; throws a StatusError (409) if it exists. */
  create(object: KubeObject): KubeObject;
  /**
   * Replaces the object, status included (the HTTP PUT handler keeps the old status itself, as the
   * main resource of a type with a /status subresource does). Bumps metadata.generation when `spec`
   * changed. Throws 404, or 409 on a stale resourceVersion if one is given.
   */
  update(object: KubeObject): KubeObject;
  /** Replaces only `status` (and `metadata.managedFields` when given), as the /status subresource does. */
  updateStatus(object: KubeObject): KubeObject;
  /** Deletes at once; garbage-collects dependents through ownerReferences (background propagation). */
  delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | undefined;
  /** Called synchronously after every committed write. Returns an unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /** The newest resourceVersion. */
  resourceVersion(): string;
}
