// How a finding is named in a lightbulb menu that may hold fixes for several findings at once:
// each fix title is prefixed with the problem it fixes (`OOMKilled: Raise the memory limit …`).
// Pure (no vscode), so the titles are unit-tested.
import type { FindingCode } from '../analysis/finding';

const LABELS: Record<FindingCode, string> = {
  'configmap-missing': 'ConfigMap missing',
  'configmap-key-missing': 'ConfigMap key missing',
  'secret-missing': 'Secret missing',
  'secret-key-missing': 'Secret key missing',
  'run-as-non-root': 'runAsNonRoot with a root image',
  'image-not-found': 'Image not found',
  'image-pull-unauthorized': 'Image pull unauthorized',
  'image-invalid': 'InvalidImageName',
  'image-never-pulled': 'ErrImageNeverPull',
  'oom-killed': 'OOMKilled',
  'memory-near-limit': 'Memory near its limit',
  'crash-loop': 'CrashLoopBackOff',
  'command-not-found': 'Command not found',
  'liveness-probe-failed': 'Liveness probe failing',
  'readiness-probe-failed': 'Readiness probe failing',
  'startup-probe-failed': 'Startup probe failing',
  'insufficient-memory': 'Insufficient memory',
  'insufficient-cpu': 'Insufficient cpu',
  'node-selector-mismatch': 'No node matches',
  'untolerated-taint': 'Untolerated taint',
  'pvc-unbound': 'PVC unbound',
  evicted: 'Evicted',
  preempted: 'Preempted',
  'node-not-ready': 'Node not ready',
  'init-container-failed': 'Init container failing',
  'rollout-stuck': 'Rollout stuck',
  'service-no-endpoints': 'Service without endpoints',
  'pod-create-forbidden': 'Pod creation forbidden',
  'job-backoff-exceeded': 'Job backoff limit',
  'live-drift': 'Differs from live',
};

export function problemLabel(code: string): string {
  return (LABELS as Record<string, string | undefined>)[code] ?? code;
}

export function fixTitle(code: string, title: string): string {
  return `${problemLabel(code)}: ${title}`;
}

/**
 * Codes whose first fix is the clearly right one (the one the catalog names): marked preferred so
 * "Auto Fix" can apply it. Others offer choices a person must make (which key, which node label,
 * optional or created), so none is preferred.
 */
const FIRST_FIX_PREFERRED = new Set<string>([
  'oom-killed',
  'image-not-found',
  'image-invalid',
  'image-never-pulled',
  'insufficient-memory',
  'insufficient-cpu',
  'run-as-non-root',
  'startup-probe-failed',
  'job-backoff-exceeded',
]);

export function isPreferredFix(code: string, index: number, count: number): boolean {
  if (FIRST_FIX_PREFERRED.has(code)) return index === 0;
  // A single candidate (one similar key, one existing PVC) is clearly right too.
  return count === 1 && code !== 'live-drift' && code !== 'untolerated-taint';
}
