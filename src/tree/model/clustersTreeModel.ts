// The Clusters view's model, apart from its TreeDataProvider (as vscode-pull-request-github keeps
// prsTreeModel apart from prsTreeDataProvider): it reads the live model and answers "what are the
// children of this node" synchronously, from memory. Opening a context is started here and never
// awaited; the node says "Loading…" and is refreshed when the context is ready. Live changes are
// batched (100 ms) and turned into the smallest set of shown nodes whose rows or children changed.
import { escapeMarkdown } from '../../kube/sanitize';
import type { ClusterError } from '../../cluster/clusterError';
import { toClusterError } from '../../cluster/clusterError';
import type { Disposable, Event } from '../../cluster/emitter';
import { Emitter } from '../../cluster/emitter';
import type { ContextInfo } from '../../cluster/kubeconfig';
import type { HealthLevel } from '../../analysis/workloadHealth';
import { podHealth, worseOf } from '../../analysis/workloadHealth';
import type { LiveContext, LiveContextChange } from '../../live/liveContext';
import type { ContextEvent } from '../../live/liveModel';
import { podRow } from '../../kube/podStatus';
import type { ContainerStatus, Pod } from '../../kube/types';
import type { GroupKind, NamespaceSnapshot, WorkloadEntry } from './namespaceSnapshot';
import { buildNamespaceSnapshot, GROUP_KINDS, GROUP_LABELS } from './namespaceSnapshot';
import {
  badgeFor,
  containerContextValue,
  containerDescription,
  containerIcon,
  containerLevel,
  containerLines,
  findingLines,
  healthFacet,
  joinSections,
  lastEventLine,
  podContextValue,
  podDescription,
  podIcon,
  SEPARATOR,
  workloadDescription,
  workloadIcon,
  worstPod,
} from './nodeText';
import type { NodeData, NodeModel, NodeTarget } from './treeNode';
import { signature, TreeNode } from './treeNode';

/** What the tree needs of the live model (LiveModel implements it; tests pass fakes). */
export interface LiveModelSource {
  kubeconfig(): Promise<{
    files: readonly string[];
    contexts: readonly ContextInfo[];
    currentContext?: string;
  }>;
  activeContext(): Promise<string | undefined>;
  open(name: string): Promise<LiveContext>;
  get(name: string): LiveContext | undefined;
  close(name: string): Promise<void>;
  readonly onDidChange: Event<LiveContextChange>;
  readonly onDidChangeContexts: Event<ContextEvent>;
}

export interface ClustersTreeModelOptions {
  /** How long changes are collected before the view is told (default 100 ms). */
  debounceMs?: number;
  /** Told about failures that become message nodes, for the log. */
  onError?: (message: string, error: unknown) => void;
}

/** The state of the kubeconfig as the root of the tree shows it. */
export type KubeconfigStatus =
  | { status: 'loading' }
  | { status: 'loaded'; files: readonly string[] }
  | { status: 'error'; error: ClusterError };

interface ContextState {
  info: ContextInfo;
  opening?: Promise<unknown>;
  error?: ClusterError;
  snapshots: Map<string, NamespaceSnapshot>;
  namespaces?: string[];
  chosen?: readonly string[];
}

/** Root of the tree, as a parent id. */
const ROOT = '';
const RETRY_COMMAND = 'podscope.clusters.retry';

export class ClustersTreeModel implements NodeModel, Disposable {
  private kubeconfigStatus: KubeconfigStatus | undefined;
  private infos: ContextInfo[] = [];
  private active: string | undefined;
  private readonly contexts = new Map<string, ContextState>();
  /** Namespaces chosen with `podscope.namespace.switch`, kept across kubeconfig reloads. */
  private readonly homes = new Map<string, string>();
  private readonly nodes = new Map<string, TreeNode>();
  /** Parents whose children VS Code has asked for, with the ids it was given. */
  private readonly shown = new Map<string, string[]>();
  private readonly changed = new Emitter<TreeNode[] | undefined>();
  private readonly subscriptions: Disposable[] = [];
  private readonly dirty = new Map<string, Set<string> | 'all'>();
  private flushTimer: NodeJS.Timeout | undefined;
  private everything = false;
  private filterText: string | undefined;
  private showAll = false;
  private generation = 0;

  /** Nodes whose rows or children changed; undefined: everything. Batched. */
  readonly onDidChange: Event<TreeNode[] | undefined> = this.changed.event;

  constructor(
    private readonly source: LiveModelSource,
    private readonly options: ClustersTreeModelOptions = {},
  ) {
    this.subscriptions.push(
      source.onDidChange((change) => this.onLiveChange(change)),
      source.onDidChangeContexts((event) => this.onContextEvent(event)),
    );
  }

  // ---- What VS Code asks ---------------------------------------------------------------------

  /** The contexts, or nothing while the kubeconfig is read (the view shows its message then). */
  roots(): TreeNode[] {
    return this.record(ROOT, this.computeRoots());
  }

  children(node: TreeNode): TreeNode[] {
    return this.record(node.id, this.computeChildren(node));
  }

  /** The kubeconfig's state: loading, loaded, or the error the view shows in place of contexts. */
  get status(): KubeconfigStatus | undefined {
    return this.kubeconfigStatus;
  }

  /** A sentence for the view's message area, or undefined. */
  get message(): string | undefined {
    const status = this.kubeconfigStatus;
    if (status?.status === 'error') return kubeconfigMessage(status.error);
    if (this.filterText) return `Filtered by "${this.filterText}"`;
    return undefined;
  }

  /** Failing workloads (bare pods and Services included) over every open context: the view's badge. */
  failingCount(): number {
    let total = 0;
    for (const [name, state] of this.contexts) {
      const live = this.source.get(name);
      if (!live?.isReady) continue;
      for (const ns of this.allNamespaces(state, live)) total += this.snapshot(state, live, ns).failing;
    }
    return total;
  }

  node(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Every node VS Code has been given and not told to forget. */
  shownNodes(): TreeNode[] {
    return [...this.nodes.values()];
  }

  /** The Markdown tooltip of a node, built when hovered (never for every row). */
  tooltip(node: TreeNode): string | undefined {
    try {
      return this.computeTooltip(node);
    } catch (error) {
      this.options.onError?.(`Tooltip for ${node.id} failed`, error);
      return undefined;
    }
  }

  // ---- What the commands change --------------------------------------------------------------

  get filter(): string | undefined {
    return this.filterText;
  }

  setFilter(text: string | undefined): void {
    const next = text?.trim() ? text.trim().toLowerCase() : undefined;
    if (next === this.filterText) return;
    this.filterText = next;
    this.refreshAll();
  }

  get showingAllNamespaces(): boolean {
    return this.showAll;
  }

  setShowAllNamespaces(all: boolean): void {
    this.showAll = all;
    if (!all) for (const state of this.contexts.values()) delete state.chosen;
    this.refreshAll();
  }

  /** Shows exactly these namespaces of a context (undefined: back to the default). */
  chooseNamespaces(context: string, namespaces: readonly string[] | undefined): void {
    const state = this.contexts.get(context);
    if (!state) return;
    if (namespaces) state.chosen = [...namespaces];
    else delete state.chosen;
    this.refreshAll();
  }

  /** The namespace a context starts from: chosen by `podscope.namespace.switch`, else its own, else `default`. */
  homeNamespace(context: string, info?: ContextInfo): string {
    return (
      this.homes.get(context) ?? info?.namespace ?? this.contexts.get(context)?.info.namespace ?? 'default'
    );
  }

  setHomeNamespace(context: string, namespace: string): void {
    this.homes.set(context, namespace);
    this.refreshAll();
  }

  /** Every namespace of an open context, for quick picks. */
  namespacesOf(context: string): string[] {
    const live = this.source.get(context);
    if (!live) return [];
    const state = this.contexts.get(context);
    return state ? this.allNamespaces(state, live) : namespacesIn(live);
  }

  contextInfos(): readonly ContextInfo[] {
    return this.infos;
  }

  get activeContext(): string | undefined {
    return this.active;
  }

  /** Closes a context that failed and opens it again. */
  async retry(context: string): Promise<void> {
    const state = this.contexts.get(context);
    if (state) {
      delete state.error;
      delete state.opening;
    }
    await this.source.close(context);
    this.refreshAll();
  }

  /** The kubeconfig was read again: start over. */
  reset(): void {
    this.generation++;
    this.kubeconfigStatus = undefined;
    this.infos = [];
    this.contexts.clear();
    this.refreshAll();
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.nodes.clear();
    this.shown.clear();
  }

  // ---- Roots ---------------------------------------------------------------------------------

  private computeRoots(): NodeData[] {
    const status = this.kubeconfigStatus;
    if (!status) {
      this.loadKubeconfig();
      return [message('loading', 'Loading kubeconfig…', 'loading~spin')];
    }
    if (status.status === 'loading') return [message('loading', 'Loading kubeconfig…', 'loading~spin')];
    if (status.status === 'error') {
      // No kubeconfig at all: the view's welcome content (Start Demo Cluster, settings) takes over.
      if (status.error.reason === 'noKubeconfig') return [];
      return [
        {
          ...message('badKubeconfig', `Broken kubeconfig: ${status.error.detail}`, 'error', 'failed'),
          command: { command: 'podscope.clusters.refresh', title: 'Reload', arguments: [] },
        },
      ];
    }
    return this.infos.map((info) => this.contextData(info));
  }

  private loadKubeconfig(): void {
    this.kubeconfigStatus = { status: 'loading' };
    const generation = this.generation;
    Promise.all([this.source.kubeconfig(), this.source.activeContext().catch(() => undefined)]).then(
      ([loaded, active]) => {
        if (generation !== this.generation) return;
        this.kubeconfigStatus = { status: 'loaded', files: loaded.files };
        this.infos = [...loaded.contexts];
        this.active = active;
        for (const info of loaded.contexts) {
          const state = this.contexts.get(info.name);
          if (state) state.info = info;
          else this.contexts.set(info.name, { info, snapshots: new Map() });
        }
        this.refreshAll();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        const clusterError = toClusterError(error);
        this.kubeconfigStatus = { status: 'error', error: clusterError };
        if (clusterError.reason !== 'noKubeconfig')
          this.options.onError?.('Reading the kubeconfig failed', error);
        this.refreshAll();
      },
    );
  }

  private contextData(info: ContextInfo): NodeData {
    const state = this.contexts.get(info.name);
    const live = this.source.get(info.name);
    const active = info.name === this.active;
    const parts: string[] = [];
    if (active) parts.push('active');
    let health: HealthLevel | undefined;
    let failing: number | undefined;
    if (state?.error) {
      parts.push(errorTitle(state.error));
      health = 'failed';
    } else if (live?.isReady && state) {
      failing = 0;
      let worst: HealthLevel = 'ok';
      for (const ns of this.allNamespaces(state, live)) {
        const snapshot = this.snapshot(state, live, ns);
        failing += snapshot.failing;
        worst = worseOf(worst, snapshot.worst);
      }
      const unreachable = connectionError(live);
      if (unreachable) {
        parts.push(errorTitle(unreachable));
        health = 'failed';
      } else {
        if (failing > 0) parts.push(`${failing} failing`);
        health = worst;
      }
    } else if (info.server) parts.push(info.server);
    return {
      type: 'context',
      label: info.name,
      description: parts.join(SEPARATOR),
      icon: { id: active ? 'vm-active' : 'vm', tone: health && health !== 'ok' ? health : 'plain' },
      contextValue: `context:${active ? 'active' : 'inactive'}:${live ? 'open' : 'closed'}`,
      collapsible: true,
      // One context: open it at once; several: the active one.
      expanded: this.infos.length === 1 || active,
      ...(health !== undefined ? { health } : {}),
      ...(failing !== undefined && failing > 0 ? { badge: badgeFor('failed', failing) } : {}),
      healthSummary: failing ? `${failing} failing workloads` : '',
    };
  }

  // ---- Children ------------------------------------------------------------------------------

  private computeChildren(node: TreeNode): NodeData[] {
    try {
      const state = this.contexts.get(node.context);
      if (!state) return [];
      switch (node.type) {
        case 'context':
          return this.contextChildren(state);
        case 'namespace':
          return this.withLive(state, (live) => this.namespaceChildren(state, live, node));
        case 'group':
          return this.withLive(state, (live) => this.groupChildren(state, live, node));
        case 'workload':
          return this.withLive(state, (live) => this.workloadChildren(state, live, node));
        case 'pod':
          return this.withLive(state, (live) => this.podChildren(state, live, node));
        default:
          return [];
      }
    } catch (error) {
      // A provider never throws into VS Code: say what broke where the children would be.
      this.options.onError?.(`Listing the children of ${node.id} failed`, error);
      return [
        message(
          'error',
          `Could not list: ${error instanceof Error ? error.message : String(error)}`,
          'error',
          'failed',
        ),
      ];
    }
  }

  private withLive(state: ContextState, build: (live: LiveContext) => NodeData[]): NodeData[] {
    const live = this.source.get(state.info.name);
    return live ? build(live) : [];
  }

  private contextChildren(state: ContextState): NodeData[] {
    const name = state.info.name;
    if (state.error) return [errorMessage(state.error, name)];
    const live = this.source.get(name);
    if (!live) {
      this.startOpening(state);
      return [message('loading', `Connecting to ${state.info.server ?? name}…`, 'loading~spin')];
    }
    if (!live.isReady) return [message('loading', 'Loading…', 'loading~spin')];
    const unreachable = connectionError(live);
    if (unreachable) return [errorMessage(unreachable, name)];

    const result: NodeData[] = [];
    const podState = live.source.states().find((s) => s.kind === 'Pod');
    if (podState?.status === 'forbidden' && !podState.namespaces?.length) {
      return [
        message(
          'forbidden',
          `Forbidden: ${podState.error?.detail ?? 'RBAC does not allow listing pods'}`,
          'lock',
          'failed',
        ),
      ];
    }
    if (podState?.namespaces) {
      // Listing cluster-wide (or listing namespaces) is forbidden: the session reads the
      // namespaces it may, the context's own at least; say so above them.
      result.push(
        message('forbiddenNamespaces', podState.note ?? 'Some namespaces cannot be read', 'lock', 'degraded'),
      );
    }

    const all = this.allNamespaces(state, live);
    const visible = this.visibleNamespaces(state, live, all);
    for (const ns of visible) {
      const data = this.namespaceData(state, live, ns);
      if (data) result.push(data);
    }
    const hidden = all.length - visible.length;
    if (hidden > 0 && !this.filterText && state.chosen === undefined && !this.showAll) {
      result.push({
        ...message(
          'hiddenNamespaces',
          `${hidden} more namespace${hidden === 1 ? '' : 's'} without problems`,
          'eye-closed',
        ),
        command: {
          command: 'podscope.clusters.showAllNamespaces',
          title: 'Show All Namespaces',
          arguments: [],
        },
      });
    }
    if (result.length === 0)
      result.push(message('empty', this.filterText ? 'No match' : 'No objects', 'info'));
    return result;
  }

  private startOpening(state: ContextState): void {
    if (state.opening) return;
    const name = state.info.name;
    const generation = this.generation;
    state.opening = this.source.open(name).then(
      (live) => {
        if (generation !== this.generation) return;
        // Ready contexts fire an initial change; one opened already ready would not.
        if (live.isReady) this.markDirty(name, 'all');
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        state.error = toClusterError(error);
        delete state.opening;
        if (state.error.reason !== 'untrusted')
          this.options.onError?.(`Opening context ${name} failed`, error);
        this.markDirty(name, 'all');
      },
    );
  }

  private allNamespaces(state: ContextState, live: LiveContext): string[] {
    if (!state.namespaces) {
      const set = new Set<string>();
      for (const kind of [
        'Pod',
        'Deployment',
        'StatefulSet',
        'DaemonSet',
        'Job',
        'CronJob',
        'Service',
      ] as const)
        for (const object of live.source.list(kind)) set.add(object.metadata?.namespace ?? '');
      set.delete('');
      const podState = live.source.states().find((s) => s.kind === 'Pod');
      for (const ns of podState?.namespaces ?? []) set.add(ns);
      state.namespaces = [...set].sort();
    }
    return state.namespaces;
  }

  /** The default: the home namespace plus every namespace with problems; or all; or the chosen ones. */
  private visibleNamespaces(state: ContextState, live: LiveContext, all: readonly string[]): string[] {
    if (this.filterText) return all.filter((ns) => this.namespaceMatches(state, live, ns));
    if (state.chosen) return all.filter((ns) => state.chosen?.includes(ns));
    if (this.showAll) return [...all];
    const home = this.homeNamespace(state.info.name);
    const withFindings = new Set(
      live.findings().flatMap((f) => (f.severity === 'info' ? [] : [f.subject.namespace ?? ''])),
    );
    return all.filter(
      (ns) => ns === home || withFindings.has(ns) || this.snapshot(state, live, ns).failing > 0,
    );
  }

  private namespaceMatches(state: ContextState, live: LiveContext, ns: string): boolean {
    const snapshot = this.snapshot(state, live, ns);
    for (const list of snapshot.groups.values()) if (list.some((w) => this.workloadMatches(w))) return true;
    return false;
  }

  private workloadMatches(entry: WorkloadEntry): boolean {
    const filter = this.filterText;
    if (!filter) return true;
    return entry.name.toLowerCase().includes(filter) || entry.pods.some((p) => this.podMatches(p));
  }

  private podMatches(pod: Pod): boolean {
    return !this.filterText || (pod.metadata?.name ?? '').toLowerCase().includes(this.filterText);
  }

  private snapshot(state: ContextState, live: LiveContext, ns: string): NamespaceSnapshot {
    let snapshot = state.snapshots.get(ns);
    if (!snapshot) {
      snapshot = buildNamespaceSnapshot(live.source, ns);
      state.snapshots.set(ns, snapshot);
    }
    return snapshot;
  }

  private namespaceData(state: ContextState, live: LiveContext, ns: string): NodeData | undefined {
    const snapshot = this.snapshot(state, live, ns);
    const home = ns === this.homeNamespace(state.info.name);
    const parts: string[] = [];
    if (home) parts.push('home');
    if (snapshot.failing > 0) parts.push(`${snapshot.failing} failing`);
    return {
      type: 'namespace',
      label: ns,
      description: parts.join(SEPARATOR),
      icon: { id: 'symbol-namespace', tone: snapshot.worst === 'ok' ? 'plain' : snapshot.worst },
      contextValue: `namespace:${healthFacet(snapshot.worst)}`,
      collapsible: true,
      expanded: home,
      health: snapshot.worst,
      ...(snapshot.failing > 0 ? { badge: badgeFor('failed', snapshot.failing) as string } : {}),
      healthSummary: snapshot.failing > 0 ? `${snapshot.failing} failing workloads` : 'healthy',
      target: { context: state.info.name, ...kubeconfigOf(state), namespace: ns } as NodeTarget,
    };
  }

  private namespaceChildren(state: ContextState, live: LiveContext, node: TreeNode): NodeData[] {
    const ns = node.namespace ?? '';
    const snapshot = this.snapshot(state, live, ns);
    const result: NodeData[] = [];
    for (const kind of GROUP_KINDS) {
      const entries = (snapshot.groups.get(kind) ?? []).filter((w) => this.workloadMatches(w));
      if (entries.length === 0) continue;
      let worst: HealthLevel = 'ok';
      let failing = 0;
      for (const entry of entries) {
        worst = worseOf(worst, entry.health.level);
        if (entry.health.level === 'failed' || entry.health.level === 'degraded') failing++;
      }
      result.push({
        type: 'group',
        label: GROUP_LABELS[kind],
        key: kind,
        description: [String(entries.length), ...(failing > 0 ? [`${failing} failing`] : [])].join(SEPARATOR),
        icon: { id: GROUP_ICONS[kind], tone: worst === 'ok' ? 'plain' : worst },
        contextValue: `group:${kind.toLowerCase()}`,
        collapsible: true,
        // Small namespaces open straight to their workloads.
        expanded: failing > 0,
        health: worst,
        ...(failing > 0 ? { badge: badgeFor('failed', failing) } : {}),
        healthSummary: failing > 0 ? `${failing} failing` : 'healthy',
        target: { context: state.info.name, ...kubeconfigOf(state), namespace: ns } as NodeTarget,
      });
    }
    if (result.length === 0)
      result.push(message('empty', this.filterText ? 'No match' : 'No workloads', 'info'));
    return result;
  }

  private groupChildren(state: ContextState, live: LiveContext, node: TreeNode): NodeData[] {
    const ns = node.namespace ?? '';
    const kind = node.data.key as GroupKind;
    const snapshot = this.snapshot(state, live, ns);
    const now = live.source.now();
    return (snapshot.groups.get(kind) ?? [])
      .filter((w) => this.workloadMatches(w))
      .map((entry) =>
        kind === 'Pod' ? this.podData(state, entry.object as Pod, now) : this.workloadData(state, entry, now),
      );
  }

  private workloadData(state: ContextState, entry: WorkloadEntry, now: number): NodeData {
    const worst = worstPod(entry.pods, now);
    const level = entry.health.level;
    const ns = entry.object.metadata?.namespace ?? '';
    const service = entry.kind === 'Service';
    return {
      type: 'workload',
      label: entry.name,
      description: workloadDescription(entry.kind, entry.object, entry.health, worst),
      icon: workloadIcon(level, worst && worst.health.level !== 'ok' ? worst : undefined),
      contextValue: `${service ? 'service' : `workload:${entry.kind.toLowerCase()}`}:${healthFacet(level)}`,
      collapsible: entry.pods.length > 0,
      health: level,
      ...optionalBadge(badgeFor(level)),
      healthSummary: [entry.health.summary, ...entry.health.reasons.slice(0, 1)].filter(Boolean).join(' — '),
      target: {
        context: state.info.name,
        ...kubeconfigOf(state),
        namespace: ns,
        kind: entry.kind,
        name: entry.name,
      },
      version: versionOf(entry.object, entry.pods),
    };
  }

  private workloadChildren(state: ContextState, live: LiveContext, node: TreeNode): NodeData[] {
    const entry = this.entryOf(state, live, node);
    if (!entry) return [];
    const now = live.source.now();
    const nameMatches = !this.filterText || entry.name.toLowerCase().includes(this.filterText);
    return entry.pods
      .filter((p) => nameMatches || this.podMatches(p))
      .map((pod) => this.podData(state, pod, now));
  }

  private entryOf(state: ContextState, live: LiveContext, node: TreeNode): WorkloadEntry | undefined {
    const kind = node.kind as GroupKind | undefined;
    if (!kind || !node.namespace) return undefined;
    return this.snapshot(state, live, node.namespace)
      .groups.get(kind)
      ?.find((w) => w.name === node.name);
  }

  private podData(state: ContextState, pod: Pod, now: number): NodeData {
    const row = podRow(pod, now);
    const health = podHealth(pod, now);
    const containers = (pod.spec?.containers ?? []).map((c) => c.name);
    const initCount = pod.spec?.initContainers?.length ?? 0;
    return {
      type: 'pod',
      label: pod.metadata?.name ?? '',
      description: podDescription(row),
      icon: podIcon(pod, row, health.level),
      contextValue: podContextValue(pod, row, health),
      collapsible: containers.length + initCount > 0,
      health: health.level,
      ...optionalBadge(badgeFor(health.level)),
      healthSummary: [health.summary, ...health.reasons.slice(0, 1)].join(' — '),
      target: {
        context: state.info.name,
        ...kubeconfigOf(state),
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        containers,
      },
      version: pod.metadata?.resourceVersion ?? '',
    };
  }

  private podChildren(state: ContextState, live: LiveContext, node: TreeNode): NodeData[] {
    const pod = node.pod !== undefined ? live.source.get('Pod', node.namespace, node.pod) : undefined;
    if (!pod) return [];
    const podLevel = podHealth(pod, live.source.now()).level;
    const result: NodeData[] = [];
    const groups: [boolean, { name: string }[] | undefined, ContainerStatus[] | undefined][] = [
      [true, pod.spec?.initContainers, pod.status?.initContainerStatuses],
      [false, pod.spec?.containers, pod.status?.containerStatuses],
    ];
    for (const [init, specs, statuses] of groups) {
      for (const spec of specs ?? []) {
        const status = statuses?.find((s) => s.name === spec.name);
        const level = containerLevel(status, podLevel);
        result.push({
          type: 'container',
          label: spec.name,
          key: `${init ? 'init-' : ''}${spec.name}`,
          description: containerDescription(status, init),
          icon: containerIcon(status, level),
          contextValue: containerContextValue(status, init),
          collapsible: false,
          health: level,
          ...optionalBadge(badgeFor(level)),
          healthSummary: containerDescription(status, init),
          target: {
            context: state.info.name,
            ...kubeconfigOf(state),
            namespace: pod.metadata?.namespace ?? '',
            pod: pod.metadata?.name ?? '',
            container: spec.name,
          },
          version: `${pod.metadata?.resourceVersion ?? ''}`,
        });
      }
    }
    return result;
  }

  // ---- Tooltips ------------------------------------------------------------------------------

  private computeTooltip(node: TreeNode): string | undefined {
    const live = this.source.get(node.context);
    const e = escapeMarkdown;
    if (node.type === 'message') return e(node.data.label);
    if (node.type === 'context') {
      const info = this.contexts.get(node.context)?.info;
      return joinSections([
        [`**Context** ${e(node.context)}`, ...(info?.server ? [`Server: ${e(info.server)}`] : [])],
        info?.file ? [`Kubeconfig: ${e(info.file)}`] : [],
        node.data.description ? [e(node.data.description)] : [],
      ]);
    }
    if (!live) return undefined;
    const now = live.source.now();
    const ns = node.namespace;
    if (node.type === 'pod' || node.type === 'container') {
      const pod = node.pod !== undefined ? live.source.get('Pod', ns, node.pod) : undefined;
      if (!pod) return undefined;
      const row = podRow(pod, now);
      const health = podHealth(pod, now);
      const event = lastEventLine(live.source.eventsFor('Pod', ns, node.pod ?? ''), now);
      return joinSections([
        [
          `**Pod** ${e(node.pod ?? '')} in ${e(ns ?? '')}`,
          `Status: ${e(row.status)}, ready ${e(row.ready)}, restarts ${e(row.restarts)}`,
          // The container lines below say each container's state and last exit in full.
          ...health.reasons
            .filter((r) => !CONTAINER_REASON.test(r))
            .slice(0, 3)
            .map((r) => `- ${e(r)}`),
        ],
        containerLines(pod, now, node.type === 'container' ? node.container : undefined),
        event ? [event] : [],
        findingLines(live.findingsAbout('Pod', ns, node.pod ?? '')),
      ]);
    }
    if (node.type === 'workload') {
      const state = this.contexts.get(node.context);
      const entry = state ? this.entryOf(state, live, node) : undefined;
      if (!entry) return undefined;
      const event = lastEventLine(live.source.eventsFor(entry.kind, ns, entry.name), now);
      const apiVersion = entry.object.apiVersion ?? 'v1';
      return joinSections([
        [
          `**${entry.kind}** ${e(entry.name)} in ${e(ns ?? '')}`,
          `Health: ${e(entry.health.level)}${entry.health.summary ? `, ${e(entry.health.summary)}` : ''}`,
          ...entry.health.reasons.slice(0, 4).map((r) => `- ${e(r)}`),
        ],
        event ? [event] : [],
        findingLines(
          live.findingsOf({ apiVersion, kind: entry.kind, namespace: ns ?? '', name: entry.name }),
        ),
      ]);
    }
    return node.data.healthSummary ? e(`${node.data.label}: ${node.data.healthSummary}`) : e(node.data.label);
  }

  // ---- Ids, recording, refreshing -------------------------------------------------------------

  private childId(parentId: string, data: NodeData): string {
    if (data.type === 'context') return `c:${encodeURIComponent(data.label)}`;
    return `${parentId}/${ID_PREFIX[data.type]}:${data.key ?? data.label}`;
  }

  private record(parentId: string, list: NodeData[]): TreeNode[] {
    const parent = this.nodes.get(parentId);
    const result: TreeNode[] = [];
    for (const data of list) {
      const context = data.type === 'context' ? data.label : (parent?.context ?? '');

      const id = this.childId(parentId, data);
      let node = this.nodes.get(id);
      if (node) node.data = data;
      else {
        node = new TreeNode(id, context, data);
        this.nodes.set(id, node);
      }
      result.push(node);
    }
    const ids = result.map((n) => n.id);
    const before = this.shown.get(parentId);
    if (before) this.prune(before.filter((id) => !ids.includes(id)));
    this.shown.set(parentId, ids);
    return result;
  }

  /** Forgets nodes no longer shown, and everything under them. */
  private prune(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const id of ids) {
      this.nodes.delete(id);
      this.shown.delete(id);
    }
    const prefixes = ids.map((id) => `${id}/`);
    for (const key of [...this.nodes.keys()])
      if (prefixes.some((p) => key.startsWith(p))) {
        this.nodes.delete(key);
        this.shown.delete(key);
      }
  }

  private onLiveChange(change: LiveContextChange): void {
    const state = this.contexts.get(change.context);
    if (!state) return;
    if (change.initial) {
      this.markDirty(change.context, 'all');
      return;
    }
    const namespaces = new Set<string>();
    let added = false;
    for (const c of change.objects) {
      const ns = c.object.metadata?.namespace;
      if (ns === undefined) continue;
      // Events and ConfigMaps change health only through findings (owners below); a new Event
      // arrives every few seconds in a busy cluster and must not rebuild a namespace each time.
      if (c.kind === 'Event' || c.kind === 'ConfigMap' || c.kind === 'Secret') continue;
      namespaces.add(ns);
      if (c.type !== 'MODIFIED') added = true;
    }
    for (const owner of change.owners) if (owner.namespace) namespaces.add(owner.namespace);
    if (added) delete state.namespaces;
    if (namespaces.size === 0) return;
    this.markDirty(change.context, namespaces);
  }

  private onContextEvent(event: ContextEvent): void {
    if (event.type === 'switched') {
      this.active = event.context;
      this.refreshAll();
      return;
    }
    const state = this.contexts.get(event.context);
    if (!state) return;
    if (event.type === 'closed') {
      delete state.opening;
      state.snapshots.clear();
      delete state.namespaces;
    }
    this.markDirty(event.context, 'all');
  }

  private markDirty(context: string, namespaces: Set<string> | 'all'): void {
    const current = this.dirty.get(context);
    if (namespaces === 'all' || current === 'all') this.dirty.set(context, 'all');
    else if (current) for (const ns of namespaces) current.add(ns);
    else this.dirty.set(context, new Set(namespaces));
    this.schedule();
  }

  private refreshAll(): void {
    this.everything = true;
    for (const state of this.contexts.values()) {
      state.snapshots.clear();
      delete state.namespaces;
    }
    this.schedule();
  }

  private schedule(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.debounceMs ?? 100);
  }

  /** Applies the collected changes; public so the bench and tests can flush without waiting. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const dirty = new Map(this.dirty);
    this.dirty.clear();
    for (const [name, namespaces] of dirty) {
      const state = this.contexts.get(name);
      if (!state) continue;
      if (namespaces === 'all') state.snapshots.clear();
      else for (const ns of namespaces) state.snapshots.delete(ns);
    }
    if (this.everything) {
      this.everything = false;
      this.changed.fire(undefined, (e) => this.options.onError?.('A tree listener failed', e));
      return;
    }
    const fired: TreeNode[] = [];
    try {
      this.diff(ROOT, dirty, fired);
    } catch (error) {
      this.options.onError?.('Refreshing the tree failed', error);
      this.changed.fire(undefined);
      return;
    }
    if (fired.length > 0)
      this.changed.fire(fired, (e) => this.options.onError?.('A tree listener failed', e));
  }

  /**
   * Recomputes the children of a shown parent: if the list of ids changed, the parent is fired
   * (VS Code asks for its children again); otherwise each child whose row changed is fired, and
   * shown children are visited in turn. Only dirty contexts are descended into.
   */
  private diff(parentId: string, dirty: Map<string, Set<string> | 'all'>, fired: TreeNode[]): void {
    const before = this.shown.get(parentId);
    if (!before) return;
    const parent = this.nodes.get(parentId);
    if (parentId !== ROOT && !parent) return;
    if (parent && !this.affects(parent, dirty)) return;
    const oldSignatures = new Map(before.map((id) => [id, this.nodes.get(id)?.data]));
    const data = parent ? this.computeChildren(parent) : this.computeRoots();
    const ids = data.map((d) => this.childId(parentId, d));
    if (ids.length !== before.length || ids.some((id, i) => id !== before[i])) {
      if (parent) fired.push(parent);
      else {
        this.everything = false;
        fired.length = 0;
        this.changed.fire(undefined);
      }
      return;
    }
    ids.forEach((id, i) => {
      const node = this.nodes.get(id);
      const next = data[i];
      if (!node || !next) return;
      const old = oldSignatures.get(id);
      node.data = next;
      if (!old || signature(old) !== signature(node.data)) fired.push(node);
      // A fired node has its subtree asked for again; the others may still have changed rows below.
      else this.diff(id, dirty, fired);
    });
  }

  private affects(node: TreeNode, dirty: Map<string, Set<string> | 'all'>): boolean {
    const namespaces = dirty.get(node.context);
    if (!namespaces) return false;
    if (namespaces === 'all' || node.type === 'context') return true;
    return node.namespace !== undefined && namespaces.has(node.namespace);
  }
}

/** podHealth's reasons that restate one container's state or last exit. */
const CONTAINER_REASON = /^(init )?container /;

const GROUP_ICONS: Record<GroupKind, string> = {
  Deployment: 'rocket',
  StatefulSet: 'database',
  DaemonSet: 'server-process',
  Job: 'run-all',
  CronJob: 'watch',
  Pod: 'package',
  Service: 'plug',
};

const ID_PREFIX: Record<NodeData['type'], string> = {
  context: 'c',
  namespace: 'n',
  group: 'g',
  workload: 'w',
  pod: 'p',
  container: 'c',
  message: 'm',
  restart: 'r',
  findingGroup: 'fg',
  finding: 'f',
};

function message(key: string, label: string, icon: string, tone: HealthLevel | 'plain' = 'plain'): NodeData {
  return {
    type: 'message',
    label,
    description: '',
    icon: { id: icon, tone },
    contextValue: `message:${key}`,
    collapsible: false,
    key,
  };
}

function errorTitle(error: ClusterError): string {
  switch (error.reason) {
    case 'unreachable':
      return 'unreachable';
    case 'timeout':
      return 'not answering';
    case 'unauthorized':
      return 'credentials rejected';
    case 'forbidden':
      return 'forbidden';
    case 'untrusted':
      return 'Restricted Mode';
    case 'badKubeconfig':
      return 'broken kubeconfig entry';
    default:
      return 'error';
  }
}

function errorMessage(error: ClusterError, context: string): NodeData {
  if (error.reason === 'untrusted')
    return {
      ...message(
        'untrusted',
        'Restricted Mode: this context runs a credential plugin; trust the workspace to connect',
        'shield',
        'degraded',
      ),
      command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust', arguments: [] },
    };
  const label =
    error.reason === 'unreachable' || error.reason === 'timeout'
      ? `Cannot reach the cluster: ${error.detail}`
      : error.reason === 'forbidden'
        ? `Forbidden: ${error.detail}`
        : error.reason === 'unauthorized'
          ? `Credentials rejected: ${error.detail}`
          : `${error.detail}`;
  return {
    ...message(
      error.reason,
      `${label} — click to retry`,
      error.reason === 'forbidden' ? 'lock' : 'error',
      'failed',
    ),
    command: { command: RETRY_COMMAND, title: 'Retry', arguments: [context] },
  };
}

/** Every kind failed to list, or pods did and nothing was read: the server is the problem. */
function connectionError(live: LiveContext): ClusterError | undefined {
  const states = live.source.states();
  const pods = states.find((s) => s.kind === 'Pod');
  if (!pods || pods.status !== 'error' || !pods.error) return undefined;
  if (live.source.list('Pod').length > 0) return undefined;
  return pods.error;
}

/** The namespaces the store holds objects in (the namespace list itself is not watched), plus those readable. */
export function namespacesIn(live: LiveContext): string[] {
  const set = new Set<string>();
  for (const kind of ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service'] as const)
    for (const object of live.source.list(kind)) set.add(object.metadata?.namespace ?? '');
  set.delete('');
  const podState = live.source.states().find((s) => s.kind === 'Pod');
  for (const ns of podState?.namespaces ?? []) set.add(ns);
  return [...set].sort();
}

function kubeconfigMessage(error: ClusterError): string {
  if (error.reason === 'noKubeconfig') return `No kubeconfig: ${error.detail}`;
  return `Broken kubeconfig: ${error.detail}`;
}

function kubeconfigOf(state: ContextState): { kubeconfig?: string } {
  return state.info.file ? { kubeconfig: state.info.file } : {};
}

function optionalBadge(badge: string | undefined): { badge?: string } {
  return badge === undefined ? {} : { badge };
}

function versionOf(object: { metadata?: { resourceVersion?: string } }, pods: readonly Pod[]): string {
  return [object.metadata?.resourceVersion ?? '', ...pods.map((p) => p.metadata?.resourceVersion ?? '')].join(
    ',',
  );
}
