// The whole path from a cluster view and some manifest files to placed findings: analysis, live
// drift for each deployed document, then placement on the blamed fields. The CLI runs it once;
// the editor runs it per open document.
import type { ClusterView, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import type { Finding } from '../analysis/finding';
import type { ObjectRef } from '../kube/objectRef';
import { detectDrift } from './liveDrift';
import { objectDocuments } from '../manifest/manifestDocument';
import { effectiveIdentity } from '../manifest/objectIdentity';
import type { ObjectDocument } from '../manifest/manifestDocument';
import { refKey } from '../kube/objectRef';
import type { ManifestSource, PlaceOptions, Placement } from './placeFindings';
import { placeFindings, placeOnDocument, skippedEntries, unmatchedDocuments } from './placeFindings';

export interface SkippedManifest {
  file: string;
  reason: string;
}

export interface ManifestDiagnosis {
  placements: Placement[];
  skipped: SkippedManifest[];
  /** Documents whose object the cluster does not have (not deployed yet, or another namespace). */
  notDeployed: { file: string; object: ObjectRef; line: number }[];
}

export interface DiagnoseManifestsOptions {
  defaultNamespace: string;
  /** The view's current findings: the live model's, or a snapshot's analysis. */
  findings: readonly Finding[];
}

export function diagnoseManifests(
  view: ClusterView,
  sources: readonly ManifestSource[],
  options: DiagnoseManifestsOptions,
): ManifestDiagnosis {
  const { defaultNamespace } = options;
  const place = { defaultNamespace, liveObject: (ref: ObjectRef) => liveObject(view, ref) };
  const placements = placeFindings(sources, options.findings, place);
  placements.push(...driftPlacements(view, sources, place));
  const notDeployed = unmatchedDocuments(sources, (ref) => liveObject(view, ref) !== undefined, place)
    .filter(({ object }) => isKnownKind(object.kind))
    .map(({ source, document, object }) => ({
      file: source.file,
      object,
      // The object's first line, not its `---` separator.
      line: source.manifest.lines.positionAt(document.node.range?.[0] ?? document.start).line,
    }));
  return { placements, skipped: skippedEntries(sources), notDeployed };
}

/**
 * `live-drift` of each document against the live object, placed on that document only: two files
 * defining one object (a fixed copy beside the original) each get the differences of their own
 * text. When several files define it, the one that matches the live object is named.
 */
export function driftPlacements(
  view: ClusterView,
  sources: readonly ManifestSource[],
  options: PlaceOptions,
): Placement[] {
  const byObject = new Map<
    string,
    { source: ManifestSource; document: ObjectDocument; drift: Finding[] }[]
  >();
  for (const source of sources) {
    for (const document of objectDocuments(source.manifest)) {
      const ref = effectiveIdentity(document.identity, options.defaultNamespace);
      const live = liveObject(view, ref);
      if (!live) continue;
      const key = refKey(ref);
      const entry = { source, document, drift: detectDrift(document.object, live) };
      byObject.set(key, [...(byObject.get(key) ?? []), entry]);
    }
  }
  const placements: Placement[] = [];
  for (const copies of byObject.values()) {
    const note = appliedFromNote(copies);
    for (const { source, document, drift } of copies) {
      for (const finding of drift) {
        const withNote = note ? { ...finding, evidence: [...finding.evidence, note] } : finding;
        placements.push(placeOnDocument(source, document, withNote, options));
      }
    }
  }
  return placements;
}

/** Which of several documents defining one live object it was applied from: the ones without drift. */
export function appliedFromNote(
  copies: readonly { source: ManifestSource; document: ObjectDocument; drift: readonly Finding[] }[],
): string | undefined {
  if (copies.length < 2) return undefined;
  const where = ({ source, document }: { source: ManifestSource; document: ObjectDocument }): string =>
    `${source.file}:${source.manifest.lines.positionAt(document.node.range?.[0] ?? document.start).line + 1}`;
  const matching = copies.filter((c) => c.drift.length === 0).map(where);
  if (matching.length === 0)
    return `${copies.length} files define this object and none matches the live one: ${copies.map(where).join(', ')}`;
  return `the live object matches ${matching.join(', ')} (applied from ${matching.length > 1 ? 'one of them' : 'there'}, most likely)`;
}

function liveObject(view: ClusterView, ref: ObjectRef): ReturnType<ClusterView['get']> {
  return isKnownKind(ref.kind) ? view.get(ref.kind, ref.namespace, ref.name) : undefined;
}

function isKnownKind(kind: string): kind is KindName {
  return (KIND_NAMES as readonly string[]).includes(kind);
}
