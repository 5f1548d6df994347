// A ClusterView over plain arrays: used for --snapshot files and tests. The live store keeps
// its own incremental indexes and implements ClusterView directly.
import type { ClusterView, KindMap, KindName } from './clusterView';
import { eventTime } from './eventShape';
import type { KubeEvent, KubeObject } from './types';

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

export class MemoryClusterView implements ClusterView {
  private readonly byKind = new Map<KindName, KubeObject[]>();
  private readonly byName = new Map<KindName, Map<string, KubeObject>>();
  private readonly byOwner = new Map<string, KubeObject[]>();
  private readonly eventsByObject = new Map<string, KubeEvent[]>();

  constructor(
    objects: Partial<{ [K in KindName]: readonly KindMap[K][] }>,
    private readonly clock: () => number = Date.now,
    private readonly unavailableKinds: ReadonlySet<KindName> = new Set(),
  ) {
    for (const [kind, items] of Object.entries(objects) as [KindName, KubeObject[]][]) {
      this.byKind.set(kind, [...items]);
      const names = new Map<string, KubeObject>();
      for (const item of items) {
        names.set(key(item.metadata?.namespace, item.metadata?.name ?? ''), item);
        const controller =
          item.metadata?.ownerReferences?.find((o) => o.controller) ?? item.metadata?.ownerReferences?.[0];
        if (controller) push(this.byOwner, controller.uid, item);
      }
      this.byName.set(kind, names);
    }
    const events = [...((objects.Event ?? []) as KubeEvent[])].sort((a, b) =>
      eventTime(a).localeCompare(eventTime(b)),
    );
    for (const event of events) {
      const o = event.involvedObject;
      push(this.eventsByObject, `${o.kind ?? ''}/${key(o.namespace, o.name ?? '')}`, event);
    }
  }

  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][] {
    const all = (this.byKind.get(kind) ?? []) as KindMap[K][];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    return this.byName.get(kind)?.get(key(namespace, name)) as KindMap[K] | undefined;
  }

  ownedBy(uid: string): readonly KubeObject[] {
    return this.byOwner.get(uid) ?? [];
  }

  eventsFor(kind: string, namespace: string | undefined, name: string): readonly KubeEvent[] {
    return this.eventsByObject.get(`${kind}/${key(namespace, name)}`) ?? [];
  }

  isUnavailable(kind: KindName): boolean {
    return this.unavailableKinds.has(kind);
  }

  now(): number {
    return this.clock();
  }
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list) list.push(value);
  else map.set(k, [value]);
}
