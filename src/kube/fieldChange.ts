// Fields of an object named by path, and changes to them as data: analysis blames and fixes in
// these terms; src/manifest/ resolves them in YAML text.
/**
 * Field paths use the grammar of src/manifest/fieldPath.ts: dot-separated keys, list items selected
 * by a field (`containers[name=app]`, `items[key=k]`) or by index (`command[0]`).
 *
 * `podSpec` paths are relative to the pod spec of the manifest that defines the pod: `spec` for a Pod,
 * `spec.template.spec` for Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs, and
 * `spec.jobTemplate.spec.template.spec` for CronJobs. `object` paths start at the document root.
 */
export type PathRoot = 'podSpec' | 'object';

export interface Blame {
  root: PathRoot;
  /** Candidates, most precise first: the first one present in the manifest gets the squiggle. */
  paths: string[];
}

/** A fix as data. src/manifest/ turns it into text edits that keep the file's comments and style. */
export type FieldChange =
  | { op: 'set'; root: PathRoot; path: string; value: unknown }
  | { op: 'append'; root: PathRoot; path: string; value: unknown }
  | { op: 'remove'; root: PathRoot; path: string };
