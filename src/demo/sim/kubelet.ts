// One node's kubelet. It adopts pods bound to its node and walks each container through the
// real sequence (volumes, image, config, create, start, probes, exit, back-off, restart),
// recording the kubelet's events with their exact texts and writing pod status. Each pod has
// one timer for the next moment something can change; nothing polls.
import type { Container, Node, Pod, Probe } from '../../analysis/k8s';
import { parseBytes } from '../../analysis/quantity';
import type { TimerHandle } from '../clock';
import { Backoff, goDuration } from './backoff';
import {
  expand,
  mountedFiles,
  resolveEnv,
  runAsNonRootError,
  startError,
  volumeError,
} from './containerConfig';
import type { ContainerRuntime } from './containerRuntime';
import { newContainerRuntime, rememberRun } from './containerRuntime';
import { findImage, imageDigest } from './imageCatalog';
import type { CatalogImage } from './imageCatalog';
import { missingPullSecrets, pull, pullDurationMs } from './imagePull';
import { defaultPullPolicy, parseImage } from './imageReference';
import { hexId } from './names';
import { formatPod, isTerminal } from './objects';
import { buildPodStatus, containerReady, initDone, isSidecar } from './podStatusBuilder';
import type { PodRuntimeView } from './podStatusBuilder';
import { memoryLimit } from './podResources';
import type { ProcessPlan } from './processPlan';
import { initProbeState, nextProbeTick, runProbes } from './probes';
import type { ProbeKind } from './probes';
import type { SimContext } from './simContext';
import { canonicalJson } from './names';
import { rfc3339 } from './timeFormat';

type Phase = 'new' | 'running' | 'exited' | 'backoff' | 'done';

interface Slot extends ContainerRuntime {
  phase: Phase;
  /** The process plan's image, once pulled. */
  catalog?: CatalogImage;
  /** When the last instance ended, to the millisecond (the status keeps whole seconds). */
  finishedMs?: number;
}

interface PodRuntime extends PodRuntimeView {
  uid: string;
  namespace: string;
  name: string;
  init: Slot[];
  containers: Slot[];
  timer?: TimerHandle;
  wakeAt: number;
  mountFailures: number;
  nextMountAt: number;
  terminating: boolean;
  finished: boolean;
  /** Taken over from a status that already shows it running: the first sync writes nothing. */
  adopted?: boolean;
}

/** How often a pod stuck in an error is synced again (count grows on its events). */
const errorResyncMs = 15_000;
/** Back-off events repeat while a container waits out its back-off. */
const backoffEventMs = 20_000;
/** The hard eviction threshold memory.available<100Mi. */
const evictionThreshold = 100 * 2 ** 20;

export interface ServiceLookup {
  reachable(namespace: string, host: string): boolean;
}

/** Runs timer-driven work through the simulation's queue, where errors are caught and reported. */
export type Runner = (key: string, work: () => void) => void;

export class Kubelet {
  private readonly pods = new Map<string, PodRuntime>();
  private readonly images = new Set<string>();
  private readonly crash = new Backoff();
  private readonly pulls = new Backoff();
  private ipCounter = 2;
  private memoryPressure = false;

  constructor(
    private readonly ctx: SimContext,
    readonly nodeName: string,
    private readonly nodeIndex: number,
    private readonly services: ServiceLookup,
    private readonly run: Runner = (_key, work) => work(),
  ) {}

  private node(): Node | undefined {
    return this.ctx.store.get('Node', undefined, this.nodeName);
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
    this.checkMemoryPressure(now);
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
    const rt: PodRuntime = {
      uid: pod.metadata?.uid ?? '',
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      sandboxReady: false,
      hostIP: this.hostIP(),
      startTime: now,
      init: (pod.spec?.initContainers ?? []).map((c) => ({ ...newContainerRuntime(c, true), phase: 'new' })),
      containers: (pod.spec?.containers ?? []).map((c) => ({
        ...newContainerRuntime(c, false),
        phase: 'new',
      })),
      wakeAt: Infinity,
      mountFailures: 0,
      nextMountAt: now,
      terminating: false,
      finished: false,
    };
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
        if (!('error' in ref)) this.images.add(ref.normalized);
        c.catalog = catalog;
        c.image = s?.image ?? ref.normalized;
        c.imageID = s?.imageID ?? '';
        c.restartCount = s?.restartCount ?? 0;
        const plan = this.plan(pod, rt, c, catalog, startedAt);
        if (!plan) continue;
        const run = { id: s?.containerID ?? `containerd://${hexId(64, this.ctx.random)}`, startedAt, plan };
        rememberRun(c, run);
        c.running = {
          run,
          probes: {
            ...initProbeState(startedAt, this.probesOf(c.spec)),
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

  /** The container's probes, named ports resolved to numbers as the prober does. */
  private probesOf(c: Container): Partial<Record<ProbeKind, Probe>> {
    const resolve = (port: number | string): number | string =>
      typeof port === 'number' ? port : (c.ports?.find((p) => p.name === port)?.containerPort ?? port);
    const fix = (probe: Probe): Probe => ({
      ...probe,
      ...(probe.httpGet ? { httpGet: { ...probe.httpGet, port: resolve(probe.httpGet.port) } } : {}),
      ...(probe.tcpSocket ? { tcpSocket: { ...probe.tcpSocket, port: resolve(probe.tcpSocket.port) } } : {}),
    });
    const out: Partial<Record<ProbeKind, Probe>> = {};
    if (c.livenessProbe) out.Liveness = fix(c.livenessProbe);
    if (c.readinessProbe) out.Readiness = fix(c.readinessProbe);
    if (c.startupProbe) out.Startup = fix(c.startupProbe);
    return out;
  }

  private fieldPath(c: Slot): string {
    return c.init ? `spec.initContainers{${c.name}}` : `spec.containers{${c.name}}`;
  }

  private event(
    pod: Pod,
    c: Slot | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    const e = { type, reason, message, component: 'kubelet', host: this.nodeName } as const;
    this.ctx.events.record(pod, c ? { ...e, fieldPath: this.fieldPath(c) } : e);
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

  private restartPolicy(pod: Pod): string {
    return pod.spec?.restartPolicy ?? 'Always';
  }

  private shouldRestart(pod: Pod, c: Slot, exitCode: number): boolean {
    const policy = this.restartPolicy(pod);
    if (isSidecar(c)) return true;
    if (c.init) return exitCode !== 0 && policy !== 'Never';
    return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  }

  /** Advances one container as far as `now` allows; returns its next wake-up time. */
  private step(pod: Pod, rt: PodRuntime, c: Slot, now: number): number {
    for (let guard = 0; guard < 50; guard++) {
      switch (c.phase) {
        case 'done':
          return Infinity;
        case 'running': {
          const next = this.stepRunning(pod, c, now);
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
          if (!last || !this.shouldRestart(pod, c, last.exitCode)) {
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

  /** Image, config, create, start. */
  private stepNew(pod: Pod, rt: PodRuntime, c: Slot, now: number): number {
    const image = c.spec.image ?? '';
    const ref = parseImage(image);
    if ('error' in ref) {
      const message = `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: ${ref.error}`;
      this.event(pod, c, 'Warning', 'InspectFailed', message);
      this.event(pod, c, 'Warning', 'Failed', 'Error: InvalidImageName');
      c.waiting = { reason: 'InvalidImageName', message };
      return now + errorResyncMs;
    }
    const policy = c.spec.imagePullPolicy ?? defaultPullPolicy(image);
    const pullKey = `${rt.uid}/${image}`;
    if (c.pullingUntil !== undefined) {
      if (now < c.pullingUntil) return c.pullingUntil;
      const result = pull(this.ctx.store, pod, ref);
      const took = c.pullingUntil - (c.pullStartedAt ?? c.pullingUntil);
      delete c.pullingUntil;
      if (!result.ok) {
        this.event(
          pod,
          c,
          'Warning',
          'Failed',
          `Failed to pull image ${JSON.stringify(image)}: ${result.error}`,
        );
        this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull');
        this.pulls.next(pullKey, now);
        c.waiting = { reason: 'ErrImagePull', message: result.error };
        return now + 2_000;
      }
      this.pulls.forget(pullKey);
      this.images.add(ref.normalized);
      const secs = goDuration(took);
      this.event(
        pod,
        c,
        'Normal',
        'Pulled',
        `Successfully pulled image ${JSON.stringify(image)} in ${secs} (${secs} including waiting). Image size: ${result.image.sizeBytes} bytes.`,
      );
      c.catalog = result.image;
    } else if (policy === 'Never' && !this.images.has(ref.normalized)) {
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      this.event(pod, c, 'Warning', 'ErrImageNeverPull', message);
      this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      c.waiting = { reason: 'ErrImageNeverPull', message };
      return now + errorResyncMs;
    } else if (this.images.has(ref.normalized) && policy !== 'Always') {
      this.event(
        pod,
        c,
        'Normal',
        'Pulled',
        `Container image ${JSON.stringify(image)} already present on machine`,
      );
      c.catalog = findImage(ref.repository);
    } else {
      const missing = missingPullSecrets(this.ctx.store, pod);
      if (missing.length) {
        this.event(
          pod,
          undefined,
          'Warning',
          'FailedToRetrieveImagePullSecret',
          `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`,
        );
      }
      if (this.pulls.isInBackOffSinceUpdate(pullKey, now)) {
        const previous =
          c.waiting?.reason === 'ErrImagePull' || c.waiting?.reason === 'ImagePullBackOff'
            ? c.waiting.message?.replace(/^Back-off pulling image "[^"]*": ErrImagePull: /, '')
            : undefined;
        this.event(pod, c, 'Normal', 'BackOff', `Back-off pulling image ${JSON.stringify(image)}`);
        this.event(pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        c.waiting = {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image ${JSON.stringify(image)}${previous ? `: ErrImagePull: ${previous}` : ''}`,
        };
        return Math.min(
          (this.pulls.lastUpdate(pullKey) ?? now) + this.pulls.get(pullKey),
          now + backoffEventMs,
        );
      }
      this.event(pod, c, 'Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
      const known = pull(this.ctx.store, pod, ref);
      c.pullStartedAt = now;
      c.pullingUntil = now + (known.ok ? pullDurationMs(known.image.sizeBytes) : 600);
      return c.pullingUntil;
    }
    const catalog = c.catalog;
    c.image = ref.normalized;
    c.imageID = `${ref.repository}@${imageDigest(ref.normalized)}`;
    // Config: env first (envFrom, then env), then the runAsNonRoot check.
    const env = resolveEnv(this.ctx.store, pod, c.spec);
    const configError = 'error' in env ? env.error : runAsNonRootError(pod, c.spec, catalog?.user ?? '0');
    if (configError) {
      this.event(pod, c, 'Warning', 'Failed', `Error: ${configError}`);
      c.waiting = { reason: 'CreateContainerConfigError', message: configError };
      return now + errorResyncMs;
    }
    const id = `containerd://${hexId(64, this.ctx.random)}`;
    this.event(pod, c, 'Normal', 'Created', `Created container: ${c.name}`);
    const argv = this.argv(c.spec, catalog, 'env' in env ? env.env : {});
    const failure = startError(argv, catalog?.binaries ?? []);
    if (failure || !catalog) {
      const message = failure ?? 'failed to create containerd task: unknown image';
      this.event(pod, c, 'Warning', 'Failed', `Error: ${message}`);
      c.lastTerminated = {
        exitCode: 128,
        reason: 'StartError',
        message,
        startedAt: '1970-01-01T00:00:00Z',
        finishedAt: rfc3339(now),
        containerID: id,
      };
      c.finishedMs = now;
      c.waiting = { reason: 'RunContainerError', message };
      delete c.terminated;
      c.phase = 'exited';
      c.decideAt = now + 1_000;
      return c.decideAt;
    }
    const plan = this.plan(pod, rt, c, catalog, now, 'env' in env ? env.env : {});
    if (!plan) return now + errorResyncMs;
    this.event(pod, c, 'Normal', 'Started', `Started container ${c.name}`);
    const run = { id, startedAt: now, plan };
    rememberRun(c, run);
    c.running = { run, probes: initProbeState(now, this.probesOf(c.spec)) };
    delete c.waiting;
    delete c.terminated;
    c.phase = 'running';
    return this.stepRunning(pod, c, now);
  }

  private argv(spec: Container, catalog: CatalogImage | undefined, env: Record<string, string>): string[] {
    const command = spec.command ?? catalog?.entrypoint ?? [];
    const args = spec.args ?? (spec.command ? [] : (catalog?.cmd ?? []));
    return [...command, ...args].map((a) => expand(a, env));
  }

  private plan(
    pod: Pod,
    rt: PodRuntime,
    c: Slot,
    catalog: CatalogImage,
    startedAt: number,
    env?: Record<string, string>,
  ): ProcessPlan | undefined {
    const resolved =
      env ??
      (() => {
        const r = resolveEnv(this.ctx.store, pod, c.spec);
        return 'env' in r ? r.env : {};
      })();
    return catalog.run({
      pod,
      container: c.spec,
      argv: this.argv(c.spec, catalog, resolved),
      env: resolved,
      files: mountedFiles(this.ctx.store, pod, c.spec),
      podIP: rt.podIP ?? '',
      startedAt,
      serviceReachable: (host) => this.services.reachable(rt.namespace, host),
    });
  }

  /** Probes, OOM, exits and kills of a running container. */
  private stepRunning(pod: Pod, c: Slot, now: number): number {
    const r = c.running!;
    if (r.kill) {
      if (now < r.kill.exitAt) return r.kill.exitAt;
      this.finish(c, r.kill.exitCode, r.kill.exitCode === 0 ? 'Completed' : 'Error', r.kill.exitAt);
      return c.decideAt ?? now;
    }
    const plan = r.run.plan;
    const started = r.run.startedAt;
    const limit = memoryLimit(c.spec);
    const oomAt =
      plan.oomAtMs !== undefined && limit !== undefined && plan.memoryBytes > limit
        ? started + plan.oomAtMs
        : Infinity;
    const exitAt = plan.exit ? started + plan.exit.atMs : Infinity;
    const horizon = Math.min(now, oomAt, exitAt);
    const probes = this.probesOf(c.spec);
    const decision = runProbes(r, probes, horizon);
    for (const f of decision.failures)
      this.event(pod, c, 'Warning', 'Unhealthy', `${f.kind} probe failed: ${f.output}`);
    if (decision.kill) {
      const restart = this.shouldRestart(pod, c, 137);
      const what = decision.kill.kind === 'Liveness' ? 'liveness' : 'startup';
      this.event(
        pod,
        c,
        'Normal',
        'Killing',
        `Container ${c.name} failed ${what} probe${restart ? ', will be restarted' : ''}`,
      );
      const probe = probes[decision.kill.kind]!;
      const grace =
        (probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      r.kill = this.killPlan(plan, decision.kill.at, grace);
      return this.stepRunning(pod, c, now);
    }
    if (oomAt <= now) {
      this.finish(c, 137, 'OOMKilled', oomAt);
      return c.decideAt!;
    }
    if (exitAt <= now) {
      const code = plan.exit!.code;
      this.finish(c, code, code === 0 ? 'Completed' : 'Error', exitAt);
      return c.decideAt!;
    }
    return Math.min(oomAt, exitAt, nextProbeTick(r, probes));
  }

  private killPlan(plan: ProcessPlan, at: number, graceMs: number): { exitAt: number; exitCode: number } {
    if (plan.onSigterm === 'ignore' || plan.onSigterm.afterMs > graceMs)
      return { exitAt: at + graceMs, exitCode: 137 };
    return { exitAt: at + plan.onSigterm.afterMs, exitCode: plan.onSigterm.code };
  }

  private finish(c: Slot, exitCode: number, reason: string, at: number): void {
    const r = c.running!;
    r.run.finishedAt = at;
    c.terminated = {
      exitCode,
      reason,
      startedAt: rfc3339(r.run.startedAt),
      finishedAt: rfc3339(at),
      containerID: r.run.id,
    };
    c.finishedMs = at;
    const tail = this.terminationMessage(c, at);
    if (tail) c.terminated = { ...c.terminated, message: tail };
    delete c.running;
    delete c.waiting;
    c.phase = 'exited';
    // kubectl shows the terminated state for a moment before the restart decision.
    c.decideAt = at + 1_000;
  }

  /** FallbackToLogsOnError: the log tail becomes the termination message of a failed container. */
  private terminationMessage(c: Slot, at: number): string | undefined {
    if (c.spec.terminationMessagePolicy !== 'FallbackToLogsOnError') return undefined;
    const run = c.running?.run;
    if (!run) return undefined;
    const lines = linesOf(run.plan, run.startedAt, at).map((l) => l.text);
    const text = `${lines.slice(-80).join('\n')}\n`;
    return text.length > 2048 ? text.slice(-2048) : text;
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
          c.running.kill = this.killPlan(c.running.run.plan, now, grace);
        }
        if (c.phase !== 'running') c.phase = 'done';
      }
    }
    let wake = Infinity;
    for (const c of [...rt.init, ...rt.containers]) {
      if (c.phase !== 'running' || !c.running?.kill) continue;
      if (now >= c.running.kill.exitAt) {
        this.finish(
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

  // ---- node memory pressure (§13) ----

  /** Working set of every running container on this node. */
  private usageBytes(): { total: number; byPod: { rt: PodRuntime; c: Slot; bytes: number }[] } {
    const byPod: { rt: PodRuntime; c: Slot; bytes: number }[] = [];
    let total = 0;
    for (const rt of this.pods.values()) {
      if (rt.finished) continue;
      for (const c of [...rt.init, ...rt.containers]) {
        if (!c.running) continue;
        const limit = memoryLimit(c.spec);
        const bytes = Math.min(c.running.run.plan.memoryBytes, limit ?? Infinity);
        total += bytes;
        byPod.push({ rt, c, bytes });
      }
    }
    return { total, byPod };
  }

  private checkMemoryPressure(now: number): void {
    const node = this.node();
    if (!node) return;
    const capacity = memoryBytes(node.status?.capacity?.['memory']);
    if (!capacity) return;
    const { total, byPod } = this.usageBytes();
    const available = capacity - total;
    if (available >= evictionThreshold) {
      if (this.memoryPressure) this.setPressure(node, false, now);
      return;
    }
    if (!this.memoryPressure) this.setPressure(node, true, now);
    this.ctx.events.record(node, {
      type: 'Warning',
      reason: 'EvictionThresholdMet',
      message: 'Attempting to reclaim memory',
      component: 'kubelet',
      host: this.nodeName,
    });
    // rankMemoryPressure: usage above requests first, then priority, then usage above requests.
    const ranked = byPod
      .map((x) => {
        const req = memoryBytes(
          x.c.spec.resources?.requests?.['memory'] ?? x.c.spec.resources?.limits?.['memory'],
        );
        const pod: Pod | undefined = this.ctx.store.get('Pod', x.rt.namespace, x.rt.name);
        return { ...x, req, over: x.bytes - req, priority: pod?.spec?.priority ?? 0, pod };
      })
      .filter((x) => x.pod)
      .sort((a, b) => Number(b.over > 0) - Number(a.over > 0) || a.priority - b.priority || b.over - a.over);
    const victim = ranked[0];
    if (victim?.pod) this.evict(victim.pod, victim.rt, victim.c, victim.bytes, available, now);
  }

  private setPressure(node: Node, on: boolean, now: number): void {
    this.memoryPressure = on;
    const conditions = (node.status?.conditions ?? []).map((c) =>
      c.type === 'MemoryPressure'
        ? {
            ...c,
            status: on ? 'True' : 'False',
            reason: on ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
            message: on
              ? 'kubelet has insufficient memory available'
              : 'kubelet has sufficient memory available',
            lastTransitionTime: rfc3339(now),
            lastHeartbeatTime: rfc3339(now),
          }
        : c,
    );
    const taints = (node.spec?.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/memory-pressure');
    if (on)
      taints.push({
        key: 'node.kubernetes.io/memory-pressure',
        effect: 'NoSchedule',
        timeAdded: rfc3339(now),
      });
    const updated = this.ctx.store.update({ ...node, spec: { ...node.spec, taints } }) as Node;
    this.ctx.store.updateStatus({ ...updated, status: { ...updated.status, conditions } });
    const reason = on ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory';
    this.ctx.events.record(updated, {
      type: 'Normal',
      reason,
      message: `Node ${this.nodeName} status is now: ${reason}`,
      component: 'kubelet',
      host: this.nodeName,
    });
  }

  private evict(pod: Pod, rt: PodRuntime, worst: Slot, usage: number, available: number, now: number): void {
    const request = worst.spec.resources?.requests?.['memory'] ?? '0';
    const message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${Math.round(available / 1024)}Ki. Container ${worst.name} was using ${Math.round(usage / 1024)}Ki, request is ${request}, has larger consumption of memory. `;
    this.event(pod, undefined, 'Warning', 'Evicted', message);
    for (const c of [...rt.init, ...rt.containers]) {
      if (c.phase !== 'running' || !c.running) continue;
      this.event(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      this.finish(c, 137, 'Error', now);
      c.phase = 'done';
    }
    rt.finished = true;
    rt.timer?.cancel();
    const status = buildPodStatus(pod, rt, now);
    status.phase = 'Failed';
    status.reason = 'Evicted';
    status.message = message;
    status.conditions = [
      {
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: rfc3339(now),
        reason: 'TerminationByKubelet',
        message,
      },
      ...(status.conditions ?? [])
        .filter((c) => c.type !== 'DisruptionTarget')
        .map((c) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? {
                type: c.type,
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: rfc3339(now),
                reason: 'PodFailed',
              }
            : c.type === 'PodReadyToStartContainers'
              ? { ...c, status: 'False' }
              : c,
        ),
    ];
    this.ctx.store.updateStatus({ ...pod, status });
  }

  // ---- hooks for pods/log and metrics.k8s.io ----

  /** Log lines of the current (or previous) run of a container. */
  logs(
    namespace: string,
    name: string,
    container: string | undefined,
    previous: boolean,
  ): { lines: { time: number; text: string }[] } | { error: string } {
    const rt = [...this.pods.values()].find((p) => p.namespace === namespace && p.name === name);
    if (!rt) return { error: `pods "${name}" not found` };
    const all = [...rt.init, ...rt.containers];
    const c = container
      ? all.find((x) => x.name === container)
      : rt.containers.length === 1
        ? rt.containers[0]
        : undefined;
    if (!c) {
      if (!container)
        return {
          error: `a container name must be specified for pod ${name}, choose one of: [${rt.containers.map((x) => x.name).join(' ')}]`,
        };
      return { error: `container ${container} is not valid for pod ${name}` };
    }
    // Between crashes the newest instance is the last terminated one, so `logs` and
    // `logs --previous` both show it; once a new instance runs, --previous is the one before.
    const run = previous && c.running ? c.runs.at(-2) : c.runs.at(-1);
    if (!run) {
      if (previous) return { error: `previous terminated container "${c.name}" in pod "${name}" not found` };
      const reason = c.waiting?.reason ?? (c.init ? 'PodInitializing' : 'ContainerCreating');
      return {
        error: `container "${c.name}" in pod "${name}" is waiting to start: ${reason === 'ContainerCreating' || reason === 'PodInitializing' ? reason : (c.waiting?.message ?? reason)}`,
      };
    }
    const end = run.finishedAt ?? this.ctx.clock.now();
    return {
      lines: linesOf(run.plan, run.startedAt, end).map((l) => ({
        time: run.startedAt + l.atMs,
        text: l.text,
      })),
    };
  }

  /** Current CPU (millicores) and memory (bytes) per running container. */
  usage(
    namespace: string,
    name: string,
  ): { container: string; milliCpu: number; memory: number }[] | undefined {
    const rt = [...this.pods.values()].find((p) => p.namespace === namespace && p.name === name);
    if (!rt) return undefined;
    return rt.containers
      .filter((c) => c.running)
      .map((c) => ({
        container: c.name,
        milliCpu: c.running!.run.plan.cpuMilli,
        memory: Math.min(c.running!.run.plan.memoryBytes, memoryLimit(c.spec) ?? Infinity),
      }));
  }

  nodeUsage(): { milliCpu: number; memory: number } {
    let milliCpu = 0;
    let memory = 0;
    for (const rt of this.pods.values()) {
      for (const c of rt.containers) {
        if (!c.running) continue;
        milliCpu += c.running.run.plan.cpuMilli;
        memory += Math.min(c.running.run.plan.memoryBytes, memoryLimit(c.spec) ?? Infinity);
      }
    }
    return { milliCpu, memory };
  }

  readyContainers(uid: string): boolean {
    const rt = this.pods.get(uid);
    return Boolean(rt && rt.containers.every(containerReady));
  }
}

/** Every line a run wrote between its start and `until`, the repeating ones included (last 5000). */
export function linesOf(
  plan: ProcessPlan,
  startedAt: number,
  until: number,
): { atMs: number; text: string }[] {
  const span = until - startedAt;
  const out = plan.logs.filter((l) => l.atMs <= span);
  if (plan.repeat && span >= plan.repeat.startMs) {
    const count = Math.floor((span - plan.repeat.startMs) / plan.repeat.everyMs) + 1;
    const from = Math.max(0, count - 5000);
    for (let n = from; n < count; n++) {
      const at = plan.repeat.startMs + n * plan.repeat.everyMs;
      out.push({ atMs: at, text: plan.repeat.text(n, startedAt + at) });
    }
    out.sort((a, b) => a.atMs - b.atMs);
  }
  return out;
}

/** Node capacity and pod requests as bytes; 0 for an absent or unreadable quantity, as the eviction ranking wants. */
function memoryBytes(text: string | undefined): number {
  return (text && parseBytes(text)) || 0;
}
