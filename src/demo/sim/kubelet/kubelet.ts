// One node's kubelet. It adopts pods bound to its node and walks each container through the
// real sequence (volumes, image, config, create, start, probes, exit, back-off, restart),
// recording the kubelet's events with their exact texts and writing pod status. Each pod has
// one timer for the next moment something can change; nothing polls. Pulling images, starting
// containers, running them, ending them and evicting under memory pressure are each in their
// own file; this one holds the pod worker that sequences them.
import type { Pod } from '../../../kube/types';
import { Backoff, goDuration } from './backoff';
import { volumeError } from './containerConfig';
import { finish, killPlan, shouldRestart } from './containerExit';
import { containerLogs } from './containerLogs';
import { rememberRun } from '../runtime/containerRuntime';
import { ContainerStarter } from './containerStart';
import type { ServiceLookup } from './containerStart';
import { EvictionManager } from './evictionManager';
import { findImage } from '../images/imageCatalog';
import { ImageManager } from '../images/imageManager';
import { parseImage } from '../../../kube/imageReference';
import { kubeletEvents } from './kubeletEvents';
import type { KubeletEvent } from './kubeletEvents';
import { canonicalJson, hexId } from '../names';
import { formatPod, isTerminal } from '../objects';
import { newPodRuntime } from './podRuntime';
import type { ContainerSlot, PodRuntime } from './podRuntime';
import { buildPodStatus, initDone, isSidecar } from './podStatusBuilder';
import { containerProbes, initProbeState } from './probes';
import { podUsage, totalUsage } from './resourceUsage';
import { stepRunning } from './runningContainer';
import type { SimContext } from '../simContext';
import { backoffEventMs, errorResyncMs } from './syncIntervals';

/** Runs timer-driven work through the simulation's queue, where errors are caught and reported. */
export type Runner = (key: string, work: () => void) => void;

export class Kubelet {
  private readonly pods = new Map<string, PodRuntime>();
  private readonly crash = new Backoff();
  private ipCounter = 2;
  private readonly event: KubeletEvent;
  private readonly images: ImageManager;
  private readonly starter: ContainerStarter;
  private readonly eviction: EvictionManager;

  constructor(
    private readonly ctx: SimContext,
    readonly nodeName: string,
    private readonly nodeIndex: number,
    services: ServiceLookup,
    private readonly run: Runner = (_key, work) => work(),
  ) {
    this.event = kubeletEvents(ctx.events, nodeName);
    this.images = new ImageManager(ctx.store, this.event);
    this.starter = new ContainerStarter(ctx.store, ctx.random, services, this.event);
    this.eviction = new EvictionManager(ctx, nodeName, this.event);
  }

  hostIP(): string {
    return `10.0.${Math.floor(this.nodeIndex / 250)}.${10 + (this.nodeIndex % 250)}`;
  }

  private allocateIP(): string {
    const n = this.ipCounter++;
    return `10.244.${this.nodeIndex}.${(n % 250) + 2}`;
  }

  /** Entry point: the pod changed (or its wake-up timer fired). */
  sync(namespace: string, name: string): void {
    const pod: Pod | undefined = this.ctx.store.get('Pod', namespace, name);
    if (!pod || pod.spec?.nodeName !== this.nodeName) {
      for (const [uid, rt] of this.pods)
        if (rt.namespace === namespace && rt.name === name && (!pod || pod.metadata?.uid !== uid))
          this.forget(uid);
      return;
    }
    const uid = pod.metadata?.uid ?? '';
    let rt = this.pods.get(uid);
    if (!rt) {
      if (isTerminal(pod)) return;
      rt = this.adopt(pod);
      if (!rt) return;
    }
    if (rt.finished) return;
    const now = this.ctx.clock.now();
    if (pod.metadata?.deletionTimestamp) {
      this.terminate(pod, rt, now);
      return;
    }
    const wake = this.syncPod(pod, rt, now);
    if (rt.adopted) rt.adopted = false;
    else this.write(pod, rt, now);
    this.eviction.check(this.pods.values(), now);
    this.wake(rt, wake);
  }

  /** Sync every pod that is still waiting on something (a ConfigMap or Secret may have appeared). */
  syncBlocked(namespace?: string): void {
    for (const rt of [...this.pods.values()]) {
      if (namespace && rt.namespace !== namespace) continue;
      const blocked = !rt.sandboxReady || [...rt.init, ...rt.containers].some((c) => c.phase === 'new');
      if (blocked && !rt.finished) this.sync(rt.namespace, rt.name);
    }
  }

  /** Cancels every pod timer (the demo is stopping or the node went away). */
  stopAll(): void {
    for (const rt of this.pods.values()) rt.timer?.cancel();
    this.pods.clear();
  }

  forget(uid: string): void {
    const rt = this.pods.get(uid);
    rt?.timer?.cancel();
    this.pods.delete(uid);
  }

  private wake(rt: PodRuntime, at: number): void {
    if (!Number.isFinite(at)) return;
    const now = this.ctx.clock.now();
    if (rt.timer && rt.wakeAt <= at && rt.wakeAt >= now) return;
    rt.timer?.cancel();
    rt.wakeAt = at;
    rt.timer = this.ctx.clock.setTimer(Math.max(0, at - now), () => {
      rt.timer = undefined;
      rt.wakeAt = Infinity;
      this.run(`kubelet/${rt.uid}`, () => this.sync(rt.namespace, rt.name));
    });
  }

  private adopt(pod: Pod): PodRuntime | undefined {
    const now = this.ctx.clock.now();
    const rt = newPodRuntime(pod, this.hostIP(), now);
    this.pods.set(rt.uid, rt);
    // A pod that already runs (generated for benchmarks, or a kubelet restart) is taken as it is.
    const statuses = pod.status?.containerStatuses ?? [];
    if (statuses.length > 0 && statuses.every((s) => s.state?.running)) {
      rt.sandboxReady = true;
      if (pod.status?.podIP) rt.podIP = pod.status.podIP;
      rt.startTime = Date.parse(pod.status?.startTime ?? '') || now;
      for (const c of rt.init) {
        c.phase = 'done';
        c.terminated = { exitCode: 0, reason: 'Completed' };
      }
      for (const c of rt.containers) {
        const s = statuses.find((x) => x.name === c.name);
        const startedAt = Date.parse(s?.state?.running?.startedAt ?? '') || now;
        const ref = parseImage(c.spec.image ?? '');
        const catalog = 'error' in ref ? undefined : findImage(ref.repository);
        if (!catalog || 'error' in ref) continue;
        this.images.markPresent(ref.normalized);
        c.catalog = catalog;
        c.image = s?.image ?? ref.normalized;
        c.imageID = s?.imageID ?? '';
        c.restartCount = s?.restartCount ?? 0;
        const plan = this.starter.plan(pod, rt, c, catalog, startedAt);
        if (!plan) continue;
        const run = { id: s?.containerID ?? `containerd://${hexId(64, this.ctx.random)}`, startedAt, plan };
        rememberRun(c, run);
        c.running = {
          run,
          probes: {
            ...initProbeState(startedAt, containerProbes(c.spec)),
            startupDone: true,
            ready: s?.ready ?? true,
          },
        };
        c.running.probes.nextTick = { Startup: Infinity, Liveness: Infinity, Readiness: Infinity };
        c.phase = 'running';
      }
      rt.adopted = true;
      return rt;
    }
    return rt;
  }

  /** One pass over the pod; returns when it next needs attention. */
  private syncPod(pod: Pod, rt: PodRuntime, now: number): number {
    if (!rt.sandboxReady) {
      const err = volumeError(this.ctx.store, pod);
      if (err) {
        if (now >= rt.nextMountAt) {
          this.event(pod, undefined, 'Warning', 'FailedMount', err);
          rt.mountFailures++;
          rt.nextMountAt = now + Math.min(500 * 2 ** (rt.mountFailures - 1), 122_000);
        }
        return rt.nextMountAt;
      }
      rt.sandboxReady = true;
      rt.podIP = this.allocateIP();
    }
    let wake = Infinity;
    for (const c of rt.init) {
      // A sidecar (restartable init container) keeps running: once started, the next one may begin.
      if (isSidecar(c)) {
        wake = Math.min(wake, this.step(pod, rt, c, now));
        if (!initDone(c)) return wake;
        continue;
      }
      if (c.phase === 'done' && c.terminated?.exitCode === 0) continue;
      wake = Math.min(wake, this.step(pod, rt, c, now));
      if (!(c.phase === 'done' && c.terminated?.exitCode === 0)) return wake;
    }
    for (const c of rt.containers) wake = Math.min(wake, this.step(pod, rt, c, now));
    return wake;
  }

  /** Advances one container as far as `now` allows; returns its next wake-up time. */
  private step(pod: Pod, rt: PodRuntime, c: ContainerSlot, now: number): number {
    for (let guard = 0; guard < 50; guard++) {
      switch (c.phase) {
        case 'done':
          return Infinity;
        case 'running': {
          const next = stepRunning(pod, c, now, this.event);
          if (c.phase === 'running') return next;
          continue;
        }
        case 'exited': {
          if (now < (c.decideAt ?? 0)) return c.decideAt!;
          const last = c.terminated ?? c.lastTerminated;
          if (c.terminated) {
            c.lastTerminated = c.terminated;
            delete c.terminated;
          }
          if (!last || !shouldRestart(pod, c, last.exitCode)) {
            if (last) c.terminated = last;
            if (c.lastTerminated === last) delete c.lastTerminated;
            delete c.waiting;
            c.phase = 'done';
            return Infinity;
          }
          c.phase = 'backoff';
          continue;
        }
        case 'backoff': {
          const key = `${rt.uid}/${c.name}`;
          const finished = c.finishedMs ?? (Date.parse(c.lastTerminated?.finishedAt ?? '') || now);
          if (this.crash.isInBackOffSince(key, finished, now)) {
            const duration = this.crash.get(key);
            c.waiting = {
              reason: 'CrashLoopBackOff',
              message: `back-off ${goDuration(duration)} restarting failed container=${c.name} pod=${formatPod(pod)}`,
            };
            this.event(
              pod,
              c,
              'Warning',
              'BackOff',
              `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`,
            );
            return Math.min(finished + duration, now + backoffEventMs);
          }
          this.crash.next(key, now);
          c.restartCount++;
          c.phase = 'new';
          continue;
        }
        case 'new':
          return this.stepNew(pod, rt, c, now);
      }
    }
    return now + errorResyncMs;
  }

  /** Image, then config, create, start. */
  private stepNew(pod: Pod, rt: PodRuntime, c: ContainerSlot, now: number): number {
    const retryAt = this.images.ensure(pod, rt.uid, c, now) ?? this.starter.start(pod, rt, c, now);
    return retryAt ?? stepRunning(pod, c, now, this.event);
  }

  private terminate(pod: Pod, rt: PodRuntime, now: number): void {
    const grace =
      (Number(
        pod.metadata?.['deletionGracePeriodSeconds'] ?? pod.spec?.terminationGracePeriodSeconds ?? 30,
      ) || 0) * 1000;
    if (!rt.terminating) {
      rt.terminating = true;
      for (const c of [...rt.init, ...rt.containers]) {
        if (c.phase === 'running' && c.running && !c.running.kill) {
          this.event(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
          c.running.kill = killPlan(c.running.run.plan, now, grace);
        }
        if (c.phase !== 'running') c.phase = 'done';
      }
    }
    let wake = Infinity;
    for (const c of [...rt.init, ...rt.containers]) {
      if (c.phase !== 'running' || !c.running?.kill) continue;
      if (now >= c.running.kill.exitAt) {
        finish(
          c,
          c.running.kill.exitCode,
          c.running.kill.exitCode === 0 ? 'Completed' : 'Error',
          c.running.kill.exitAt,
        );
        c.phase = 'done';
        if (c.lastTerminated === undefined) delete c.lastTerminated;
      } else wake = Math.min(wake, c.running.kill.exitAt);
    }
    if (Number.isFinite(wake)) {
      this.write(pod, rt, now);
      this.wake(rt, wake);
      return;
    }
    // All containers are gone: the kubelet's final status, then the object goes away.
    this.forget(rt.uid);
    this.ctx.store.delete('Pod', rt.namespace, rt.name);
  }

  private write(pod: Pod, rt: PodRuntime, now: number): void {
    const status = buildPodStatus(pod, rt, now);
    if (canonicalJson(status) === canonicalJson(pod.status ?? {})) return;
    this.ctx.store.updateStatus({ ...pod, status });
  }

  // ---- what pods/log and metrics.k8s.io read ----

  private find(namespace: string, name: string): PodRuntime | undefined {
    return [...this.pods.values()].find((p) => p.namespace === namespace && p.name === name);
  }

  /** Log lines of the current (or previous) run of a container. */
  logs(
    namespace: string,
    name: string,
    container: string | undefined,
    previous: boolean,
  ): { lines: { time: number; text: string }[] } | { error: string } {
    const rt = this.find(namespace, name);
    if (!rt) return { error: `pods "${name}" not found` };
    return containerLogs(rt, container, previous, this.ctx.clock.now());
  }

  /** Current CPU (millicores) and memory (bytes) per running container. */
  usage(
    namespace: string,
    name: string,
  ): { container: string; milliCpu: number; memory: number }[] | undefined {
    const rt = this.find(namespace, name);
    return rt && podUsage(rt);
  }

  nodeUsage(): { milliCpu: number; memory: number } {
    return totalUsage(this.pods.values());
  }
}
