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
import type { ManifestSource, Placement } from './placeFindings';
import { placeFindings, skippedEntries, unmatchedDocuments } from './placeFindings';

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
  const findings = [...options.findings];
  for (const source of sources) {
    for (const document of objectDocuments(source.manifest)) {
      const live = liveObject(view, effectiveIdentity(document.identity, defaultNamespace));
      if (live) findings.push(...detectDrift(document.object, live));
    }
  }
  const place = { defaultNamespace };
  const notDeployed = unmatchedDocuments(sources, (ref) => liveObject(view, ref) !== undefined, place)
    .filter(({ object }) => isKnownKind(object.kind))
    .map(({ source, document, object }) => ({
      file: source.file,
      object,
      // The object's first line, not its `---` separator.
      line: source.manifest.lines.positionAt(document.node.range?.[0] ?? document.start).line,
    }));
  return {
    placements: placeFindings(sources, findings, place),
    skipped: skippedEntries(sources),
    notDeployed,
  };
}

function liveObject(view: ClusterView, ref: ObjectRef): ReturnType<ClusterView['get']> {
  return isKnownKind(ref.kind) ? view.get(ref.kind, ref.namespace, ref.name) : undefined;
}

function isKnownKind(kind: string): kind is KindName {
  return (KIND_NAMES as readonly string[]).includes(kind);
}
