// Starting a container whose image is on the node, as the kubelet's startContainer does: config
// (env, then runAsNonRoot) or CreateContainerConfigError, create, then start or a StartError
// from the argv the runtime could not exec; a started container runs its image's process plan.
import type { Container, Pod } from '../../../kube/types';
import type { ObjectStore } from '../../objectStore';
import { expand, mountedFiles, resolveEnv, runAsNonRootError, startError } from './containerConfig';
import { rememberRun } from '../runtime/containerRuntime';
import type { CatalogImage } from '../images/imageCatalog';
import type { KubeletEvent } from './kubeletEvents';
import { hexId } from '../names';
import type { ContainerSlot, PodRuntime } from './podRuntime';
import type { ProcessPlan } from '../runtime/processPlan';
import { containerProbes, initProbeState } from './probes';
import { errorResyncMs } from './syncIntervals';
import { rfc3339 } from '../../../kube/timeFormat';

export interface ServiceLookup {
  reachable(namespace: string, host: string): boolean;
}

export class ContainerStarter {
  constructor(
    private readonly store: ObjectStore,
    private readonly random: () => number,
    private readonly services: ServiceLookup,
    private readonly event: KubeletEvent,
  ) {}

  /**
   * Config, create, start. Returns undefined once the container runs; otherwise when to look
   * again (a config error is retried, a start error waits for the restart decision).
   */
  start(pod: Pod, rt: PodRuntime, c: ContainerSlot, now: number): number | undefined {
    const catalog = c.catalog;
    // Config: env first (envFrom, then env), then the runAsNonRoot check.
    const env = resolveEnv(this.store, pod, c.spec);
    const configError = 'error' in env ? env.error : runAsNonRootError(pod, c.spec, catalog?.user ?? '0');
    if (configError) {
      this.event(pod, c, 'Warning', 'Failed', `Error: ${configError}`);
      c.waiting = { reason: 'CreateContainerConfigError', message: configError };
      return now + errorResyncMs;
    }
    const id = `containerd://${hexId(64, this.random)}`;
    this.event(pod, c, 'Normal', 'Created', `Created container: ${c.name}`);
    const argv = containerArgv(c.spec, catalog, 'env' in env ? env.env : {});
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
    c.running = { run, probes: initProbeState(now, containerProbes(c.spec)) };
    delete c.waiting;
    delete c.terminated;
    c.phase = 'running';
    return undefined;
  }

  /** What the image's process does when started at `startedAt` (env resolved again unless given). */
  plan(
    pod: Pod,
    rt: PodRuntime,
    c: ContainerSlot,
    catalog: CatalogImage,
    startedAt: number,
    env?: Record<string, string>,
  ): ProcessPlan | undefined {
    const resolved =
      env ??
      (() => {
        const r = resolveEnv(this.store, pod, c.spec);
        return 'env' in r ? r.env : {};
      })();
    return catalog.run({
      pod,
      container: c.spec,
      argv: containerArgv(c.spec, catalog, resolved),
      env: resolved,
      files: mountedFiles(this.store, pod, c.spec),
      podIP: rt.podIP ?? '',
      startedAt,
      serviceReachable: (host) => this.services.reachable(rt.namespace, host),
    });
  }
}

/** command ?? entrypoint, then args ?? cmd (cmd dropped when command is set), $(VAR) expanded. */
function containerArgv(
  spec: Container,
  catalog: CatalogImage | undefined,
  env: Record<string, string>,
): string[] {
  const command = spec.command ?? catalog?.entrypoint ?? [];
  const args = spec.args ?? (spec.command ? [] : (catalog?.cmd ?? []));
  return [...command, ...args].map((a) => expand(a, env));
}
