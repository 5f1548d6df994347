// The Findings view's model: every current finding across the open contexts, grouped by the
// workload whose manifest a person edits (finding.workload, else the subject: a bare pod or a
// Service). Selecting a finding is handled by a command that looks for the manifest lazily.
import type { Finding, Severity } from '../../analysis/finding';
import type { Disposable, Event } from '../../cluster/emitter';
import { Emitter } from '../../cluster/emitter';
import type { ObjectRef } from '../../kube/objectRef';
import type { LiveContext, LiveContextChange } from '../../live/liveContext';
import type { ContextEvent } from '../../live/liveModel';
import { escapeMarkdown } from '../../kube/sanitize';
import { SEPARATOR } from './nodeText';
import type { NodeData, NodeModel, WorkloadTarget } from './treeNode';
import { TreeNode } from './treeNode';

export const OPEN_FINDING_COMMAND = 'podscope.findings.open';

export interface FindingsSource {
  opened(): LiveContext[];
  readonly onDidChange: Event<LiveContextChange>;
  readonly onDidChangeContexts: Event<ContextEvent>;
}

/** A finding row: the node plus what the open command needs. */
export interface FindingNodeInfo {
  finding: Finding;
  owner: ObjectRef;
  kubeconfig?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export class FindingsModel implements NodeModel, Disposable {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly groups = new Map<string, TreeNode[]>();
  private readonly infos = new WeakMap<TreeNode, FindingNodeInfo>();
  private readonly changed = new Emitter<TreeNode[] | undefined>();
  private readonly subscriptions: Disposable[];
  private timer: NodeJS.Timeout | undefined;

  readonly onDidChange: Event<TreeNode[] | undefined> = this.changed.event;

  constructor(
    private readonly source: FindingsSource,
    private readonly options: { debounceMs?: number } = {},
  ) {
    this.subscriptions = [
      source.onDidChange((change) => {
        if (change.initial || change.owners.length > 0) this.schedule();
      }),
      source.onDidChangeContexts(() => this.schedule()),
    ];
  }

  roots(): TreeNode[] {
    this.groups.clear();
    const shown = new Set<string>();
    const grouped = new Map<string, { live: LiveContext; owner: ObjectRef; findings: Finding[] }>();
    for (const live of this.source.opened()) {
      for (const finding of live.findings()) {
        const owner = finding.workload ?? finding.subject;
        const key = `${encodeURIComponent(live.name)}/${owner.kind}/${owner.namespace ?? ''}/${owner.name}`;
        let group = grouped.get(key);
        if (!group) grouped.set(key, (group = { live, owner, findings: [] }));
        group.findings.push(finding);
      }
    }
    const several = this.source.opened().length > 1;
    const roots: TreeNode[] = [];
    const ordered = [...grouped.entries()].sort(
      ([ka, a], [kb, b]) => worst(a.findings) - worst(b.findings) || ka.localeCompare(kb),
    );
    for (const [key, { live, owner, findings }] of ordered) {
      const rank = worst(findings);
      const kubeconfig = live.context.file;
      const target: WorkloadTarget = {
        context: live.name,
        ...(kubeconfig ? { kubeconfig } : {}),
        namespace: owner.namespace ?? '',
        kind: owner.kind,
        name: owner.name,
      };
      const group = this.upsert(`fg:${key}`, live.name, {
        type: 'findingGroup',
        label: owner.name,
        description: [
          owner.kind,
          owner.namespace ?? '',
          ...(several ? [live.name] : []),
          count(findings.length),
        ].join(SEPARATOR),
        icon: severityIcon(rank),
        contextValue: `findingGroup:${owner.kind.toLowerCase()}`,
        collapsible: true,
        expanded: true,
        target,
      });
      shown.add(group.id);
      roots.push(group);
      const children = findings
        .slice()
        .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
        .map((finding, i) => {
          const node = this.upsert(
            `${group.id}/f:${finding.code}:${finding.subject.kind}:${finding.subject.name}:${finding.container?.name ?? ''}:${i}`,
            live.name,
            {
              type: 'finding',
              label: finding.message,
              description: finding.code,
              icon: severityIcon(SEVERITY_RANK[finding.severity]),
              contextValue: `finding:${finding.severity}:${finding.code}`,
              collapsible: false,
              target,
            },
          );
          node.data.command = { command: OPEN_FINDING_COMMAND, title: 'Open Manifest', arguments: [node] };
          this.infos.set(node, { finding, owner, ...(kubeconfig ? { kubeconfig } : {}) });
          shown.add(node.id);
          return node;
        });
      this.groups.set(group.id, children);
    }
    for (const id of this.nodes.keys()) if (!shown.has(id)) this.nodes.delete(id);
    return roots;
  }

  children(node: TreeNode): TreeNode[] {
    return this.groups.get(node.id) ?? [];
  }

  /** The finding behind a row (for the open command). */
  info(node: TreeNode): FindingNodeInfo | undefined {
    return this.infos.get(node);
  }

  tooltip(node: TreeNode): string | undefined {
    const info = this.infos.get(node);
    if (!info) return undefined;
    const e = escapeMarkdown;
    const { finding } = info;
    const lines = [
      `**${e(finding.message)}**`,
      `\`${finding.code}\` (${finding.severity}) on ${e(finding.subject.kind)} ${e(finding.subject.name)}`,
    ];
    if (finding.evidence.length > 0) lines.push('', ...finding.evidence.slice(0, 5).map((x) => `> ${e(x)}`));
    if (finding.fixes.length > 0) lines.push('', '**Fixes**', ...finding.fixes.map((f) => `- ${e(f.title)}`));
    return lines.join('  \n');
  }

  total(): number {
    return this.source.opened().reduce((sum, live) => sum + live.findings().length, 0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private upsert(id: string, context: string, data: NodeData): TreeNode {
    let node = this.nodes.get(id);
    if (node) node.data = data;
    else this.nodes.set(id, (node = new TreeNode(id, context, data)));
    return node;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, this.options.debounceMs ?? 100);
  }
}

function worst(findings: readonly Finding[]): number {
  return Math.min(...findings.map((f) => SEVERITY_RANK[f.severity]));
}

function severityIcon(rank: number): NodeData['icon'] {
  return rank === 0
    ? { id: 'error', tone: 'failed' }
    : rank === 1
      ? { id: 'warning', tone: 'degraded' }
      : { id: 'info', tone: 'plain' };
}

function count(n: number): string {
  return `${n} finding${n === 1 ? '' : 's'}`;
}
