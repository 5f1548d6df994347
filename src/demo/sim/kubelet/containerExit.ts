// How a container instance ends: the SIGTERM kill plan within the grace period, the terminated
// state it leaves (with the log tail as message under FallbackToLogsOnError), and whether the
// pod's restart policy brings it back.
import type { Pod } from '../../../kube/types';
import { linesOf } from './containerLogs';
import type { ContainerSlot } from './podRuntime';
import { isSidecar } from './podStatusBuilder';
import type { ProcessPlan } from '../runtime/processPlan';
import { rfc3339 } from '../../../kube/timeFormat';

/** When and with which code a process sent SIGTERM at `at` ends; SIGKILL (137) once the grace runs out. */
export function killPlan(
  plan: ProcessPlan,
  at: number,
  graceMs: number,
): { exitAt: number; exitCode: number } {
  if (plan.onSigterm === 'ignore' || plan.onSigterm.afterMs > graceMs)
    return { exitAt: at + graceMs, exitCode: 137 };
  return { exitAt: at + plan.onSigterm.afterMs, exitCode: plan.onSigterm.code };
}

/** The running instance ended at `at`: it becomes the terminated state, awaiting the restart decision. */
export function finish(c: ContainerSlot, exitCode: number, reason: string, at: number): void {
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
  const tail = terminationMessage(c, at);
  if (tail) c.terminated = { ...c.terminated, message: tail };
  delete c.running;
  delete c.waiting;
  c.phase = 'exited';
  // kubectl shows the terminated state for a moment before the restart decision.
  c.decideAt = at + 1_000;
}

/** FallbackToLogsOnError: the log tail becomes the termination message of a failed container. */
function terminationMessage(c: ContainerSlot, at: number): string | undefined {
  if (c.spec.terminationMessagePolicy !== 'FallbackToLogsOnError') return undefined;
  const run = c.running?.run;
  if (!run) return undefined;
  const lines = linesOf(run.plan, run.startedAt, at).map((l) => l.text);
  const text = `${lines.slice(-80).join('\n')}\n`;
  return text.length > 2048 ? text.slice(-2048) : text;
}

export function shouldRestart(pod: Pod, c: ContainerSlot, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (isSidecar(c)) return true;
  if (c.init) return exitCode !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}
