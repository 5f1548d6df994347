// The Restarts view's model: every container restart the live model reported this session, newest
// first (seed 001), kept after the pod, its Events (one hour) and even its context are gone. A row
// runs `podscope.pod.logsPrevious` for that container: the crashed run's logs are what explain it.
// Each row's age is the cluster's now minus the exit's finishedAt, as kubectl's `(24s ago)`, and
// is recomputed as time passes: the rows whose text changed are fired every `ageRefreshMs`.
import { explainExit } from '../../analysis/exitCodes';
import type { RestartEvent } from '../../analysis/restartTracker';
import type { Disposable, Event } from '../../cluster/emitter';
import { Emitter } from '../../cluster/emitter';
import { humanDuration, parseTimestamp } from '../../kube/humanDuration';
import type { LiveContext, LiveContextChange } from '../../live/liveContext';
import type { ContextEvent } from '../../live/liveModel';
import { escapeMarkdown } from '../../kube/sanitize';
import { SEPARATOR } from './nodeText';
import type { NodeModel, PodTarget } from './treeNode';
import { TreeNode } from './treeNode';

export const LOGS_PREVIOUS_COMMAND = 'podscope.pod.logsPrevious';

export interface RestartsSource {
  get(name: string): LiveContext | undefined;
  readonly onDidChange: Event<LiveContextChange>;
  readonly onDidChangeContexts: Event<ContextEvent>;
}

interface Entry {
  context: string;
  kubeconfig?: string;
  event: RestartEvent;
  at: number;
}

export class RestartsModel implements NodeModel, Disposable {
  private entries: Entry[] = [];
  private readonly keys = new Set<string>();
  private readonly nodes = new Map<string, TreeNode>();
  private readonly changed = new Emitter<TreeNode[] | undefined>();
  private readonly subscriptions: Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private shown = true;

  readonly onDidChange: Event<TreeNode[] | undefined> = this.changed.event;

  constructor(
    private readonly source: RestartsSource,
    private readonly options: {
      debounceMs?: number;
      capacity?: number;
      clock?: () => number;
      /** How often ages are recomputed (default 1000 ms; 0: only when rows are added). */
      ageRefreshMs?: number;
    } = {},
  ) {
    this.subscriptions = [
      source.onDidChange((change) => this.add(change.context, change.restarts)),
      source.onDidChangeContexts((event) => {
        // Restarts seen while the context opened, before this view listened.
        if (event.type === 'opened') this.add(event.context, source.get(event.context)?.restarts() ?? []);
      }),
    ];
  }

  get size(): number {
    return this.entries.length;
  }

  roots(): TreeNode[] {
    const shown = new Set<string>();
    const result = this.entries.map((entry) => {
      const id = entryKey(entry.context, entry.event);
      shown.add(id);
      const data = restartData(entry, this.now(entry.context));
      let node = this.nodes.get(id);
      if (node) node.data = data;
      else this.nodes.set(id, (node = new TreeNode(id, entry.context, data)));
      return node;
    });
    for (const id of this.nodes.keys()) if (!shown.has(id)) this.nodes.delete(id);
    return result;
  }

  children(): TreeNode[] {
    return [];
  }

  tooltip(node: TreeNode): string | undefined {
    const entry = this.entries.find((e) => entryKey(e.context, e.event) === node.id);
    if (!entry) return undefined;
    const { event } = entry;
    const e = escapeMarkdown;
    const lines = [
      `**${event.initContainer ? 'Init container' : 'Container'}** ${e(event.container)} of pod ${e(event.pod.name)} in ${e(event.pod.namespace ?? '')} (${e(entry.context)})`,
      `Restart #${event.restartCount}${event.restarts > 1 ? ` (${event.restarts} restarts since the previous look)` : ''} at ${e(event.time)}`,
    ];
    if (event.exitCode !== undefined) {
      const explained = explainExit({
        exitCode: event.exitCode,
        ...(event.reason ? { reason: event.reason } : {}),
      });
      lines.push(
        `${e(event.reason || 'Terminated')}, exit code ${event.exitCode}${event.signal ? ` (${event.signal})` : ''}: _${e(explained.meaning)}_`,
      );
    }
    if (event.message) lines.push('', e(event.message.trim().split('\n').slice(-5).join('\n')));
    lines.push('', 'Click to open the previous container’s logs.');
    return lines.join('  \n');
  }

  /**
   * Whether the view is on screen. Ages are re-read every second only while it is: a hidden view
   * costs no timer, and is brought up to date the moment it shows again.
   */
  setShown(shown: boolean): void {
    if (shown === this.shown) return;
    this.shown = shown;
    if (!shown) {
      if (this.ageTimer) clearInterval(this.ageTimer);
      this.ageTimer = undefined;
      return;
    }
    this.refreshAges();
    if (this.entries.length > 0) this.startAgeRefresh();
  }

  /** Recomputes every shown row's age and fires the rows whose text changed. */
  refreshAges(): void {
    const changed: TreeNode[] = [];
    for (const entry of this.entries) {
      const node = this.nodes.get(entryKey(entry.context, entry.event));
      if (!node) continue;
      const data = restartData(entry, this.now(entry.context));
      if (data.description === node.data.description) continue;
      node.data = data;
      changed.push(node);
    }
    if (changed.length > 0) this.changed.fire(changed);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ageTimer) clearInterval(this.ageTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private add(context: string, events: readonly RestartEvent[]): void {
    if (events.length === 0) return;
    const kubeconfig = this.source.get(context)?.context.file;
    let added = false;
    for (const event of events) {
      const key = entryKey(context, event);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      this.entries.push({
        context,
        ...(kubeconfig ? { kubeconfig } : {}),
        event,
        at: parseTimestamp(event.time) ?? 0,
      });
      added = true;
    }
    if (!added) return;
    this.startAgeRefresh();
    this.entries.sort((a, b) => b.at - a.at);
    const capacity = this.options.capacity ?? 1000;
    for (const dropped of this.entries.splice(capacity))
      this.keys.delete(entryKey(dropped.context, dropped.event));
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, this.options.debounceMs ?? 100);
  }

  /** Ages on the cluster's clock, like every other age Podscope shows (a skewed or simulated
   * cluster's timestamps are not on ours, and kubectl's server-side table reads its clock too). */
  private now(context: string): number {
    return this.options.clock?.() ?? this.source.get(context)?.source.now() ?? Date.now();
  }

  private startAgeRefresh(): void {
    const every = this.options.ageRefreshMs ?? 1000;
    if (this.ageTimer || every <= 0 || !this.shown) return;
    this.ageTimer = setInterval(() => this.refreshAges(), every);
    // Ages are cosmetic: they must not keep a test process or a closing host alive.
    this.ageTimer.unref();
  }
}

function entryKey(context: string, event: RestartEvent): string {
  const pod = event.pod.uid ?? `${event.pod.namespace ?? ''}/${event.pod.name}`;
  return `${encodeURIComponent(context)}/${pod}/${event.initContainer ? 'init-' : ''}${event.container}/${event.restartCount}`;
}

function restartData(entry: Entry, now: number): TreeNode['data'] {
  const { event } = entry;
  const target: PodTarget = {
    context: entry.context,
    ...(entry.kubeconfig ? { kubeconfig: entry.kubeconfig } : {}),
    namespace: event.pod.namespace ?? '',
    pod: event.pod.name,
    container: event.container,
  };
  const parts = [event.reason || 'Terminated'];
  if (event.exitCode !== undefined)
    parts.push(`exit ${event.exitCode}${event.signal ? ` ${event.signal}` : ''}`);
  if (entry.at > 0) parts.push(`${humanDuration(now - entry.at)} ago`);
  const oom = event.reason === 'OOMKilled';
  return {
    type: 'restart',
    label: `${event.pod.name} / ${event.container}`,
    description: parts.join(SEPARATOR),
    icon: { id: oom ? 'flame' : 'debug-restart', tone: event.exitCode === 0 ? 'degraded' : 'failed' },
    contextValue: `restart:${(event.reason || 'unknown').toLowerCase()}`,
    collapsible: false,
    target,
    command: { command: LOGS_PREVIOUS_COMMAND, title: 'Show Previous Logs', arguments: [target] },
  };
}
