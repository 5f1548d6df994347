// After an apply: watch the object's rollout in the live model until its finding clears or a new
// one appears, and say the result in one line. Only the live model is read (findingsOf and its
// change events): the same findings the editor shows decide what the user is told.
import type { Finding } from '../analysis/finding';
import { workloadHealth } from '../analysis/workloadHealth';
import { compareResourceVersions } from '../cluster/resourceVersion';
import type { KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';
import type { ObjectRef } from '../kube/objectRef';
import { refKey } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';
import type { LiveContext } from './liveContext';

export type RolloutOutcome =
  /** The findings there were before the apply are gone and the object is healthy. */
  | 'cleared'
  /** There was no finding, and the object rolled out healthy. */
  | 'healthy'
  /** A finding of a code the object did not have before the apply. */
  | 'newFinding'
  /** Pods created after the apply fail the same way as before. */
  | 'stillFailing'
  | 'timeout'
  | 'cancelled';

export interface RolloutResult {
  outcome: RolloutOutcome;
  /** One line for the user. */
  message: string;
  /** The finding behind newFinding / stillFailing / timeout, if any. */
  finding?: Finding;
}

export interface WatchRolloutOptions {
  /** The owners whose findings to follow: the applied object, or the pods' workloads. */
  owners: readonly ObjectRef[];
  /** The object as the apply answered it, to know when the live store has caught up. */
  applied?: KubeObject;
  /** The findings codes (per owner key) before the change; default: read now. */
  before?: ReadonlyMap<string, ReadonlySet<string>>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A short line while waiting (the progress notification). */
  onProgress?: (text: string) => void;
}

/** The codes each owner has now: what "before the change" means for watchRollout. */
export function findingCodes(context: LiveContext, owners: readonly ObjectRef[]): Map<string, Set<string>> {
  return new Map(owners.map((o) => [refKey(o), new Set(context.findingsOf(o).map((f) => f.code))]));
}

export function watchRollout(context: LiveContext, options: WatchRolloutOptions): Promise<RolloutResult> {
  const owners = options.owners;
  const before = options.before ?? findingCodes(context, owners);
  const namespaces = new Set(owners.map((o) => o.namespace ?? ''));
  // Pods that existed before: a finding on one of them is history, on a new one it is news.
  const oldPods = new Set(
    [...namespaces].flatMap((ns) =>
      context.source.list('Pod', ns).map((p) => `${ns}/${p.metadata?.name ?? ''}`),
    ),
  );
  const timeoutMs = options.timeoutMs ?? 180_000;
  const label = owners.map(describe).join(', ');

  const evaluate = (): RolloutResult | undefined => {
    if (options.applied && !caughtUp(context, options.applied)) {
      options.onProgress?.('waiting for the cluster to report the change');
      return undefined;
    }
    for (const owner of owners) {
      const had = before.get(refKey(owner)) ?? new Set<string>();
      const findings = context.findingsOf(owner).filter((f) => f.severity !== 'info');
      const fresh = findings.find((f) => !had.has(f.code));
      if (fresh)
        return {
          outcome: 'newFinding',
          finding: fresh,
          message: `${describe(owner)}: new problem after the change: ${fresh.code}: ${fresh.message}`,
        };
      const again = findings.find(
        (f) => f.subject.kind === 'Pod' && !oldPods.has(`${f.subject.namespace ?? ''}/${f.subject.name}`),
      );
      if (again)
        return {
          outcome: 'stillFailing',
          finding: again,
          message: `${describe(owner)} still fails after the change: ${again.message}`,
        };
    }
    const pending = owners.map((o) => ({ owner: o, health: healthOf(context, o) }));
    const waiting = pending.find((p) => p.health !== undefined && p.health.level !== 'ok');
    const remaining = owners.flatMap((o) => context.findingsOf(o).filter((f) => f.severity !== 'info'));
    if (!waiting && remaining.length === 0) {
      const cleared = [...new Set(owners.flatMap((o) => [...(before.get(refKey(o)) ?? [])]))];
      return cleared.length > 0
        ? { outcome: 'cleared', message: `${label}: rolled out; ${cleared.join(', ')} cleared.` }
        : { outcome: 'healthy', message: `${label}: rolled out and healthy.` };
    }
    options.onProgress?.(
      waiting
        ? `${describe(waiting.owner)}: ${waiting.health?.summary || waiting.health?.reasons[0] || 'rolling out'}`
        : `waiting for ${remaining[0]?.code ?? 'the finding'} to clear`,
    );
    return undefined;
  };

  return new Promise<RolloutResult>((resolve) => {
    let done = false;
    const finish = (result: RolloutResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const check = (): void => {
      const result = evaluate();
      if (result) finish(result);
    };
    const onAbort = (): void => finish({ outcome: 'cancelled', message: `${label}: stopped watching.` });
    const timer = setTimeout(() => {
      const finding = owners.flatMap((o) => context.findingsOf(o))[0];
      const health = owners.map((o) => healthOf(context, o)).find((h) => h && h.level !== 'ok');
      finish({
        outcome: 'timeout',
        ...(finding ? { finding } : {}),
        message: `${label}: not settled after ${Math.round(timeoutMs / 1000)} s: ${
          finding?.message ?? health?.reasons[0] ?? health?.summary ?? 'no news from the cluster'
        }`,
      });
    }, timeoutMs);
    const subscription = context.onDidChange((change) => {
      const relevant =
        change.initial ||
        change.owners.some((o) => owners.some((w) => refKey(w) === refKey(o))) ||
        change.objects.some((c) => namespaces.has(c.object.metadata?.namespace ?? ''));
      if (relevant) check();
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    else check();
  });
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function healthOf(context: LiveContext, ref: ObjectRef): ReturnType<typeof workloadHealth> | undefined {
  if (!isKind(ref.kind)) return undefined;
  const live = context.source.get(ref.kind, ref.namespace, ref.name);
  if (!live) return { level: 'progressing', summary: 'not in the cluster yet', reasons: [] };
  const health = workloadHealth(context.source, live, ref.kind);
  // Kinds without health rules (ConfigMap, say) are done once they exist.
  return health.level === 'unknown' && health.summary === '' ? undefined : health;
}

/** The live store holds the applied version (or a newer one) of the object. */
function caughtUp(context: LiveContext, applied: KubeObject): boolean {
  const kind = applied.kind ?? '';
  if (!isKind(kind)) return true;
  const live = context.source.get(kind, applied.metadata?.namespace, applied.metadata?.name ?? '');
  if (!live) return false;
  const liveRv = live.metadata?.resourceVersion ?? '';
  const appliedRv = applied.metadata?.resourceVersion ?? '';
  const order = compareResourceVersions(liveRv, appliedRv);
  if (order !== undefined) return order >= 0;
  if (liveRv === appliedRv) return true;
  // Opaque versions: a generation at least the applied one means the spec change has arrived.
  const [g, a] = [live.metadata?.generation, applied.metadata?.generation];
  return g !== undefined && a !== undefined && g >= a;
}

function isKind(kind: string): kind is KindName {
  return (KIND_NAMES as readonly string[]).includes(kind);
}
