// What the controller-manager puts in every namespace: the `default` ServiceAccount (without it
// no pod is admitted) and the `kube-root-ca.crt` ConfigMap the kube-api-access volume projects.
import type { SimContext } from '../simContext';

const demoCa =
  '-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrM3Mtc2Vy\ndmVyLWNhQDE3MDAwMDAwMDAwHhcNMjUwNjEwMDkwMDAwWhcNMzUwNjA4MDkwMDAw\nWjAjMSEwHwYDVQQDDBhrM3Mtc2VydmVyLWNhQDE3MDAwMDAwMDAwWTATBgcqhkjO\n-----END CERTIFICATE-----\n';

export class NamespaceController {
  constructor(private readonly ctx: SimContext) {}

  reconcile(namespace: string): void {
    const ns = this.ctx.store.get('Namespace', undefined, namespace);
    if (!ns || ns.metadata?.deletionTimestamp) return;
    if (!this.ctx.store.get('ServiceAccount', namespace, 'default')) {
      this.ctx.store.create({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace },
      });
    }
    if (!this.ctx.store.get('ConfigMap', namespace, 'kube-root-ca.crt')) {
      this.ctx.store.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'kube-root-ca.crt',
          namespace,
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': demoCa },
      });
    }
    if (!ns['status']) this.ctx.store.updateStatus({ ...ns, status: { phase: 'Active' } });
  }
}
