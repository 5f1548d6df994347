// What a server-side apply conflict says, for people: which other field managers own which of the
// fields the manifest sets, read from the 409's FieldManagerConflict causes. Manager names and
// field paths are cluster text, so they are sanitized before anyone shows them.
import { sanitizeText } from '../kube/sanitize';
import type { ClusterError } from './clusterError';

export interface ApplyConflict {
  /** One per other manager, in the server's order: `"kubectl-client-side-apply" using apps/v1`. */
  owners: { manager: string; fields: string[] }[];
  /** `"kubectl-client-side-apply" using apps/v1: .spec.replicas, .spec.template…` (owners joined by '; ') */
  summary: string;
}

const CONFLICT_WITH = 'conflict with ';

/** The conflict a 409 describes; without causes (another server, or not an apply), its message. */
export function applyConflictOf(error: ClusterError): ApplyConflict {
  const owners = new Map<string, string[]>();
  for (const cause of error.causes) {
    if (cause.reason !== 'FieldManagerConflict' || !cause.field) continue;
    const message = sanitizeText(cause.message ?? '');
    const manager = message.startsWith(CONFLICT_WITH) ? message.slice(CONFLICT_WITH.length) : message;
    owners.set(manager, [...(owners.get(manager) ?? []), sanitizeText(cause.field)]);
  }
  const list = [...owners].map(([manager, fields]) => ({ manager, fields }));
  return {
    owners: list,
    summary: list.length
      ? list.map((o) => `${o.manager}: ${o.fields.join(', ')}`).join('; ')
      : sanitizeText(error.detail),
  };
}
