// The current findings of one cluster, kept up to date object by object. A store change names the
// objects whose findings may change (analysis/reanalysis.affectedBy); only those are analyzed
// again, and only the workloads whose findings really changed are merged again. Readers (tree,
// diagnostics, CLI) get merged findings per workload without ever running the analysis themselves.
import type { AnalysisOptions } from '../analysis/analyze';
import { SEVERITY_RANK, analyzeObjects, mergeFindings, objectKeyString } from '../analysis/analyze';
import type { Finding } from '../analysis/finding';
import type { ObjectKey } from '../analysis/reanalysis';
import { affectedBy } from '../analysis/reanalysis';
import type { ClusterView, KindName } from '../kube/clusterView';
import type { ObjectRef } from '../kube/objectRef';
import { refKey } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';

/** Kinds whose objects carry findings of their own (see analyzeObject). */
const ANALYZED_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'Job', 'Service'] as const;

export interface ObjectChange {
  kind: KindName;
  /** For a deletion, the last state known. */
  object: KubeObject;
}

/** Which workloads (or bare subjects) now have different findings, by `Kind/namespace/name`. */
export interface FindingsDelta {
  owners: ObjectRef[];
}

export class FindingIndex {
  /** Raw (unmerged) findings per analyzed object. */
  private readonly byObject = new Map<string, Finding[]>();
  /** Owner key → the objects that contributed findings to it. */
  private readonly contributors = new Map<string, Set<string>>();
  private readonly owners = new Map<string, ObjectRef>();
  /** Owner key → merged findings; dropped when a contributor changes. */
  private readonly merged = new Map<string, Finding[]>();
  private sortedAll: Finding[] | undefined;

  constructor(
    private readonly view: ClusterView,
    private readonly options: () => AnalysisOptions = () => ({}),
  ) {}

  /** Analyzes every object of the view from scratch (after the first sync, or a relist). */
  rebuild(): FindingsDelta {
    const before = new Set(this.owners.keys());
    this.byObject.clear();
    this.contributors.clear();
    this.owners.clear();
    this.merged.clear();
    this.sortedAll = undefined;
    const keys: ObjectKey[] = [];
    for (const kind of ANALYZED_KINDS)
      for (const object of this.view.list(kind)) keys.push(keyOf(kind, object));
    const changed = this.store(analyzeObjects(this.view, keys, this.options()));
    for (const key of before) if (!this.owners.has(key)) changed.add(key);
    return this.delta(changed, before);
  }

  /** Re-analyzes what these store changes can affect (only the keys `accept` allows, when given). */
  update(changes: readonly ObjectChange[], accept?: (key: ObjectKey) => boolean): FindingsDelta {
    const keys: ObjectKey[] = [];
    for (const { kind, object } of changes) keys.push(...affectedBy(this.view, kind, object));
    return this.reanalyze(accept ? keys.filter(accept) : keys);
  }

  /** Analyzes every object of one namespace (it has just been listed ahead of the rest). */
  analyzeNamespace(namespace: string): FindingsDelta {
    const keys: ObjectKey[] = [];
    for (const kind of ANALYZED_KINDS)
      for (const object of this.view.list(kind, namespace)) keys.push(keyOf(kind, object));
    return this.reanalyze(keys);
  }

  /** Re-analyzes these objects (for example a pod whose crash logs just arrived). */
  reanalyze(keys: readonly ObjectKey[]): FindingsDelta {
    if (keys.length === 0) return { owners: [] };
    const before = new Set(this.owners.keys());
    return this.delta(this.store(analyzeObjects(this.view, keys, this.options())), before);
  }

  /** Every current finding, merged per workload, errors first. */
  all(): readonly Finding[] {
    if (!this.sortedAll) {
      const all: Finding[] = [];
      for (const key of this.contributors.keys()) all.push(...this.mergedFor(key));
      this.sortedAll = all.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    }
    return this.sortedAll;
  }

  /** The merged findings whose manifest is this object's: a workload, or a bare Pod/Service. */
  ofOwner(ref: ObjectRef): readonly Finding[] {
    return this.mergedFor(refKey(ref));
  }

  /** The unmerged findings about this one object (a pod's own, say, for its tree node). */
  about(kind: KindName, namespace: string | undefined, name: string): readonly Finding[] {
    return (
      this.byObject.get(objectKeyString({ kind, name, ...(namespace !== undefined ? { namespace } : {}) })) ??
      []
    );
  }

  /** Owners that have findings now. */
  ownerRefs(): ObjectRef[] {
    return [...this.owners.values()];
  }

  private mergedFor(ownerKey: string): Finding[] {
    let merged = this.merged.get(ownerKey);
    if (!merged) {
      const raw: Finding[] = [];
      for (const id of this.contributors.get(ownerKey) ?? []) raw.push(...(this.byObject.get(id) ?? []));
      merged = raw.length > 0 ? mergeFindings(raw) : [];
      this.merged.set(ownerKey, merged);
    }
    return merged;
  }

  /** Stores fresh results per object; returns the owner keys whose findings changed. */
  private store(results: Map<string, Finding[]>): Set<string> {
    const changed = new Set<string>();
    for (const [id, findings] of results) {
      const previous = this.byObject.get(id) ?? [];
      if (previous.length === 0 && findings.length === 0) continue;
      if (sameFindings(previous, findings)) continue;
      for (const f of previous) this.detach(ownerKeyOf(f), id, changed);
      if (findings.length > 0) this.byObject.set(id, findings);
      else this.byObject.delete(id);
      for (const f of findings) {
        const key = ownerKeyOf(f);
        let set = this.contributors.get(key);
        if (!set) this.contributors.set(key, (set = new Set()));
        set.add(id);
        this.owners.set(key, f.workload ?? f.subject);
        this.merged.delete(key);
        changed.add(key);
      }
    }
    if (changed.size > 0) this.sortedAll = undefined;
    return changed;
  }

  private detach(ownerKey: string, id: string, changed: Set<string>): void {
    const set = this.contributors.get(ownerKey);
    if (!set) return;
    set.delete(id);
    if (set.size === 0) {
      this.contributors.delete(ownerKey);
      this.owners.delete(ownerKey);
    }
    this.merged.delete(ownerKey);
    changed.add(ownerKey);
  }

  private delta(changed: Set<string>, before: Set<string>): FindingsDelta {
    const owners: ObjectRef[] = [];
    for (const key of changed) {
      const ref = this.owners.get(key) ?? (before.has(key) ? parseRefKey(key) : undefined);
      if (ref) owners.push(ref);
    }
    return { owners };
  }
}

function keyOf(kind: KindName, object: KubeObject): ObjectKey {
  const namespace = object.metadata?.namespace;
  return { kind, name: object.metadata?.name ?? '', ...(namespace !== undefined ? { namespace } : {}) };
}

function ownerKeyOf(finding: Finding): string {
  return refKey(finding.workload ?? finding.subject);
}

/** A removed owner is only known by its key now; the API version is not needed to name it. */
function parseRefKey(key: string): ObjectRef {
  const [kind = '', namespace = '', ...rest] = key.split('/');
  return { apiVersion: '', kind, name: rest.join('/'), ...(namespace ? { namespace } : {}) };
}

/** Nothing a reader would see differs (a re-analysis usually finds exactly what it found before). */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  const signature = (f: Finding): string =>
    [
      f.code,
      f.severity,
      f.blame.paths[0] ?? '',
      f.container?.name ?? '',
      ownerKeyOf(f),
      f.message,
      f.evidence.join('\n'),
    ].join('|');
  const left = a.map(signature).sort();
  const right = b.map(signature).sort();
  return left.every((s, i) => s === right[i]);
}
