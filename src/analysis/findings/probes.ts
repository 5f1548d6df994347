// Probe failures (catalog §9): `Unhealthy` events say which probe failed and why, `Killing` events
// say the kubelet restarted the container for it. Liveness and startup failures restart the
// container (errors); a failing readiness probe leaves it running without traffic (a warning).
import type { ClusterView } from '../../kube/clusterView';
import type { FailurePhase, Finding, FixSuggestion, Severity } from '../finding';
import type { KubeEvent, Pod, Probe } from '../../kube/types';
import { describeEvent, eventContainer, eventMessage, newestEventTime } from './eventText';
import { podFinding } from './findingBase';
import type { PodContainer } from './podContainers';
import { podContainers } from './podContainers';

type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

const UNHEALTHY = /^(Liveness|Readiness|Startup) probe (?:failed|errored)[^:]*: ?(.*)$/s;
const KILLING = /^(?:Init )?[Cc]ontainer \S+ failed (liveness|startup) probe/;
const TIMEOUT = /context deadline exceeded|Client\.Timeout|timed out|i\/o timeout/;
const REFUSED = /connection refused/;

// Kubernetes defaults for probe timing.
const DEFAULT_PERIOD = 10;
const DEFAULT_TIMEOUT = 1;
const DEFAULT_FAILURE_THRESHOLD = 3;
const MIN_SUGGESTED_TIMEOUT = 5;
/** How long a ready container must go without a probe failure before old failures count as history. */
const RECOVERED_AFTER_MS = 10 * 60 * 1000;

const FIELD: Record<ProbeKind, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> = {
  Liveness: 'livenessProbe',
  Readiness: 'readinessProbe',
  Startup: 'startupProbe',
};
const CODE = {
  Liveness: 'liveness-probe-failed',
  Readiness: 'readiness-probe-failed',
  Startup: 'startup-probe-failed',
} as const;

function timeoutFix(path: string, probe: Probe | undefined, output: string): FixSuggestion[] {
  if (!TIMEOUT.test(output)) return [];
  const value = Math.max(MIN_SUGGESTED_TIMEOUT, 2 * (probe?.timeoutSeconds ?? DEFAULT_TIMEOUT));
  return [
    {
      title: `Give the probe ${value}s to answer (timeoutSeconds, default 1s)`,
      changes: [{ op: 'set', root: 'podSpec', path: `${path}.timeoutSeconds`, value }],
    },
  ];
}

/** A refused connection on a port the container does not declare: point the probe at the one it does. */
function portFix(
  container: PodContainer,
  path: string,
  probe: Probe | undefined,
  output: string,
): FixSuggestion[] {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  const ports = container.spec?.ports ?? [];
  if (port === undefined || !REFUSED.test(output) || ports.length !== 1) return [];
  const declared = ports[0];
  const matches = typeof port === 'number' ? port === declared?.containerPort : port === declared?.name;
  if (matches || !declared) return [];
  const handler = probe?.httpGet ? 'httpGet' : 'tcpSocket';
  return [
    {
      title: `Probe port ${declared.containerPort}, the port the container declares`,
      changes: [
        { op: 'set', root: 'podSpec', path: `${path}.${handler}.port`, value: declared.containerPort },
      ],
    },
  ];
}

function fixesFor(kind: ProbeKind, container: PodContainer, output: string): FixSuggestion[] {
  const field = FIELD[kind];
  const path = `${container.path}.${field}`;
  const probe = container.spec?.[field];
  const fixes = [...timeoutFix(path, probe, output), ...portFix(container, path, probe, output)];
  const period = probe?.periodSeconds ?? DEFAULT_PERIOD;
  const threshold = probe?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
  if (kind === 'Startup') {
    const doubled = threshold * 2;
    fixes.push({
      title: `Allow ${doubled * period}s to start (failureThreshold ${doubled} × periodSeconds ${period}; now ${threshold * period}s)`,
      changes: [{ op: 'set', root: 'podSpec', path: `${path}.failureThreshold`, value: doubled }],
    });
  }
  if (kind === 'Readiness' && probe) {
    // A dependency that is slow to come up fails readiness at first; waiting longer before the
    // first check is the lengthening that suits a readiness probe (a threshold would only delay
    // taking a broken pod out of the Service).
    const delay = probe.initialDelaySeconds ?? 0;
    const longer = Math.max(30, delay * 2);
    fixes.push({
      title: `Wait ${longer}s before the first readiness check (initialDelaySeconds, now ${delay}s)`,
      changes: [{ op: 'set', root: 'podSpec', path: `${path}.initialDelaySeconds`, value: longer }],
    });
  }
  if (kind === 'Liveness') {
    if (!container.spec?.startupProbe && probe) {
      // A slow starter killed by liveness needs a startup probe on the same endpoint, not a laxer liveness probe.
      const {
        initialDelaySeconds: _delay,
        failureThreshold: _threshold,
        periodSeconds: _period,
        successThreshold: _success,
        ...handler
      } = probe;
      fixes.push({
        title: 'Add a startupProbe on the same endpoint (allows 300s to start before liveness checks begin)',
        changes: [
          {
            op: 'set',
            root: 'podSpec',
            path: `${container.path}.startupProbe`,
            value: { ...handler, periodSeconds: DEFAULT_PERIOD, failureThreshold: 30 },
          },
        ],
      });
    }
    fixes.push({
      title: `Tolerate ${threshold * 2} failures before a restart (failureThreshold, now ${threshold})`,
      changes: [{ op: 'set', root: 'podSpec', path: `${path}.failureThreshold`, value: threshold * 2 }],
    });
  }
  return fixes;
}

function messageFor(kind: ProbeKind, container: PodContainer, output: string): string {
  const probe = container.spec?.[FIELD[kind]];
  const restarts = container.status?.restartCount ?? 0;
  const why = output ? ` (${output.split('\n')[0]})` : '';
  switch (kind) {
    case 'Liveness':
      return `Liveness probe of "${container.name}" fails${why}; the kubelet restarted the container${restarts ? ` ${restarts} times` : ''}`;
    case 'Startup': {
      const budget =
        (probe?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD) * (probe?.periodSeconds ?? DEFAULT_PERIOD);
      return `Startup probe of "${container.name}" does not succeed within ${budget}s${why}; the container is killed and restarted`;
    }
    default:
      return `Readiness probe of "${container.name}" fails${why}; the container runs but gets no traffic`;
  }
}

/** Whether the probe's failures are current: the container state still shows their effect. */
function isCurrent(kind: ProbeKind, container: PodContainer, killed: boolean, quietForMs: number): boolean {
  const status = container.status;
  if (!status) return false;
  if (kind === 'Readiness') return !status.ready && status.state?.running !== undefined;
  // A container that is ready again and has not failed the probe for a while has recovered; its
  // events linger for an hour.
  if (status.ready && quietForMs > RECOVERED_AFTER_MS) return false;
  if (kind === 'Startup') return status.started !== true || killed;
  return killed || status.restartCount > 0;
}

const SEVERITY: Record<ProbeKind, Severity> = { Liveness: 'error', Startup: 'error', Readiness: 'warning' };
const PHASE: Record<ProbeKind, FailurePhase> = {
  Liveness: 'Run',
  Startup: 'Initialization',
  Readiness: 'Run',
};

/** liveness-probe-failed, readiness-probe-failed, startup-probe-failed for one pod. */
export function probeFindings(pod: Pod, view: ClusterView): Finding[] {
  // Readiness failures while a pod shuts down are expected noise (catalog §9.2).
  if (pod.metadata?.deletionTimestamp) return [];
  const events = view.eventsFor('Pod', pod.metadata?.namespace, pod.metadata?.name ?? '');
  const findings: Finding[] = [];
  for (const container of podContainers(pod)) {
    const own = events.filter((e) => {
      const target = eventContainer(e);
      return target?.kind === container.kind && target.name === container.name;
    });
    for (const kind of ['Startup', 'Liveness', 'Readiness'] as const) {
      const unhealthy: { event: KubeEvent; output: string }[] = [];
      for (const event of own) {
        if (event.reason !== 'Unhealthy') continue;
        const match = UNHEALTHY.exec(eventMessage(event));
        if (match?.[1] === kind) unhealthy.push({ event, output: (match[2] ?? '').trim() });
      }
      if (!unhealthy.length) continue;
      const killing = own.filter(
        (e) => e.reason === 'Killing' && KILLING.exec(eventMessage(e))?.[1] === kind.toLowerCase(),
      );
      const lastFailure = Date.parse(newestEventTime(unhealthy.map((u) => u.event)) ?? '');
      const quietFor = Number.isNaN(lastFailure) ? 0 : view.now() - lastFailure;
      if (!isCurrent(kind, container, killing.length > 0, quietFor)) continue;
      const output = unhealthy.at(-1)?.output ?? '';
      const terminated = kind === 'Readiness' ? undefined : container.status?.lastState?.terminated;
      findings.push(
        podFinding(pod, {
          code: CODE[kind],
          severity: SEVERITY[kind],
          message: messageFor(kind, container, output),
          phase: PHASE[kind],
          container,
          paths: [`${container.path}.${FIELD[kind]}`, `${container.path}.name`],
          evidence: [
            ...unhealthy.map((u) => describeEvent(u.event)),
            ...killing.map(describeEvent),
            ...(terminated
              ? [
                  `${container.name}: last terminated: reason ${terminated.reason ?? '(none)'}, exit code ${terminated.exitCode}`,
                ]
              : []),
          ],
          fixes: fixesFor(kind, container, output),
          lastSeen: newestEventTime([...unhealthy.map((u) => u.event), ...killing]),
        }),
      );
    }
  }
  return findings;
}
