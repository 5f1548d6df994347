// What `kubectl logs [--previous]` reads from the kubelet: the lines a container's current or
// previous run has written so far, or the kubelet's error text when there is no such run.
import type { PodRuntime } from './podRuntime';
import type { ProcessPlan } from '../runtime/processPlan';

/** Log lines of the current (or previous) run of a container of `rt`. */
export function containerLogs(
  rt: PodRuntime,
  container: string | undefined,
  previous: boolean,
  now: number,
): { lines: { time: number; text: string }[] } | { error: string } {
  const name = rt.name;
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
  const end = run.finishedAt ?? now;
  return {
    lines: linesOf(run.plan, run.startedAt, end).map((l) => ({
      time: run.startedAt + l.atMs,
      text: l.text,
    })),
  };
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
