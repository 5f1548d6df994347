// Wires the simulated control plane and nodes to the store: every committed write is routed to
// the controllers, the scheduler and the kubelet that care about it, through one work queue.
// Also the hooks the API server needs from the simulation: container logs and metrics.
import { eventTime } from '../../kube/eventShape';
import type { KubeEvent, KubeObject, Node, Pod, ReplicaSet } from '../../kube/types';
import type { Clock } from '../clock';
import type { ObjectStore, StoreEvent } from '../objectStore';
import { CronJobController } from './controllers/cronJobController';
import { DaemonSetController } from './controllers/daemonSetController';
import { DeploymentController } from './controllers/deploymentController';
import { EndpointsController } from './controllers/endpointsController';
import { EventRecorder } from './eventRecorder';
import { JobController } from './controllers/jobController';
import { Kubelet } from './kubelet/kubelet';
import { NamespaceController } from './controllers/namespaceController';
import { makeNode } from './nodeLifecycle/nodeFactory';
import type { NodeShape } from './nodeLifecycle/nodeFactory';
import { NodeLifecycle } from './nodeLifecycle/nodeLifecycle';
import { OwnerIndex } from './ownerIndex';
import { isTerminal } from './objects';
import { controllerOf } from '../../kube/ownership';
import { ReplicaSetController } from './controllers/replicaSetController';
import { Scheduler } from './scheduler/scheduler';
import type { SimContext } from './simContext';
import { StatefulSetController } from './controllers/statefulSetController';
import { VolumeController } from './controllers/volumeController';
import { WorkQueue } from './workQueue';

/** kube-apiserver's --event-ttl: events last an hour after their last occurrence. */
const eventTtlMs = 3600_000;
const eventTtlSweepMs = 10 * 60_000;

/** Node conditions carry a fresh lastHeartbeatTime this often (the kubelet's 5 min report). */
const heartbeatMs = 5 * 60_000;

function wasUnreachable(object: KubeObject | undefined): boolean {
  const node: Node | undefined = object;
  return (node?.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable');
}

export interface SimulationOptions {
  random?: () => number;
  /** Unschedulable pods are retried this often even without a cluster change. */
  schedulerRetryMs?: number;
  /** Called when a controller throws; the demo logs it, tests fail on it. */
  onError?: (key: string, error: unknown) => void;
}

export class Simulation {
  readonly ctx: SimContext;
  readonly scheduler: Scheduler;
  readonly nodes: NodeLifecycle;
  private readonly queue: WorkQueue;
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly replicaSets: ReplicaSetController;
  private readonly deployments: DeploymentController;
  private readonly statefulSets: StatefulSetController;
  private readonly daemonSets: DaemonSetController;
  private readonly jobs: JobController;
  private readonly cronJobs: CronJobController;
  readonly endpoints: EndpointsController;
  private readonly namespaces: NamespaceController;
  private readonly volumes: VolumeController;
  /** What the kubelet last acted on per pod: it ignores its own status writes. */
  private readonly podSignature = new Map<string, string>();
  private readonly attempted = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private periodic: { cancel(): void } | undefined;
  private heartbeats: { cancel(): void } | undefined;
  private eventTtlTimer: { cancel(): void } | undefined;
  private readonly retryMs: number;

  constructor(
    readonly store: ObjectStore,
    readonly clock: Clock,
    options: SimulationOptions = {},
  ) {
    const onError =
      options.onError ??
      ((key: string, error: unknown): void => {
        throw error instanceof Error ? new Error(`${key}: ${error.message}`, { cause: error }) : error;
      });
    this.queue = new WorkQueue(clock, onError);
    this.ctx = {
      store,
      clock,
      events: new EventRecorder(store, clock),
      random: options.random ?? Math.random,
      owners: new OwnerIndex(store),
    };
    this.retryMs = options.schedulerRetryMs ?? 60_000;
    this.scheduler = new Scheduler(this.ctx);
    this.nodes = new NodeLifecycle(
      this.ctx,
      () => this.retryScheduling(),
      (key, work) => this.queue.add(key, work),
    );
    const requeue =
      (kind: string, run: (ns: string, name: string) => void) => (ns: string, name: string, ms: number) =>
        this.queue.addAfter(`${kind}/${ns}/${name}`, () => run(ns, name), ms);
    this.replicaSets = new ReplicaSetController(
      this.ctx,
      requeue('ReplicaSet', (ns, n) => this.replicaSets.reconcile(ns, n)),
    );
    this.deployments = new DeploymentController(
      this.ctx,
      requeue('Deployment', (ns, n) => this.deployments.reconcile(ns, n)),
    );
    this.statefulSets = new StatefulSetController(this.ctx);
    this.daemonSets = new DaemonSetController(this.ctx);
    this.jobs = new JobController(
      this.ctx,
      requeue('Job', (ns, n) => this.jobs.reconcile(ns, n)),
    );
    this.cronJobs = new CronJobController(
      this.ctx,
      requeue('CronJob', (ns, n) => this.cronJobs.reconcile(ns, n)),
    );
    this.endpoints = new EndpointsController(this.ctx);
    this.namespaces = new NamespaceController(this.ctx);
    this.volumes = new VolumeController(this.ctx);
  }

  /** Subscribes to the store and reconciles everything already in it. */
  start(): void {
    if (this.unsubscribe) return;
    this.ctx.owners.rebuild();
    this.unsubscribe = this.store.subscribe((event) => {
      this.ctx.owners.observe(event);
      this.route(event);
    });
    for (const kind of [
      'Namespace',
      'Node',
      'PersistentVolumeClaim',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
      'DaemonSet',
      'Job',
      'CronJob',
      'Service',
      'Pod',
    ]) {
      for (const object of this.store.list(kind))
        this.route({ type: 'ADDED', resource: this.store.typeOf(kind)!, object });
    }
    const tick = (): void => {
      this.retryScheduling();
      this.periodic = this.clock.setTimer(this.retryMs, tick);
    };
    this.periodic = this.clock.setTimer(this.retryMs, tick);
    const expire = (): void => {
      this.queue.add('event-ttl', () => this.expireEvents());
      this.eventTtlTimer = this.clock.setTimer(eventTtlSweepMs, expire);
    };
    this.eventTtlTimer = this.clock.setTimer(eventTtlSweepMs, expire);
    const beat = (): void => {
      this.queue.add('heartbeat', () => this.nodes.heartbeat());
      this.heartbeats = this.clock.setTimer(heartbeatMs, beat);
    };
    this.heartbeats = this.clock.setTimer(heartbeatMs, beat);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.periodic?.cancel();
    this.heartbeats?.cancel();
    this.eventTtlTimer?.cancel();
    this.queue.stop();
    for (const kubelet of this.kubelets.values()) kubelet.stopAll();
  }

  /** Runs all queued work now (tests and scenario loading use it between steps). */
  flush(): void {
    this.queue.drain();
  }

  /** Registers nodes (the kubelets come with them). */
  addNodes(shapes: NodeShape[]): void {
    const existing = this.store.list('Node').length;
    shapes.forEach((shape, i) => {
      if (!this.store.get('Node', undefined, shape.name))
        this.store.create(makeNode(shape, existing + i, this.clock.now())) as Node | undefined;
    });
  }

  kubelet(nodeName: string): Kubelet | undefined {
    return this.kubelets.get(nodeName);
  }

  private ensureKubelet(node: KubeObject): Kubelet {
    const name = node.metadata?.name ?? '';
    let kubelet = this.kubelets.get(name);
    if (!kubelet) {
      const cidr = String((node['spec'] as { podCIDR?: string } | undefined)?.podCIDR ?? '');
      const index = Number(/^10\.244\.(\d+)\./.exec(cidr)?.[1] ?? this.kubelets.size);
      kubelet = new Kubelet(
        this.ctx,
        name,
        index,
        { reachable: (ns, host) => this.endpoints.reachable(ns, host) },
        // A node that stopped reporting runs nothing until it is back.
        (key, work) =>
          this.queue.add(key, () => {
            if (!this.nodes.isDown(name)) work();
          }),
      );
      this.kubelets.set(name, kubelet);
    }
    return kubelet;
  }

  private retryScheduling(): void {
    this.attempted.clear();
    this.queue.add('scheduler', () => this.schedulePending());
  }

  private schedulePending(): void {
    let snapshot = this.scheduler.snapshot();
    for (const pod of snapshot.pending) {
      const uid = pod.metadata?.uid ?? '';
      if (this.attempted.has(uid)) continue;
      this.attempted.add(uid);
      const fresh: Pod | undefined = this.store.get('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (!fresh || fresh.spec?.nodeName) continue;
      this.scheduler.scheduleOne(fresh, snapshot);
      // A preemption changed the cluster under the snapshot: take a new one.
      const after: Pod | undefined = this.store.get('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
      if (after?.status?.nominatedNodeName) snapshot = this.scheduler.snapshot();
    }
  }

  private enqueueOwner(object: KubeObject): void {
    const owner = controllerOf(object);
    const ns = object.metadata?.namespace ?? '';
    if (!owner) return;
    const name = owner.name;
    switch (owner.kind) {
      case 'ReplicaSet':
        this.queue.add(`ReplicaSet/${ns}/${name}`, () => this.replicaSets.reconcile(ns, name));
        break;
      case 'Deployment':
        this.queue.add(`Deployment/${ns}/${name}`, () => this.deployments.reconcile(ns, name));
        break;
      case 'StatefulSet':
        this.queue.add(`StatefulSet/${ns}/${name}`, () => this.statefulSets.reconcile(ns, name));
        break;
      case 'DaemonSet':
        this.queue.add(`DaemonSet/${ns}/${name}`, () => this.daemonSets.reconcile(ns, name));
        break;
      case 'Job':
        this.queue.add(`Job/${ns}/${name}`, () => this.jobs.reconcile(ns, name));
        break;
      case 'CronJob':
        this.queue.add(`CronJob/${ns}/${name}`, () => this.cronJobs.reconcile(ns, name));
        break;
    }
  }

  private route(event: StoreEvent): void {
    const object = event.object;
    const kind = event.resource.kind;
    const ns = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    switch (kind) {
      case 'Event':
        return;
      case 'Pod':
        this.routePod(event, object);
        return;
      case 'ReplicaSet':
        this.queue.add(`ReplicaSet/${ns}/${name}`, () => this.replicaSets.reconcile(ns, name));
        this.enqueueOwner(object);
        return;
      case 'Deployment':
        this.queue.add(`Deployment/${ns}/${name}`, () => this.deployments.reconcile(ns, name));
        return;
      case 'StatefulSet':
        this.queue.add(`StatefulSet/${ns}/${name}`, () => this.statefulSets.reconcile(ns, name));
        return;
      case 'DaemonSet':
        this.queue.add(`DaemonSet/${ns}/${name}`, () => this.daemonSets.reconcile(ns, name));
        return;
      case 'Job':
        this.queue.add(`Job/${ns}/${name}`, () => this.jobs.reconcile(ns, name));
        this.enqueueOwner(object);
        return;
      case 'CronJob':
        this.queue.add(`CronJob/${ns}/${name}`, () => this.cronJobs.reconcile(ns, name));
        return;
      case 'Service':
        this.queue.add(`Endpoints/${ns}`, () => this.endpoints.reconcileNamespace(ns));
        return;
      case 'Namespace':
        if (event.type !== 'DELETED')
          this.queue.add(`Namespace/${name}`, () => this.namespaces.reconcile(name));
        return;
      case 'ConfigMap':
      case 'Secret':
        // The kubelet retries blocked pods on its next sync; a change is such a moment.
        this.queue.add(`blocked/${ns}`, () => {
          for (const kubelet of this.kubelets.values())
            if (!this.nodes.isDown(kubelet.nodeName)) kubelet.syncBlocked(ns);
        });
        return;
      case 'ServiceAccount':
      case 'PriorityClass':
        this.queue.add('failed-creates', () => {
          for (const rs of this.store.list('ReplicaSet') as ReplicaSet[]) {
            if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure'))
              this.replicaSets.reconcile(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
          }
        });
        return;
      case 'PersistentVolumeClaim':
        if (event.type !== 'DELETED')
          this.queue.add(`PVC/${ns}/${name}`, () => this.volumes.reconcile(ns, name));
        this.retryScheduling();
        return;
      case 'StorageClass':
        for (const pvc of this.store.list('PersistentVolumeClaim')) {
          const pns = pvc.metadata?.namespace ?? '';
          const pname = pvc.metadata?.name ?? '';
          this.queue.add(`PVC/${pns}/${pname}`, () => this.volumes.reconcile(pns, pname));
        }
        return;
      case 'Node':
        if (event.type === 'DELETED') {
          this.kubelets.get(name)?.stopAll();
          this.kubelets.delete(name);
          this.queue.add(`podgc/${name}`, () => this.nodes.collectOrphans(name));
        } else this.ensureKubelet(object);
        for (const ds of this.store.list('DaemonSet')) {
          const dns = ds.metadata?.namespace ?? '';
          const dname = ds.metadata?.name ?? '';
          this.queue.add(`DaemonSet/${dns}/${dname}`, () => this.daemonSets.reconcile(dns, dname));
        }
        if (
          event.type !== 'MODIFIED' ||
          JSON.stringify(event.oldObject?.['spec']) !== JSON.stringify(object['spec'])
        )
          this.retryScheduling();
        if (event.type === 'MODIFIED' && wasUnreachable(event.oldObject) && !wasUnreachable(object)) {
          this.resyncNode(name);
        }
        return;
      default:
        return;
    }
  }

  /** The node is back: its kubelet looks at every pod bound to it again. */
  private resyncNode(nodeName: string): void {
    const kubelet = this.kubelets.get(nodeName);
    if (!kubelet) return;
    for (const pod of this.store.list('Pod') as Pod[]) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const ns = pod.metadata?.namespace ?? '';
      const name = pod.metadata?.name ?? '';
      this.podSignature.set(pod.metadata?.uid ?? '', `${nodeName}|${pod.metadata?.deletionTimestamp ?? ''}`);
      this.queue.add(`kubelet/${pod.metadata?.uid}`, () => kubelet.sync(ns, name));
    }
  }

  private routePod(event: StoreEvent, pod: Pod): void {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    const nodeName = pod.spec?.nodeName;
    this.enqueueOwner(pod);
    this.queue.add(`Endpoints/${ns}`, () => this.endpoints.reconcileNamespace(ns));
    if (event.type === 'DELETED') {
      this.podSignature.delete(uid);
      this.ctx.events.forget(uid);
      this.attempted.delete(uid);
      if (nodeName) {
        this.kubelets.get(nodeName)?.forget(uid);
        this.retryScheduling();
      }
      return;
    }
    if (!nodeName) {
      if (!isTerminal(pod) && !pod.metadata?.deletionTimestamp && !this.attempted.has(uid))
        this.queue.add('scheduler', () => this.schedulePending());
      return;
    }
    const wasTerminal = event.oldObject ? isTerminal(event.oldObject) : false;
    if (isTerminal(pod) && !wasTerminal) this.retryScheduling();
    const signature = `${nodeName}|${pod.metadata?.deletionTimestamp ?? ''}`;
    if (this.podSignature.get(uid) === signature) return;
    this.podSignature.set(uid, signature);
    const kubelet =
      this.kubelets.get(nodeName) ??
      (() => {
        const node: Node | undefined = this.store.get('Node', undefined, nodeName);
        return node ? this.ensureKubelet(node) : undefined;
      })();
    if (!kubelet || this.nodes.isDown(nodeName)) return;
    this.queue.add(`kubelet/${uid}`, () => {
      if (!this.nodes.isDown(nodeName)) kubelet.sync(ns, name);
    });
  }

  /** Deletes events whose last occurrence is older than the TTL, as etcd's lease expiry does. */
  private expireEvents(): void {
    const cutoff = this.clock.now() - eventTtlMs;
    for (const event of this.store.list('Event') as KubeEvent[]) {
      const last = Date.parse(eventTime(event));
      if (!Number.isNaN(last) && last < cutoff)
        this.store.delete('Event', event.metadata?.namespace, event.metadata?.name ?? '');
    }
  }

  // ---- hooks for the API server ----

  /** Lines of a container's current or previous run, for pods/log. */
  logLines(
    namespace: string,
    pod: string,
    container: string,
    previous: boolean,
  ): { time: number; text: string }[] | undefined {
    const object: Pod | undefined = this.store.get('Pod', namespace, pod);
    const kubelet = object?.spec?.nodeName ? this.kubelets.get(object.spec.nodeName) : undefined;
    const result = kubelet?.logs(namespace, pod, container, previous);
    return result && 'lines' in result ? result.lines : undefined;
  }

  podUsage(pod: Pod): { name: string; milliCpu: number; memory: number }[] | undefined {
    const kubelet = pod.spec?.nodeName ? this.kubelets.get(pod.spec.nodeName) : undefined;
    return kubelet
      ?.usage(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '')
      ?.map((u) => ({ name: u.container, milliCpu: u.milliCpu, memory: u.memory }));
  }

  nodeUsage(node: Node): { milliCpu: number; memory: number } | undefined {
    const kubelet = this.kubelets.get(node.metadata?.name ?? '');
    if (!kubelet || this.nodes.isDown(node.metadata?.name ?? '')) return undefined;
    const u = kubelet.nodeUsage();
    // The system daemons (kubelet, containerd, kube-proxy) are never zero on a real node.
    return { milliCpu: u.milliCpu + 95, memory: u.memory + 612 * 2 ** 20 };
  }
}
