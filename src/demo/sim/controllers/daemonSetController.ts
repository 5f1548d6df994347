// The DaemonSet controller: one pod per node whose taints the pod tolerates (with the
// tolerations the controller adds itself) and whose labels match the template's selector,
// pinned by a matchFields node affinity as the real controller does since 1.12.
import type { DaemonSet, Node, Pod, Toleration } from '../../../kube/types';
import { podTemplateHash } from '../names';
import { isPodAvailable, isPodReady, isTerminal, writeStatus } from '../objects';
import { createPodFromTemplate } from './podFactory';
import { markForDeletion } from './replicaSetController';
import type { SimContext } from '../simContext';
import { matchesNodeAffinity } from '../scheduler/nodeAffinity';
import { untoleratedTaint } from '../../../kube/tolerations';

const component = 'daemonset-controller';

const daemonTolerations: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export class DaemonSetController {
  constructor(private readonly ctx: SimContext) {}

  reconcile(namespace: string, name: string): void {
    const ds: DaemonSet | undefined = this.ctx.store.get('DaemonSet', namespace, name);
    if (!ds || ds.metadata?.deletionTimestamp) return;
    const now = this.ctx.clock.now();
    const tolerations = [...(ds.spec?.template?.spec?.tolerations ?? []), ...daemonTolerations];
    const probe: Pod = { spec: { ...(ds.spec?.template?.spec ?? { containers: [] }), tolerations } };
    const nodes = (this.ctx.store.list('Node') as Node[]).filter(
      (n) => !untoleratedTaint(n, tolerations) && matchesNodeAffinity(probe, n),
    );
    const pods = this.ctx.owners.owned<Pod>('Pod', ds).filter((p) => !p.metadata?.deletionTimestamp);
    const hash = podTemplateHash(ds.spec?.template ?? {});
    for (const node of nodes) {
      const nodeName = node.metadata?.name ?? '';
      const mine = pods.filter((p) => targetNode(p) === nodeName);
      const live = mine.filter((p) => !isTerminal(p));
      for (const dead of mine.filter(isTerminal)) markForDeletion(this.ctx, dead);
      if (live.length > 0) continue;
      const result = createPodFromTemplate(this.ctx, ds, ds.spec?.template, {
        component,
        labels: {
          'controller-revision-hash': hash,
          'pod-template-generation': String(ds.metadata?.generation ?? 1),
        },
        spec: {
          tolerations,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
                ],
              },
            },
          },
        },
      });
      if ('pod' in result)
        this.ctx.events.record(ds, {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${result.pod.metadata?.name}`,
          component,
        });
    }
    const eligible = new Set(nodes.map((n) => n.metadata?.name));
    for (const pod of pods) {
      if (!eligible.has(targetNode(pod))) {
        markForDeletion(this.ctx, pod);
        this.ctx.events.record(ds, {
          type: 'Normal',
          reason: 'SuccessfulDelete',
          message: `Deleted pod: ${pod.metadata?.name}`,
          component,
        });
      }
    }
    const current = this.ctx.owners
      .owned<Pod>('Pod', ds)
      .filter((p) => !isTerminal(p) && eligible.has(targetNode(p)));
    const ready = current.filter(isPodReady).length;
    const available = current.filter((p) => isPodAvailable(p, 0, now)).length;
    writeStatus(this.ctx.store, ds, {
      currentNumberScheduled: current.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: ds.metadata?.generation ?? 1,
      updatedNumberScheduled: current.length,
      numberAvailable: available,
      ...(nodes.length - available > 0 ? { numberUnavailable: nodes.length - available } : {}),
    });
  }
}

function targetNode(pod: Pod): string {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const affinity = pod.spec?.affinity as
    | {
        nodeAffinity?: {
          requiredDuringSchedulingIgnoredDuringExecution?: {
            nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[];
          };
        };
      }
    | undefined;
  return (
    affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]
      ?.matchFields?.[0]?.values?.[0] ?? ''
  );
}
