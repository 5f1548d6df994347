// Puts analysis findings on the manifest documents that define the objects they are about: the
// range of the blamed field and the fixes as edits. The editor shows them as squiggles; the CLI
// prints them in the contract's JSON shape (src/cli/report.ts).
import type { Finding, FixSuggestion } from '../analysis/finding';
import type { ObjectRef } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';
import { editsForChanges } from '../manifest/fieldEdits';
import type { TextEdit } from '../manifest/textEdit';
import { absolutePath, podSpecPath, resolveBlame, resolvePath, valueAt } from '../manifest/fieldPath';
import type { ResolvedField } from '../manifest/fieldPath';
import { objectDocuments } from '../manifest/manifestDocument';
import type { ManifestFile, ObjectDocument } from '../manifest/manifestDocument';
import { describesObject, effectiveIdentity } from '../manifest/objectIdentity';
import type { OffsetRange, Range } from '../manifest/positions';
import { renderMapLines } from '../manifest/yamlRender';
import { sameAsLive } from './liveDrift';

export interface ManifestSource {
  /** How the file is named in the output (a workspace-relative path or a URI). */
  file: string;
  manifest: ManifestFile;
}

/** A finding on one manifest document: where it goes and how its fixes edit the file. */
export interface Placement {
  finding: Finding;
  source: ManifestSource;
  document: ObjectDocument;
  /** The document's object with its namespace resolved. */
  object: ObjectRef;
  offsets: OffsetRange;
  /** `offsets` as 0-based lines and characters. */
  range: Range;
  /** The blamed path that was found (from the object's root); undefined when none was and the range is a fallback. */
  blamedPath: string | undefined;
  /** Fixes as offset edits on the file text, in the order of the finding's fixes (computed on first read). */
  readonly fixEdits: { title: string; edits: TextEdit[] }[];
  /** Fixes that could not be turned into edits here (the editor can still show them as advice). */
  readonly unavailableFixes: { title: string; reason: string }[];
  /**
   * Set when this file already says something else in the blamed field than the live object the
   * failure happened with (edited since, or another copy of the object): the finding is then shown
   * as information, "changed since the failure; apply to check", without the fixes that were
   * computed for the live value.
   */
  changedSinceFailure?: { live: string; file: string };
}

export interface PlaceOptions {
  /** Namespace of documents without `metadata.namespace`: --namespace, else the context's, else `default`. */
  defaultNamespace: string;
  /**
   * The live object a document describes (its namespace resolved), so a blamed field this file
   * has changed since the failure is told apart. Without it every finding is shown as found.
   */
  liveObject?: (ref: ObjectRef) => KubeObject | undefined;
}

/** Every placement of every finding: one per document that defines the finding's object (there may be several). */
export function placeFindings(
  sources: readonly ManifestSource[],
  findings: readonly Finding[],
  options: PlaceOptions,
): Placement[] {
  // Findings outnumber documents in a bad cluster; index documents by kind and name once.
  const byName = new Map<string, { source: ManifestSource; document: ObjectDocument }[]>();
  for (const source of sources) {
    for (const document of objectDocuments(source.manifest)) {
      const key = `${document.identity.kind}/${document.identity.name}`;
      byName.set(key, [...(byName.get(key) ?? []), { source, document }]);
    }
  }
  const placements: Placement[] = [];
  for (const finding of findings) {
    const target = finding.workload ?? finding.subject;
    for (const { source, document } of byName.get(`${target.kind}/${target.name}`) ?? []) {
      if (describesObject(document.identity, target, options.defaultNamespace)) {
        placements.push(placeOnDocument(source, document, finding, options));
      }
    }
  }
  return placements;
}

/**
 * The `skipped` entries of the CLI's JSON: whole files, and documents that are not objects Podscope
 * can match. Empty documents (a trailing `---`) are not worth a line.
 */
export function skippedEntries(sources: readonly ManifestSource[]): { file: string; reason: string }[] {
  const out: { file: string; reason: string }[] = [];
  for (const { file, manifest } of sources) {
    if (manifest.skip) {
      out.push({ file, reason: manifest.skip.reason });
      continue;
    }
    for (const document of manifest.documents) {
      if (document.status !== 'skipped' || document.skip.code === 'empty') continue;
      const line = manifest.lines.positionAt(document.start).line + 1;
      const item = document.itemIndex === undefined ? '' : ` item ${document.itemIndex + 1}`;
      out.push({
        file,
        reason: `document ${document.index + 1}${item} (line ${line}): ${document.skip.reason}`,
      });
    }
  }
  return out;
}

/** Documents whose object is not live (`isLive` answers for an identity with its namespace resolved): "not deployed". */
export function unmatchedDocuments(
  sources: readonly ManifestSource[],
  isLive: (ref: ObjectRef) => boolean,
  options: PlaceOptions,
): { source: ManifestSource; document: ObjectDocument; object: ObjectRef }[] {
  const out: { source: ManifestSource; document: ObjectDocument; object: ObjectRef }[] = [];
  for (const source of sources) {
    for (const document of objectDocuments(source.manifest)) {
      const object = effectiveIdentity(document.identity, options.defaultNamespace);
      if (!isLive(object)) out.push({ source, document, object });
    }
  }
  return out;
}

/** One finding on one document that defines its object (or, for `live-drift`, that it was computed for). */
export function placeOnDocument(
  source: ManifestSource,
  document: ObjectDocument,
  finding: Finding,
  options: PlaceOptions,
): Placement {
  const manifest = source.manifest;
  const found = locate(document, finding);
  const offsets = found?.field.range ?? firstLine(document);
  const object = effectiveIdentity(document.identity, options.defaultNamespace);
  const blamedPath = found?.precise ? found.field.absolutePath : undefined;
  const changed =
    blamedPath !== undefined && finding.code !== 'live-drift'
      ? changedSinceFailure(document, blamedPath, options.liveObject?.(object))
      : undefined;
  const shown = changed ? asChanged(finding, changed) : finding;
  let fixes: Pick<Placement, 'fixEdits' | 'unavailableFixes'> | undefined;
  const computeFixes = (): Pick<Placement, 'fixEdits' | 'unavailableFixes'> => {
    if (fixes) return fixes;
    fixes = { fixEdits: [], unavailableFixes: [] };
    for (const fix of shown.fixes) {
      const edits = fixToEdits(manifest, document, fix);
      if (typeof edits === 'string') fixes.unavailableFixes.push({ title: fix.title, reason: edits });
      else fixes.fixEdits.push({ title: fix.title, edits });
    }
    return fixes;
  };
  return {
    finding: shown,
    source,
    document,
    object,
    offsets,
    range: manifest.lines.rangeOf(offsets),
    blamedPath,
    // Fixes are edits computed from the text, which an editor needs only when the lightbulb opens.
    get fixEdits() {
      return computeFixes().fixEdits;
    },
    get unavailableFixes() {
      return computeFixes().unavailableFixes;
    },
    ...(changed ? { changedSinceFailure: changed } : {}),
  };
}

/** The blamed field's value here and live, when they differ. */
function changedSinceFailure(
  document: ObjectDocument,
  path: string,
  live: KubeObject | undefined,
): { live: string; file: string } | undefined {
  if (!live) return undefined;
  // A trimmed copy (a snapshot without the pod template) cannot tell: never call that a change.
  const podSpec = podSpecPath(document.identity.kind);
  if (
    podSpec !== undefined &&
    path.startsWith(`${podSpec}.`) &&
    !Array.isArray(valueAt(live, `${podSpec}.containers`))
  )
    return undefined;
  const here = valueAt(document.object, path);
  const there = valueAt(live, path);
  if (sameAsLive(here, there)) return undefined;
  return { live: shortValue(there), file: shortValue(here) };
}

function asChanged(finding: Finding, changed: { live: string; file: string }): Finding {
  return {
    ...finding,
    severity: 'info',
    message: `${finding.message}; changed since the failure (live: ${changed.live}, this file: ${changed.file}); apply to check`,
    fixes: [],
  };
}

function shortValue(value: unknown): string {
  if (value === undefined) return 'not set';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The blamed field, else the finding's container, else the pod spec key, else the object's name.
 * Object-rooted paths written for the subject are also tried on the workload that defines it
 * (a Pod's `spec.x` is the template's; a Job's `spec.x` in a CronJob is under `spec.jobTemplate`).
 */
function locate(
  document: ObjectDocument,
  finding: Finding,
): { field: ResolvedField; precise: boolean } | undefined {
  const kind = document.identity.kind;
  const subjectKind = finding.subject.kind;
  const blame = finding.blame;
  if (blame.root === 'object' && subjectKind !== kind) {
    const rebased = blame.paths
      .map((p) => rebase(subjectKind, kind, p))
      .filter((p): p is string => p !== undefined);
    const found = resolveBlame(document, { root: 'object', paths: rebased });
    if (found) return { field: found, precise: true };
  }
  const found = resolveBlame(document, blame);
  if (found) return { field: found, precise: true };
  const fallbacks: string[] = [];
  const podSpec = podSpecPath(kind);
  if (podSpec !== undefined) {
    if (finding.container)
      fallbacks.push(`${podSpec}.${finding.container.kind}[name=${finding.container.name}]`);
    fallbacks.push(podSpec);
  }
  fallbacks.push('metadata.name');
  for (const path of fallbacks) {
    const hit = resolvePath(document, path);
    if (hit) return { field: hit, precise: false };
  }
  return undefined;
}

function rebase(subjectKind: string, documentKind: string, path: string): string | undefined {
  if (!path.startsWith('spec.')) return undefined;
  const rest = path.slice('spec.'.length);
  if (subjectKind === 'Pod') return absolutePath(documentKind, 'podSpec', rest);
  if (subjectKind === 'Job' && documentKind === 'CronJob') return `spec.jobTemplate.spec.${rest}`;
  if (subjectKind === 'ReplicaSet' && documentKind === 'Deployment') return path;
  return undefined;
}

function fixToEdits(
  manifest: ManifestFile,
  document: ObjectDocument,
  fix: FixSuggestion,
): TextEdit[] | string {
  const result = editsForChanges(manifest, document, fix.changes);
  if (!result.ok) return result.reason;
  const edits = [...result.edits];
  const created = fix.create ?? [];
  if (created.length > 0) edits.push(appendDocuments(manifest, created));
  if (edits.length === 0) return 'nothing to change in this file';
  return edits;
}

/** New objects go at the end of the file as documents of their own, in the file's indentation. */
function appendDocuments(manifest: ManifestFile, objects: readonly KubeObject[]): TextEdit {
  const text = manifest.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = objects
    .map((o) => `---\n${renderMapLines(o as Record<string, unknown>, 0, manifest.style)}\n`)
    .join('');
  const lead = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return { start: text.length, end: text.length, newText: (lead + body).replace(/\n/g, eol) };
}

function firstLine(document: ObjectDocument): OffsetRange {
  const start = document.node.range?.[0] ?? document.start;
  const newline = document.text.indexOf('\n', start);
  return { start, end: newline === -1 ? document.text.length : newline };
}
