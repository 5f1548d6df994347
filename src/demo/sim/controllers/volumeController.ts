// The persistentvolume-controller in brief: a claim whose StorageClass exists (or the default
// one) gets a dynamically provisioned PV and is Bound; a claim without any gets the real
// FailedBinding / ProvisioningFailed events and stays Pending, keeping its pods unschedulable.
import type { KubeObject, PersistentVolumeClaim } from '../../../kube/types';
import { hexId } from '../names';
import { writeStatus } from '../objects';
import type { SimContext } from '../simContext';

const component = 'persistentvolume-controller';

export class VolumeController {
  constructor(private readonly ctx: SimContext) {}

  reconcile(namespace: string, name: string): void {
    const pvc: PersistentVolumeClaim | undefined = this.ctx.store.get(
      'PersistentVolumeClaim',
      namespace,
      name,
    );
    if (!pvc || pvc.status?.phase === 'Bound' || pvc.metadata?.deletionTimestamp) return;
    // Without a served StorageClass kind, the demo behaves like kind/k3s: a default `standard` class.
    const served = this.ctx.store.typeOf('StorageClass') !== undefined;
    const classes = served
      ? this.ctx.store.list('StorageClass')
      : [{ metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete' }];
    const className =
      pvc.spec?.storageClassName ??
      classes.find(
        (c) => !served || c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      )?.metadata?.name;
    if (!className) {
      this.ctx.events.record(pvc, {
        type: 'Normal',
        reason: 'FailedBinding',
        message: 'no persistent volumes available for this claim and no storage class is set',
        component,
      });
      writeStatus(this.ctx.store, pvc, { phase: 'Pending' });
      return;
    }
    const sc = classes.find((c) => c.metadata?.name === className);
    if (!sc) {
      this.ctx.events.record(pvc, {
        type: 'Warning',
        reason: 'ProvisioningFailed',
        message: `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`,
        component,
      });
      writeStatus(this.ctx.store, pvc, { phase: 'Pending' });
      return;
    }
    const uid = pvc.metadata?.uid ?? hexId(32, this.ctx.random);
    const pvName = `pvc-${uid}`;
    const spec = pvc.spec as { resources?: { requests?: Record<string, string> }; accessModes?: string[] };
    const storage = spec.resources?.requests?.['storage'] ?? '1Gi';
    if (!this.ctx.store.get('PersistentVolume', undefined, pvName)) {
      const pv: KubeObject = {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: {
            'pv.kubernetes.io/provisioned-by':
              typeof sc['provisioner'] === 'string' ? sc['provisioner'] : 'rancher.io/local-path',
          },
        },
        spec: {
          capacity: { storage },
          accessModes: spec.accessModes ?? ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy:
            typeof sc['reclaimPolicy'] === 'string' ? sc['reclaimPolicy'] : 'Delete',
          storageClassName: className,
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace,
            name,
            uid: pvc.metadata?.uid,
          },
          hostPath: { path: `/var/lib/rancher/local-path/${pvName}`, type: 'DirectoryOrCreate' },
        },
      };
      const created = this.ctx.store.create(pv);
      this.ctx.store.updateStatus({ ...created, status: { phase: 'Bound' } });
    }
    const bound = this.ctx.store.update({
      ...pvc,
      spec: { ...pvc.spec, volumeName: pvName, storageClassName: className },
    }) as PersistentVolumeClaim;
    writeStatus(this.ctx.store, bound, {
      phase: 'Bound',
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage },
    });
  }
}
