// The StatefulSet controller: ordinal pods `<name>-0..N-1` created one at a time
// (OrderedReady: the next only once the previous is Running and Ready), a PVC per
// volumeClaimTemplate and ordinal, and the statefulset-controller's event texts.
import type { KubeObject, Pod, StatefulSet } from '../../../kube/types';
import { podTemplateHash } from '../names';
import { clone, isPodAvailable, isPodReady, isTerminal, writeStatus } from '../objects';
import { createPodFromTemplate } from './podFactory';
import { markForDeletion } from './replicaSetController';
import type { SimContext } from '../simContext';

const component = 'statefulset-controller';

export class StatefulSetController {
  constructor(private readonly ctx: SimContext) {}

  reconcile(namespace: string, name: string): void {
    const sts: StatefulSet | undefined = this.ctx.store.get('StatefulSet', namespace, name);
    if (!sts || sts.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const replicas = sts.spec?.replicas ?? 1;
    const revision = `${name}-${podTemplateHash(sts.spec?.template ?? {})}`;
    const pods = this.ctx.owners.owned<Pod>('Pod', sts);
    const parallel = sts.spec?.['podManagementPolicy'] === 'Parallel';
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      const existing = pods.find((p) => p.metadata?.name === podName);
      if (existing) {
        if (isTerminal(existing)) markForDeletion(this.ctx, existing);
        if (!parallel && !(existing.status?.phase === 'Running' && isPodReady(existing))) break;
        continue;
      }
      for (const claim of sts.spec?.volumeClaimTemplates ?? []) this.ensureClaim(sts, claim, podName);
      const volumes = [
        ...(sts.spec?.template?.spec?.volumes ?? []),
        ...(sts.spec?.volumeClaimTemplates ?? []).map((c) => ({
          name: c.metadata?.name ?? '',
          persistentVolumeClaim: { claimName: `${c.metadata?.name}-${podName}` },
        })),
      ];
      const result = createPodFromTemplate(this.ctx, sts, sts.spec?.template, {
        name: podName,
        component,
        labels: {
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': podName,
        },
        spec: {
          hostname: podName,
          ...(sts.spec?.serviceName ? { subdomain: sts.spec.serviceName } : {}),
          volumes,
        },
      });
      if ('error' in result) {
        this.ctx.events.record(sts, {
          type: 'Warning',
          reason: 'FailedCreate',
          message: `create Pod ${podName} in StatefulSet ${name} failed error: ${result.error}`,
          component,
        });
        break;
      }
      this.ctx.events.record(sts, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `create Pod ${podName} in StatefulSet ${name} successful`,
        component,
      });
      if (!parallel) break;
    }
    // Scale down from the highest ordinal.
    for (const pod of pods) {
      const ordinal = Number(pod.metadata?.name?.slice(name.length + 1));
      if (ordinal >= replicas && !pod.metadata?.deletionTimestamp) {
        markForDeletion(this.ctx, pod);
        this.ctx.events.record(sts, {
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `delete Pod ${pod.metadata?.name} in StatefulSet ${name} successful`,
          component,
        });
      }
    }
    const current = this.ctx.owners.owned<Pod>('Pod', sts).filter((p) => !isTerminal(p));
    writeStatus(this.ctx.store, sts, {
      observedGeneration: sts.metadata?.generation ?? 1,
      replicas: current.length,
      readyReplicas: current.filter(isPodReady).length,
      currentReplicas: current.length,
      updatedReplicas: current.length,
      availableReplicas: current.filter((p) => isPodAvailable(p, 0, now)).length,
      currentRevision: revision,
      updateRevision: revision,
      collisionCount: 0,
    });
  }

  private ensureClaim(sts: StatefulSet, template: KubeObject, podName: string): void {
    const claimName = `${template.metadata?.name}-${podName}`;
    const ns = sts.metadata?.namespace;
    if (this.ctx.store.get('PersistentVolumeClaim', ns, claimName)) return;
    const labels = { ...(sts.spec?.selector?.matchLabels ?? {}), ...(template.metadata?.labels ?? {}) };
    this.ctx.store.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claimName, namespace: ns, labels },
      spec: clone((template['spec'] as Record<string, unknown>) ?? {}),
      status: { phase: 'Pending' },
    });
    this.ctx.events.record(sts, {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `create Claim ${claimName} Pod ${podName} in StatefulSet ${sts.metadata?.name} success`,
      component,
    });
  }
}
