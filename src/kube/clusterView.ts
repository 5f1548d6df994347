// What analysis may ask of a cluster. The live store (src/cluster/), saved snapshots (CLI
// --snapshot) and test fixtures all answer through this one read-only interface.
import type {
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Job,
  KeyedObject,
  KubeEvent,
  KubeObject,
  Node,
  PersistentVolumeClaim,
  Pod,
  PriorityClass,
  ReplicaSet,
  Service,
  StatefulSet,
} from './types';

export interface KindMap {
  Pod: Pod;
  Event: KubeEvent;
  ReplicaSet: ReplicaSet;
  Deployment: Deployment;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  Job: Job;
  CronJob: CronJob;
  Node: Node;
  ConfigMap: KeyedObject;
  Secret: KeyedObject;
  PersistentVolumeClaim: PersistentVolumeClaim;
  Service: Service;
  EndpointSlice: EndpointSlice;
  PriorityClass: PriorityClass;
}

export type KindName = keyof KindMap;

export const KIND_NAMES: readonly KindName[] = [
  'Pod',
  'Event',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Node',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'EndpointSlice',
  'PriorityClass',
];

export const CLUSTER_SCOPED: ReadonlySet<KindName> = new Set<KindName>(['Node', 'PriorityClass']);

export interface ClusterView {
  /** All objects of a kind, or of a kind in one namespace. */
  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][];
  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined;
  /** Objects whose controller ownerReference points at this uid. */
  ownedBy(uid: string): readonly KubeObject[];
  /** Events whose involvedObject is this object, oldest first. */
  eventsFor(kind: string, namespace: string | undefined, name: string): readonly KubeEvent[];
  /**
   * True when this kind could not be read (RBAC), so analysis says "could not check"
   * rather than "missing".
   */
  isUnavailable(kind: KindName, namespace?: string): boolean;
  /** The clock analysis measures ages against, in ms since the epoch. */
  now(): number;
}
