// One open manifest file, diagnosed as the user types and as the cluster changes: the text is
// parsed incrementally (only documents whose text changed are parsed again), drift is computed
// once per (document, live object) pair, and findings are placed on this file's own text. The
// editor keeps one per open document; the bench drives it without VS Code.
import type { Finding } from '../analysis/finding';
import type { ClusterView, KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import type { ObjectRef } from '../kube/objectRef';
import { refKey } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';
import { objectDocuments, parseManifestFile } from '../manifest/manifestDocument';
import type { ManifestFile, ParseOptions } from '../manifest/manifestDocument';
import { describesObject, effectiveIdentity } from '../manifest/objectIdentity';
import { detectDrift } from './liveDrift';
import type { PlaceOptions, Placement } from './placeFindings';
import { placeOnDocument } from './placeFindings';

/** What a file is diagnosed against: one context's live objects and its current findings. */
export interface DiagnosisInput {
  view: ClusterView;
  /** The merged findings whose manifest is this object's (LiveContext.findingsOf). */
  findingsOf: (owner: ObjectRef) => readonly Finding[];
  /** Namespace of documents without one: the file's directive, the folder setting, the context's, `default`. */
  defaultNamespace: string;
}

export class FileDiagnosis {
  private manifest: ManifestFile | undefined;
  /**
   * Drift per document, keyed by its parsed object: an unchanged document keeps the same object
   * across re-parses (and reading it does not move the document's AST offsets, as its node would).
   */
  private readonly drift = new WeakMap<object, { live: KubeObject; findings: Finding[] }>();

  constructor(
    /** How the file is named in placements (a URI or path). */
    readonly file: string,
    private readonly options: Omit<ParseOptions, 'previous'> = {},
  ) {}

  /** The parse of the current text; documents whose text is unchanged are taken over, not parsed again. */
  setText(text: string): ManifestFile {
    if (this.manifest?.text === text) return this.manifest;
    this.manifest = parseManifestFile(text, {
      ...this.options,
      ...(this.manifest ? { previous: this.manifest } : {}),
    });
    return this.manifest;
  }

  get current(): ManifestFile | undefined {
    return this.manifest;
  }

  /** `Kind/namespace/name` of every object the file defines, to tell whether a cluster change concerns it. */
  objectKeys(defaultNamespace: string): Set<string> {
    const keys = new Set<string>();
    if (this.manifest)
      for (const document of objectDocuments(this.manifest))
        keys.add(refKey(effectiveIdentity(document.identity, defaultNamespace)));
    return keys;
  }

  /** The findings on this file's current text: the live model's, and drift of each document. */
  diagnose(input: DiagnosisInput): Placement[] {
    const manifest = this.manifest;
    if (!manifest) return [];
    const source = { file: this.file, manifest };
    const { view, defaultNamespace } = input;
    const liveObject = (ref: ObjectRef): KubeObject | undefined =>
      isKnownKind(ref.kind) ? view.get(ref.kind, ref.namespace, ref.name) : undefined;
    const options: PlaceOptions = { defaultNamespace, liveObject };
    const placements: Placement[] = [];
    for (const document of objectDocuments(manifest)) {
      const ref = effectiveIdentity(document.identity, defaultNamespace);
      for (const finding of input.findingsOf(ref)) {
        if (describesObject(document.identity, finding.workload ?? finding.subject, defaultNamespace))
          placements.push(placeOnDocument(source, document, finding, options));
      }
      const live = liveObject(ref);
      if (!live) continue;
      let drift = this.drift.get(document.object);
      if (drift?.live !== live) {
        drift = { live, findings: detectDrift(document.object, live) };
        this.drift.set(document.object, drift);
      }
      for (const finding of drift.findings)
        placements.push(placeOnDocument(source, document, finding, options));
    }
    return placements;
  }
}

function isKnownKind(kind: string): kind is KindName {
  return (KIND_NAMES as readonly string[]).includes(kind);
}
