// The whole demo cluster in one call: the in-memory store, the simulated control plane and
// nodes, the HTTPS API server kubectl and client-node talk to, and the scenarios of
// demo/workspace applied as `kubectl apply -f` would apply them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeObject } from '../kube/types';
import { startApiServer } from './apiserver/server';
import type { ApiServer, ApiServerLogger } from './apiserver/server';
import type { Clock } from './clock';
import { MemoryStore } from './memoryStore';
import { ScaledClock } from './scaledClock';
import { applyOrder } from './sim/applyOrder';
import { demoNodes } from './sim/nodeLifecycle/nodeFactory';
import { generateScale } from './sim/scaleScenario';
import type { ScaleSummary } from './sim/scaleScenario';
import { simulationLogSource, simulationMetrics } from './sim/simHooks';
import { Simulation } from './sim/simulation';
import { applyObjects, parseManifests } from './yamlApply';

export interface DemoClusterOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** Simulated seconds per real second (default 1); ignored when `clock` is given. */
  speed?: number;
  /** Adds a benchmark load of this many running pods (50 per namespace). */
  pods?: number;
  /** How many of those pods share a namespace (default 50); the tree bench wants 5,000 in one. */
  podsPerNamespace?: number;
  /** Where to write the kubeconfig; default a file in the OS temp directory. */
  kubeconfigOut?: string;
  /** The scenario manifests; default the repository's demo/workspace. Empty string: none. */
  workspaceDir?: string;
  clock?: Clock;
  logger?: ApiServerLogger;
  /** `false`: serve no metrics.k8s.io, as a cluster without metrics-server. */
  metrics?: false;
  /** Real-time ms between watch BOOKMARKs (default 5000; kube-apiserver: about 60 000). */
  bookmarkIntervalMs?: number;
}

export interface DemoCluster {
  url: string;
  kubeconfigPath: string;
  store: MemoryStore;
  clock: Clock;
  simulation: Simulation;
  server: ApiServer;
  /** What `pods` generated, when asked. */
  scale?: ScaleSummary;
  stop(): Promise<void>;
}

/** How long a sped-up demo can run before its simulated time passes the real time. */
const sessionMs = 30 * 60_000;

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** demo/workspace next to the sources or the bundle, found by walking up from this file. */
export function defaultWorkspaceDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'demo', 'workspace');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Every object of the workspace's top-level *.yaml files, files in name order. */
export function readWorkspace(dir: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    objects.push(...parseManifests(readFileSync(join(dir, file), 'utf8'), file));
  }
  return objects;
}

/**
 * Applies `objects` one at a time, letting the simulation settle after each, so that workloads
 * start in file order (the no-priority pod is running before the high-priority one arrives).
 */
export function applyWorkspace(store: MemoryStore, simulation: Simulation, objects: KubeObject[]): void {
  for (const object of applyOrder(objects)) {
    applyObjects(store, [object], 'default', simulation.ctx.random, () => simulation.ctx.clock.now());
    simulation.flush();
  }
}

export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const speed = options.speed ?? 1;
  // `kubectl describe` and client-side code compute ages with the real clock. A faster clock
  // that started now would soon stamp objects in the future ("<invalid>"), so it starts far
  // enough back to stay in the past for a half-hour session (server-side `kubectl get` ages
  // use the simulated clock and look right either way).
  const ownClock = options.clock
    ? undefined
    : new ScaledClock(speed, Date.now() - Math.max(0, speed - 1) * sessionMs);
  const clock: Clock = options.clock ?? ownClock!;
  const log: ApiServerLogger = options.logger ?? (() => undefined);
  const store = new MemoryStore({ clock });
  const simulation = new Simulation(store, clock, {
    onError: (key, error) =>
      log(
        'error',
        `simulation ${key}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  });
  for (const name of systemNamespaces)
    store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  simulation.addNodes(demoNodes);
  const scale = options.pods
    ? generateScale(store, clock, {
        pods: options.pods,
        ...(options.podsPerNamespace ? { podsPerNamespace: options.podsPerNamespace } : {}),
      })
    : undefined;
  simulation.start();
  simulation.flush();
  const workspace = options.workspaceDir ?? defaultWorkspaceDir();
  if (workspace) applyWorkspace(store, simulation, readWorkspace(workspace));
  const server = await startApiServer({
    store,
    clock,
    ...(options.port !== undefined ? { port: options.port } : {}),
    logs: simulationLogSource(simulation),
    metrics: options.metrics === false ? false : simulationMetrics(simulation),
    podDeletion: 'external',
    logger: log,
    ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
  });
  const kubeconfigPath =
    options.kubeconfigOut ?? join(tmpdir(), `podscope-demo-${new URL(server.url).port}.kubeconfig`);
  server.writeKubeconfig(kubeconfigPath, { namespace: 'demo' });
  return {
    url: server.url,
    kubeconfigPath,
    store,
    clock,
    simulation,
    server,
    ...(scale ? { scale } : {}),
    async stop(): Promise<void> {
      simulation.stop();
      await server.close();
      ownClock?.dispose();
    },
  };
}
