// The tree's nodes as plain data, so the model that builds them runs without VS Code (unit tests,
// `npm run bench`) and the providers only translate them into TreeItems. A node object lives as
// long as its id is shown: VS Code matches refresh events to elements by identity, so the model
// updates a node in place instead of making a new one.
import type { HealthLevel } from '../../analysis/workloadHealth';
import { sanitizeText } from '../../kube/sanitize';
import type { TextLimits } from '../../kube/sanitize';

export type NodeType =
  | 'context'
  | 'namespace'
  | 'group'
  | 'workload'
  | 'pod'
  | 'container'
  | 'message'
  | 'restart'
  | 'findingGroup'
  | 'finding';

/** How the provider colours an icon; one per health level, plus plain. */
export type IconTone = HealthLevel | 'plain';

export interface IconSpec {
  /** A codicon id, e.g. `debug-restart`. */
  id: string;
  tone: IconTone;
}

/** What the terminal commands accept for a pod or container (see the commands' plain arguments). */
export interface PodTarget {
  context: string;
  kubeconfig?: string;
  namespace: string;
  pod: string;
  container?: string;
  containers?: string[];
}

/** What the terminal commands accept for a workload. */
export interface WorkloadTarget {
  context: string;
  kubeconfig?: string;
  namespace: string;
  kind: string;
  name: string;
}

export type NodeTarget = PodTarget | WorkloadTarget;

export interface NodeCommand {
  command: string;
  title: string;
  arguments: unknown[];
}

/** What a provider needs of a model: children answered from memory, tooltips on demand, batched changes. */
export interface NodeModel {
  roots(): TreeNode[];
  children(node: TreeNode): TreeNode[];
  tooltip(node: TreeNode): string | undefined;
  readonly onDidChange: (listener: (nodes: TreeNode[] | undefined) => void) => { dispose(): void };
}

export interface NodeData {
  type: NodeType;
  label: string;
  /** What makes the id unique under its parent when the label does not (a group's kind, a message's topic). */
  key?: string;
  description: string;
  icon: IconSpec;
  /** Faceted, matched by menus with `viewItem =~ /^pod/` etc.: `pod:crashing:restarted:multiContainer`. */
  contextValue: string;
  collapsible: boolean;
  /** Expanded when first shown (a single context, the home namespace). */
  expanded?: boolean;
  /** The health the FileDecoration colours the label with; absent for plain rows. */
  health?: HealthLevel;
  /** At most two characters, the FileDecoration badge. */
  badge?: string;
  /** One line for the decoration's hover. */
  healthSummary?: string;
  target?: NodeTarget;
  command?: NodeCommand;
  /** Changes whenever the object behind the node changes, so a refresh is not missed for the tooltip. */
  version?: string;
}

/**
 * A row of the Clusters view. The target's fields are also readable on the node itself, so a
 * command that takes `{ context, namespace, pod, container? }` works on the clicked node too.
 */
export class TreeNode {
  private row: NodeData;

  constructor(
    readonly id: string,
    readonly context: string,
    data: NodeData,
  ) {
    this.row = shownRow(data);
  }

  /** What the row shows, cluster text made inert; the target keeps the real names for commands. */
  get data(): NodeData {
    return this.row;
  }

  set data(data: NodeData) {
    this.row = shownRow(data);
  }

  get type(): NodeType {
    return this.data.type;
  }

  /** The plain arguments of the pod, container and workload commands. */
  get target(): NodeTarget | undefined {
    return this.data.target;
  }

  get kubeconfig(): string | undefined {
    return this.data.target?.kubeconfig;
  }

  get namespace(): string | undefined {
    return this.data.target?.namespace;
  }

  get pod(): string | undefined {
    return this.data.target && 'pod' in this.data.target ? this.data.target.pod : undefined;
  }

  get container(): string | undefined {
    return this.data.target && 'pod' in this.data.target ? this.data.target.container : undefined;
  }

  get containers(): string[] | undefined {
    return this.data.target && 'pod' in this.data.target ? this.data.target.containers : undefined;
  }

  get kind(): string | undefined {
    return this.data.target && 'kind' in this.data.target ? this.data.target.kind : undefined;
  }

  get name(): string | undefined {
    return this.data.target && 'kind' in this.data.target ? this.data.target.name : undefined;
  }
}

/**
 * A row's label, description and decoration hover are one line of plain text each, and any of
 * them can carry a name or reason that a cluster wrote: no escapes, controls, bidi overrides, and
 * no line longer than a row can show.
 */
function shownRow(data: NodeData): NodeData {
  const line = (text: string): string => sanitizeText(text.replace(/\s*\n\s*/g, ' '), ROW_LIMITS);
  return {
    ...data,
    label: line(data.label),
    description: line(data.description),
    ...(data.healthSummary !== undefined ? { healthSummary: line(data.healthSummary) } : {}),
  };
}

const ROW_LIMITS: TextLimits = { maxLineChars: 1024, maxChars: 1024 };

/** What a refresh compares: a node whose signature changed is fired on its own. */
export function signature(data: NodeData): string {
  return [
    data.label,
    data.description,
    data.icon.id,
    data.icon.tone,
    data.contextValue,
    data.collapsible,
    data.health ?? '',
    data.badge ?? '',
    data.healthSummary ?? '',
    data.version ?? '',
  ].join('\u0000');
}
