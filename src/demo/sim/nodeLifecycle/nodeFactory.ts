// Node objects as a kubeadm cluster registers them (compare example 17): capacity and
// allocatable, the four kubelet conditions, addresses, nodeInfo, and the control-plane's
// `node-role.kubernetes.io/control-plane:NoSchedule` taint.
import type { Node } from '../../../kube/types';
import { rfc3339 } from '../../../kube/timeFormat';

export interface NodeShape {
  name: string;
  controlPlane?: boolean;
  cpu?: string;
  allocatableCpu?: string;
  memory?: string;
  allocatableMemory?: string;
  labels?: Record<string, string>;
}

export function healthyConditions(at: number): NonNullable<Node['status']>['conditions'] {
  const t = rfc3339(at);
  const c = (
    type: string,
    status: string,
    reason: string,
    message: string,
  ): {
    type: string;
    status: string;
    lastHeartbeatTime: string;
    lastTransitionTime: string;
    reason: string;
    message: string;
  } => ({
    type,
    status,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function makeNode(shape: NodeShape, index: number, at: number): Node {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': shape.name,
    'kubernetes.io/os': 'linux',
    ...(shape.controlPlane
      ? {
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        }
      : {}),
    ...(shape.labels ?? {}),
  };
  const spec: NonNullable<Node['spec']> = {
    podCIDR: `10.244.${index}.0/24`,
    podCIDRs: [`10.244.${index}.0/24`],
  };
  if (shape.controlPlane)
    spec.taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: shape.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec,
    status: {
      capacity: {
        cpu: shape.cpu ?? '4',
        'ephemeral-storage': '103678948Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: shape.memory ?? '8124Mi',
        pods: '110',
      },
      allocatable: {
        cpu: shape.allocatableCpu ?? '3920m',
        'ephemeral-storage': '95551679124',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: shape.allocatableMemory ?? '7901Mi',
        pods: '110',
      },
      conditions: healthyConditions(at),
      addresses: [
        { type: 'InternalIP', address: `10.0.${Math.floor(index / 250)}.${10 + (index % 250)}` },
        { type: 'Hostname', address: shape.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `0b9d2c1e-7f3a-4c55-9a1e-${String(index).padStart(12, '0')}`,
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.8.0-45-generic',
        kubeProxyVersion: 'v1.31.4',
        kubeletVersion: 'v1.31.4',
        machineID: `5d1c0a6f3e2b4c8d9a7f${String(index).padStart(12, '0')}`,
        operatingSystem: 'linux',
        osImage: 'Ubuntu 24.04.1 LTS',
        systemUUID: `ec2a4f0e-1b6d-4b3a-8c9d-${String(index).padStart(12, '0')}`,
      },
      images: [],
    },
  };
}

/** The demo layout: one tainted control-plane node and four workers, as in the seed's cluster. */
export const demoNodes: NodeShape[] = [
  { name: 'control-plane-1', controlPlane: true },
  { name: 'worker-1' },
  { name: 'worker-2' },
  { name: 'worker-3' },
  { name: 'worker-4' },
];
