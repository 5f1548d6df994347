// A row's badge and label colour travel inside the row's own resourceUri (its query), written
// from the same NodeData as its description and icon in the same getTreeItem call. VS Code caches
// a FileDecoration per URI and asks for it on its own schedule; a decoration looked up from the
// model by node id could be answered from a newer (or older) model state than the row's text, so
// "Deployments 10 · 7 failing" could wear the badge 8. With the values in the URI, a row whose
// health or count changes gets a new URI, and the decoration can only be the row's own.
import type { HealthLevel } from '../../analysis/workloadHealth';
import type { NodeData } from './treeNode';

export interface RowDecoration {
  health: HealthLevel;
  /** At most two characters: a failing count, or `!`. */
  badge?: string;
  /** One line for the badge's hover. */
  summary?: string;
}

const LEVELS: ReadonlySet<string> = new Set<HealthLevel>([
  'ok',
  'progressing',
  'degraded',
  'failed',
  'unknown',
]);

/** The decoration a row shows, or undefined for rows without a health (messages, restarts). */
export function rowDecoration(data: NodeData): RowDecoration | undefined {
  if (data.health === undefined) return undefined;
  return {
    health: data.health,
    ...(data.badge ? { badge: data.badge } : {}),
    ...(data.healthSummary ? { summary: data.healthSummary } : {}),
  };
}

/** The URI query that carries a decoration. */
export function decorationQuery(decoration: RowDecoration): string {
  const params = new URLSearchParams({ health: decoration.health });
  if (decoration.badge) params.set('badge', decoration.badge);
  if (decoration.summary) params.set('summary', decoration.summary);
  return params.toString();
}

/** Reads a decoration back from a URI query; undefined for a query this module did not write. */
export function parseDecorationQuery(query: string): RowDecoration | undefined {
  const params = new URLSearchParams(query);
  const health = params.get('health');
  if (health === null || !LEVELS.has(health)) return undefined;
  const badge = params.get('badge');
  const summary = params.get('summary');
  return {
    health: health as HealthLevel,
    ...(badge ? { badge } : {}),
    ...(summary ? { summary } : {}),
  };
}
