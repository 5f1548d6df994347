// A Deployment `checkout` with two revisions for the catalog pods (owned by ReplicaSet
// checkout-6d8f7b9c5): revision 7 is the pods' own (failing) template, revision 6 ran fine.
import type { Container, KubeObject } from '../../../../src/kube/types';

export const DEPLOYMENT_UID = '1e09ff39-284d-5ba7-b67c-8bf68a10c0d2';
/** The uid the catalog pods' ownerReference gives ReplicaSet checkout-6d8f7b9c5. */
export const NEW_RS_UID = 'e1cc5be7-b81d-593d-b80b-20d5c5fdfe1a';

function replicaSet(
  name: string,
  uid: string,
  revision: string,
  containers: Container[],
  available: number,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'shop',
      uid,
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'checkout',
          uid: DEPLOYMENT_UID,
          controller: true,
        },
      ],
    },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'checkout' } }, spec: { containers } } },
    status: { replicas: available, readyReplicas: available, availableReplicas: available },
  };
}

/** Deployment + both ReplicaSets; `current` is revision 7 (the catalog pods'), `previous` revision 6. */
export function checkoutHistory(
  current: Container[],
  previous: Container[],
  progressing?: KubeObject['status'],
): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'checkout',
        namespace: 'shop',
        uid: DEPLOYMENT_UID,
        annotations: { 'deployment.kubernetes.io/revision': '7' },
      },
      spec: {
        replicas: 2,
        template: { metadata: { labels: { app: 'checkout' } }, spec: { containers: current } },
      },
      ...(progressing ? { status: progressing } : {}),
    },
    replicaSet('checkout-6d8f7b9c5', NEW_RS_UID, '7', current, 0),
    replicaSet('checkout-5c7b8d9f4', 'f6dfa497-3aeb-5057-9c5b-4f67a8175e93', '6', previous, 2),
  ];
}
