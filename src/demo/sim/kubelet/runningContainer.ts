// A running container between its start and its end: probe ticks (Unhealthy events, liveness and
// startup kills), the OOM kill when the process outgrows its memory limit, the process's own
// exit, and a SIGTERM kill running out.
import type { Pod } from '../../../kube/types';
import { finish, killPlan, shouldRestart } from './containerExit';
import type { KubeletEvent } from './kubeletEvents';
import { memoryLimit } from '../podResources';
import type { ContainerSlot } from './podRuntime';
import { containerProbes, nextProbeTick, runProbes } from './probes';

/** Advances a running container to `now`; returns its next wake-up time. */
export function stepRunning(pod: Pod, c: ContainerSlot, now: number, event: KubeletEvent): number {
  const r = c.running!;
  if (r.kill) {
    if (now < r.kill.exitAt) return r.kill.exitAt;
    finish(c, r.kill.exitCode, r.kill.exitCode === 0 ? 'Completed' : 'Error', r.kill.exitAt);
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
  const probes = containerProbes(c.spec);
  const decision = runProbes(r, probes, horizon);
  for (const f of decision.failures)
    event(pod, c, 'Warning', 'Unhealthy', `${f.kind} probe failed: ${f.output}`);
  if (decision.kill) {
    const restart = shouldRestart(pod, c, 137);
    const what = decision.kill.kind === 'Liveness' ? 'liveness' : 'startup';
    event(
      pod,
      c,
      'Normal',
      'Killing',
      `Container ${c.name} failed ${what} probe${restart ? ', will be restarted' : ''}`,
    );
    const probe = probes[decision.kill.kind]!;
    const grace =
      (probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    r.kill = killPlan(plan, decision.kill.at, grace);
    return stepRunning(pod, c, now, event);
  }
  if (oomAt <= now) {
    finish(c, 137, 'OOMKilled', oomAt);
    return c.decideAt!;
  }
  if (exitAt <= now) {
    const code = plan.exit!.code;
    finish(c, code, code === 0 ? 'Completed' : 'Error', exitAt);
    return c.decideAt!;
  }
  return Math.min(oomAt, exitAt, nextProbeTick(r, probes));
}
