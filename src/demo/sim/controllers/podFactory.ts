// Creating a pod for a controller: template labels and annotations, the controller
// ownerReference, a generated name, then admission. A refusal becomes the controller's
// FailedCreate event (`Error creating: pods "x-" is forbidden: ...`).
import type { KubeObject, Pod, PodTemplateSpec } from '../../../kube/types';
import { AdmissionError, admitPod } from '../podAdmission';
import { randomSuffix } from '../names';
import { clone, controllerRef } from '../objects';
import type { SimContext } from '../simContext';

export interface PodCreateOptions {
  /** Fixed name (StatefulSet ordinals); otherwise generateName + 5 random characters. */
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  /** Extra spec fields (DaemonSet node affinity, hostname/subdomain). */
  spec?: Record<string, unknown>;
  component: string;
}

export type CreateResult = { pod: Pod } | { error: string };

export function createPodFromTemplate(
  ctx: SimContext,
  owner: KubeObject,
  template: PodTemplateSpec | undefined,
  options: PodCreateOptions,
): CreateResult {
  const ns = owner.metadata?.namespace ?? 'default';
  const generateName = options.generateName ?? `${owner.metadata?.name}-`;
  const name = options.name ?? `${generateName}${randomSuffix(5, ctx.random)}`;
  const metadata: Pod['metadata'] = {
    name,
    namespace: ns,
    labels: { ...(template?.metadata?.labels ?? {}), ...(options.labels ?? {}) },
    ownerReferences: [controllerRef(owner)],
  };
  if (!options.name) metadata.generateName = generateName;
  if (template?.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { ...clone(template?.spec ?? { containers: [] }), ...(options.spec ?? {}) },
  };
  let admitted: Pod;
  try {
    admitted = admitPod(
      ctx.store,
      { ...pod, metadata: { ...metadata, ...(options.name ? {} : { name: undefined }) } },
      ctx.random,
    );
    admitted.metadata = { ...admitted.metadata, name };
  } catch (err) {
    if (err instanceof AdmissionError) {
      const shown = options.name ?? generateName;
      const message = `pods ${JSON.stringify(shown)} is forbidden: ${err.reason}`;
      ctx.events.record(owner, {
        type: 'Warning',
        reason: 'FailedCreate',
        message: `Error creating: ${message}`,
        component: options.component,
      });
      return { error: message };
    }
    throw err;
  }
  const created = ctx.store.create(admitted) as Pod;
  return { pod: created };
}
