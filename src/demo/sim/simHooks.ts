// The API server's two hooks into the simulation: LogSource for pods/log (current and previous
// container runs, and `-f` following on the sim clock) and MetricsSource for metrics.k8s.io.
import type { Node, Pod } from '../../kube/types';
import type { LogLine, LogRef, LogSource } from '../apiserver/logs';
import type { MetricsSource } from '../apiserver/metricsApi';
import type { Simulation } from './simulation';

/** How often (simulated) a followed log is checked for new lines. */
const followPollMs = 1000;

export function simulationLogSource(sim: Simulation): LogSource {
  return {
    lines(ref: LogRef, previous: boolean): LogLine[] | undefined {
      return sim.logLines(ref.namespace, ref.pod, ref.container, previous);
    },
    follow(ref: LogRef, onLine: (line: LogLine) => void): () => void {
      let seen = sim.logLines(ref.namespace, ref.pod, ref.container, false)?.length ?? 0;
      let lastFirst = sim.logLines(ref.namespace, ref.pod, ref.container, false)?.[0]?.time;
      let timer: { cancel(): void } | undefined;
      const poll = (): void => {
        const lines = sim.logLines(ref.namespace, ref.pod, ref.container, false) ?? [];
        // A restart starts a new run: follow stops there, as `kubectl logs -f` does.
        if (lines[0]?.time !== lastFirst && seen > 0) return;
        lastFirst = lines[0]?.time;
        for (const line of lines.slice(seen)) onLine(line);
        seen = lines.length;
        timer = sim.clock.setTimer(followPollMs, poll);
      };
      timer = sim.clock.setTimer(followPollMs, poll);
      return () => timer?.cancel();
    },
  };
}

function cpu(milli: number): string {
  return `${Math.max(0, Math.round(milli))}m`;
}

function memory(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}

export function simulationMetrics(sim: Simulation): MetricsSource {
  return {
    podUsage(pod: Pod) {
      const usage = sim.podUsage(pod);
      if (!usage || usage.length === 0) return undefined;
      return usage.map((u) => ({ name: u.name, usage: { cpu: cpu(u.milliCpu), memory: memory(u.memory) } }));
    },
    nodeUsage(node: Node) {
      const usage = sim.nodeUsage(node);
      return usage && { cpu: cpu(usage.milliCpu), memory: memory(usage.memory) };
    },
  };
}
