// Probe ticks for a running container: startup first (liveness and readiness wait for it),
// then liveness and readiness every periodSeconds after initialDelaySeconds, with the
// failure/success thresholds deciding kills and readiness. Only the decisions are returned;
// the kubelet turns them into Unhealthy/Killing events and state changes. The probes come from
// the container spec with named ports resolved, as the prober reads them.
import type { Container, Probe } from '../../../kube/types';
import type { RunningState } from '../runtime/containerRuntime';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

export interface ProbeEvent {
  at: number;
  kind: ProbeKind;
  output: string;
}

export interface ProbeDecision {
  /** Unhealthy events, in time order. */
  failures: ProbeEvent[];
  /** A liveness or startup kill and when it was decided. */
  kill?: { kind: 'Liveness' | 'Startup'; at: number };
}

export function initProbeState(
  startedAt: number,
  probes: Partial<Record<ProbeKind, Probe>>,
): RunningState['probes'] {
  const first = (p: Probe | undefined): number =>
    p ? startedAt + (p.initialDelaySeconds ?? 0) * 1000 : Infinity;
  return {
    nextTick: {
      Startup: first(probes.Startup),
      Liveness: first(probes.Liveness),
      Readiness: first(probes.Readiness),
    },
    failures: { Startup: 0, Liveness: 0, Readiness: 0 },
    successes: { Startup: 0, Liveness: 0, Readiness: 0 },
    startupDone: !probes.Startup,
    ready: !probes.Readiness,
  };
}

/** Runs every probe tick up to `now`; mutates `state.probes`. */
export function runProbes(
  state: RunningState,
  probes: Partial<Record<ProbeKind, Probe>>,
  now: number,
): ProbeDecision {
  const decision: ProbeDecision = { failures: [] };
  const p = state.probes;
  const started = state.run.startedAt;
  for (let guard = 0; guard < 10_000; guard++) {
    const kinds: ProbeKind[] = p.startupDone ? ['Liveness', 'Readiness'] : ['Startup'];
    let kind: ProbeKind | undefined;
    for (const k of kinds)
      if (probes[k] && p.nextTick[k] <= now && (kind === undefined || p.nextTick[k] < p.nextTick[kind]))
        kind = k;
    if (!kind) break;
    const probe = probes[kind]!;
    const at = p.nextTick[kind];
    p.nextTick[kind] = at + (probe.periodSeconds ?? 10) * 1000;
    const outcome = state.run.plan.probe(kind, probe, at - started);
    if (outcome.ok) {
      p.failures[kind] = 0;
      p.successes[kind]++;
      if (kind === 'Startup') {
        p.startupDone = true;
        // Liveness and readiness begin only once startup has succeeded.
        for (const k of ['Liveness', 'Readiness'] as const)
          if (probes[k]) p.nextTick[k] = Math.max(p.nextTick[k], at);
      }
      if (kind === 'Readiness' && p.successes[kind] >= (probe.successThreshold ?? 1)) p.ready = true;
      continue;
    }
    p.successes[kind] = 0;
    p.failures[kind]++;
    decision.failures.push({ at, kind, output: outcome.output });
    if (kind === 'Readiness' && p.failures[kind] >= (probe.failureThreshold ?? 3)) p.ready = false;
    if (kind !== 'Readiness' && p.failures[kind] >= (probe.failureThreshold ?? 3)) {
      decision.kill = { kind, at };
      break;
    }
  }
  return decision;
}

export function nextProbeTick(state: RunningState, probes: Partial<Record<ProbeKind, Probe>>): number {
  const p = state.probes;
  const kinds: ProbeKind[] = p.startupDone ? ['Liveness', 'Readiness'] : ['Startup'];
  return Math.min(...kinds.map((k) => (probes[k] ? p.nextTick[k] : Infinity)));
}

/** The container's probes, named ports resolved to numbers as the prober does. */
export function containerProbes(c: Container): Partial<Record<ProbeKind, Probe>> {
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
