// Dependents by controller uid (pods of a ReplicaSet, ReplicaSets of a Deployment, ...), kept
// current from store events, so that a controller finds its pods without scanning every pod in
// the namespace — the difference between milliseconds and seconds at ten thousand pods.
import type { KubeObject } from '../../kube/types';
import type { ObjectStore, StoreEvent } from '../objectStore';
import { controllerOf } from '../../kube/ownership';

const indexed = new Set(['Pod', 'ReplicaSet', 'Job']);

export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, { namespace?: string; name: string }>>();

  constructor(private readonly store: ObjectStore) {}

  /** Indexes what is already stored; call before subscribing `observe`. */
  rebuild(): void {
    this.byOwner.clear();
    for (const kind of indexed) for (const object of this.store.list(kind)) this.add(kind, object);
  }

  observe(event: StoreEvent): void {
    const kind = event.resource.kind;
    if (!indexed.has(kind)) return;
    if (event.oldObject) this.remove(kind, event.oldObject);
    if (event.type !== 'DELETED') this.add(kind, event.object);
  }

  /** The stored dependents of `owner` of `kind`. */
  owned<T extends KubeObject>(kind: string, owner: KubeObject): T[] {
    const entries = this.byOwner.get(`${kind}/${owner.metadata?.uid ?? ''}`);
    if (!entries) return [];
    const out: T[] = [];
    for (const { namespace, name } of entries.values()) {
      const object = this.store.get(kind, namespace, name);
      if (object && controllerOf(object)?.uid === owner.metadata?.uid) out.push(object as T);
    }
    return out;
  }

  private add(kind: string, object: KubeObject): void {
    const owner = controllerOf(object);
    if (!owner) return;
    const key = `${kind}/${owner.uid}`;
    let entries = this.byOwner.get(key);
    if (!entries) this.byOwner.set(key, (entries = new Map<string, { namespace?: string; name: string }>()));
    entries.set(object.metadata?.uid ?? '', {
      ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
      name: object.metadata?.name ?? '',
    });
  }

  private remove(kind: string, object: KubeObject): void {
    const owner = controllerOf(object);
    if (!owner) return;
    const key = `${kind}/${owner.uid}`;
    const entries = this.byOwner.get(key);
    entries?.delete(object.metadata?.uid ?? '');
    if (entries?.size === 0) this.byOwner.delete(key);
  }
}
