// The pod or workload a manifest describes at a cursor, so the editor's context menu can run the
// same commands as the tree. Context and kubeconfig stay open: a file does not say where it runs.
import { formatLabelSelector } from '../kube/labelSelector';
import type { PodTarget, Unscoped, WorkloadTarget } from '../kube/kubeTarget';
import { logsResource } from '../kube/kubeTarget';
import type { LabelSelector, PodSpec } from '../kube/types';
import { objectDocuments, parseManifestFile } from './manifestDocument';

export type ManifestTarget =
  { type: 'pod'; target: Unscoped<PodTarget> } | { type: 'workload'; target: Unscoped<WorkloadTarget> };

export function manifestTargetAt(
  text: string,
  offset: number,
  fileName?: string,
): ManifestTarget | undefined {
  const file = parseManifestFile(text, fileName !== undefined ? { fileName } : {});
  const doc = objectDocuments(file).find((d) => d.start <= offset && offset <= d.end);
  if (!doc) return undefined;
  const { kind, name, namespace } = doc.identity;
  const scope = namespace !== undefined ? { namespace } : {};
  if (kind === 'Pod') {
    const spec = doc.object['spec'] as PodSpec | undefined;
    const containers = (spec?.containers ?? []).map((c) => c.name).filter((n) => typeof n === 'string');
    return { type: 'pod', target: { ...scope, pod: name, containers } };
  }
  if (logsResource(kind) === undefined) return undefined;
  const spec = doc.object['spec'] as { selector?: LabelSelector } | undefined;
  const selector = spec?.selector ? formatLabelSelector(spec.selector) : undefined;
  const usable = selector !== undefined && selector !== '<none>' && selector !== '<error>';
  return { type: 'workload', target: { ...scope, kind, name, ...(usable ? { selector } : {}) } };
}
