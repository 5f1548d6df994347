// What the apply flow shows and sends, without VS Code: the manifest document under the cursor,
// and the two sides of the dry-run diff as YAML (the live object, and what the server would
// store). Server-owned bookkeeping is left out of both sides, so the diff shows only what the
// apply changes, and Secret values never reach the screen.
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types';
import type { ManifestFile, ObjectDocument } from '../manifest/manifestDocument';
import { objectDocuments } from '../manifest/manifestDocument';

/** The object document that contains `offset`, else the file's only one. */
export function documentAt(manifest: ManifestFile, offset: number | undefined): ObjectDocument | undefined {
  const documents = objectDocuments(manifest);
  if (offset !== undefined) {
    const found = documents.find((d) => offset >= d.start && offset <= d.end);
    if (found) return found;
  }
  return documents.length === 1 ? documents[0] : undefined;
}

const NOISE = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The YAML shown on one side of the diff. `other` is the object on the other side: a Secret's
 * values are replaced by a marker that says only whether the value differs from the other side.
 */
export function previewText(object: KubeObject | undefined, other?: KubeObject): string {
  if (!object) return '';
  const shown = structuredClone(object) as Record<string, unknown> & KubeObject;
  delete shown['status'];
  const meta = shown.metadata;
  if (meta) {
    for (const key of NOISE) delete meta[key];
    const annotations = meta['annotations'];
    if (annotations) {
      delete annotations[LAST_APPLIED];
      if (Object.keys(annotations).length === 0) delete meta['annotations'];
    }
  }
  if (object.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const values = shown[field] as Record<string, string> | undefined;
      const theirs = other?.[field] as Record<string, string> | undefined;
      if (!values) continue;
      for (const key of Object.keys(values))
        values[key] = theirs && theirs[key] !== values[key] ? '<hidden, changed>' : '<hidden>';
    }
  }
  return stringify(shown, { lineWidth: 0 });
}
