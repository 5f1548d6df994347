// What a simulated container process does once started: the log lines it writes, when it exits
// and with which code, how much memory it holds, and how it answers probes. Each image in the
// catalog turns its inputs (argv, env, mounted files, the cluster around it) into one plan.
import type { Container, Pod, Probe } from '../../../kube/types';

export interface LogLine {
  /** ms after the process started. */
  atMs: number;
  text: string;
}

export interface RunContext {
  pod: Pod;
  container: Container;
  /** The argv after $(VAR) expansion: command ?? entrypoint, then args ?? cmd. */
  argv: string[];
  env: Record<string, string>;
  /** Files from ConfigMap/Secret volumes, by absolute path. */
  files: Map<string, string>;
  podIP: string;
  /** Simulated ms since the epoch when the process started. */
  startedAt: number;
  /** Whether a Service with at least one ready endpoint answers at `host` (`name` or `name.ns...`). */
  serviceReachable(host: string): boolean;
}

export interface ProbeOutcome {
  ok: boolean;
  /** The probe output the kubelet puts after `Liveness probe failed: `. */
  output: string;
}

export interface ProcessPlan {
  logs: LogLine[];
  /** A line written forever, every `everyMs` from `startMs`. */
  repeat?: { startMs: number; everyMs: number; text: (n: number, at: number) => string };
  exit?: { atMs: number; code: number };
  /** Resident memory once warmed up; a lower limit means an OOM kill at `oomAtMs`. */
  memoryBytes: number;
  oomAtMs?: number;
  cpuMilli: number;
  /** How the process reacts to SIGTERM: exit code and delay, or ignore (then SIGKILL, 137). */
  onSigterm: { code: number; afterMs: number } | 'ignore';
  probe(kind: 'Liveness' | 'Readiness' | 'Startup', probe: Probe, atMs: number): ProbeOutcome;
}

export function connectionRefused(probe: Probe, podIP: string): string {
  if (probe.httpGet) {
    const port = probe.httpGet.port;
    const path = probe.httpGet.path ?? '/';
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `Get "${scheme}://${podIP}:${port}${path}": dial tcp ${podIP}:${port}: connect: connection refused`;
  }
  if (probe.tcpSocket) return `dial tcp ${podIP}:${probe.tcpSocket.port}: connect: connection refused`;
  if (probe.grpc)
    return `timeout: failed to connect service "${podIP}:${probe.grpc.port}" within 1s: context deadline exceeded`;
  return '';
}

/** A server listening on `ports` that answers HTTP paths with `status(path)` once `readyAfterMs` passed. */
export function serverProbe(
  ports: (number | string)[],
  readyAfterMs: number,
  podIP: string,
  status: (path: string) => number = () => 200,
): ProcessPlan['probe'] {
  return (_kind, probe, atMs) => {
    const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
    if (probe.exec) return { ok: true, output: '' };
    if (port === undefined || !ports.includes(port) || atMs < readyAfterMs)
      return { ok: false, output: connectionRefused(probe, podIP) };
    if (probe.httpGet) {
      const code = status(probe.httpGet.path ?? '/');
      if (code >= 200 && code < 400) return { ok: true, output: '' };
      return { ok: false, output: `HTTP probe failed with statuscode: ${code}` };
    }
    return { ok: true, output: '' };
  };
}
