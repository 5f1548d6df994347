// `live-drift`: the live object was made from a different spec than this file says (an edit that
// was never applied, a `kubectl set image`, a manual scale). Only fields the file sets are compared,
// so everything the API server defaults (imagePullPolicy, terminationMessagePath, …) is ignored, and
// quantities compare by value (`1Gi` in the file is `1024Mi` on the server).
import type { Finding } from '../analysis/finding';
import type { FieldChange } from '../kube/fieldChange';
import type { ObjectRef } from '../kube/objectRef';
import type { KubeObject } from '../kube/types';
import { compareQuantities } from '../kube/quantity';
import { formatFieldPath, joinPaths, parseFieldPath, podSpecPath, scalarText } from '../manifest/fieldPath';
import { isPlainObject } from '../manifest/yamlRender';

/** Drift findings for a manifest object against the live object it describes. */
export function detectDrift(manifest: KubeObject, live: KubeObject): Finding[] {
  const kind = typeof live.kind === 'string' ? live.kind : (manifest.kind ?? '');
  const drift = new DriftCollector(subjectOf(live, manifest), kind);
  const fileSpec = field(manifest, 'spec');
  const liveSpec = field(live, 'spec');
  const replicas = field(fileSpec, 'replicas');
  if (typeof replicas === 'number') {
    const liveReplicas = field(liveSpec, 'replicas');
    if (typeof liveReplicas === 'number' && liveReplicas !== replicas) {
      drift.add(
        'spec.replicas',
        `Live ${kind} has ${liveReplicas} replicas; this file says ${replicas} (not applied, or scaled by an autoscaler)`,
        liveReplicas,
      );
    }
  }
  const podSpec = podSpecPath(kind);
  if (podSpec === undefined) return drift.findings;
  const filePod = at(manifest, podSpec);
  const livePod = at(live, podSpec);
  if (!isPlainObject(filePod) || !isPlainObject(livePod)) return drift.findings;
  for (const list of ['initContainers', 'containers'] as const) {
    const fileContainers = filePod[list];
    if (!Array.isArray(fileContainers)) continue;
    const liveContainers = Array.isArray(livePod[list]) ? (livePod[list] as unknown[]) : [];
    for (const container of fileContainers) {
      if (!isPlainObject(container) || typeof container['name'] !== 'string') continue;
      const name = container['name'];
      const base = joinPaths(podSpec, `${list}[name=${quote(name)}]`);
      const liveContainer = liveContainers.find((c) => isPlainObject(c) && c['name'] === name);
      if (!isPlainObject(liveContainer)) {
        drift.add(
          `${base}.name`,
          `Live ${kind} has no container "${name}"; this file defines it (not applied)`,
        );
        continue;
      }
      compareContainer(drift, kind, base, name, container, liveContainer);
    }
  }
  return drift.findings;
}

function compareContainer(
  drift: DriftCollector,
  kind: string,
  base: string,
  name: string,
  file: Record<string, unknown>,
  live: Record<string, unknown>,
): void {
  const image = file['image'];
  if (typeof image === 'string' && image !== live['image']) {
    const liveImage = typeof live['image'] === 'string' ? live['image'] : undefined;
    drift.add(
      `${base}.image`,
      liveImage === undefined
        ? `Live ${kind} sets no image for container "${name}"; this file says "${image}" (not applied)`
        : `Live ${kind} runs image "${liveImage}"; this file says "${image}" (not applied)`,
      liveImage,
    );
  }
  for (const key of ['command', 'args'] as const) {
    const fileList = file[key];
    if (!Array.isArray(fileList)) continue;
    const liveList = Array.isArray(live[key]) ? (live[key] as unknown[]) : [];
    if (JSON.stringify(fileList.map(String)) !== JSON.stringify(liveList.map(String))) {
      drift.add(
        `${base}.${key}`,
        `Live ${kind} runs container "${name}" with ${key} ${JSON.stringify(liveList)}; this file says ${JSON.stringify(fileList)} (not applied)`,
        liveList.length > 0 ? liveList : undefined,
      );
    }
  }
  const resources = file['resources'];
  if (isPlainObject(resources)) {
    for (const section of ['limits', 'requests'] as const) {
      const fileSection = resources[section];
      if (!isPlainObject(fileSection)) continue;
      const liveSection = field(live['resources'], section);
      for (const [resource, value] of Object.entries(fileSection)) {
        if (typeof value !== 'string' && typeof value !== 'number') continue;
        const fileValue = String(value);
        const liveRaw = field(liveSection, resource);
        const liveValue =
          typeof liveRaw === 'string' || typeof liveRaw === 'number' ? String(liveRaw) : undefined;
        const same =
          liveValue !== undefined &&
          (compareQuantities(fileValue, liveValue) ?? (fileValue === liveValue ? 0 : 1)) === 0;
        if (same) continue;
        const what = `${section === 'limits' ? 'limit' : 'request'} ${resource}`;
        drift.add(
          `${base}.resources.${section}[${JSON.stringify(resource)}]`,
          liveValue === undefined
            ? `Live ${kind} has no ${what} for container "${name}"; this file says "${fileValue}" (not applied)`
            : `Live ${kind} has ${what} "${liveValue}" for container "${name}"; this file says "${fileValue}" (not applied)`,
          liveValue,
        );
      }
    }
  }
  const env = file['env'];
  if (Array.isArray(env)) {
    const liveEnv = Array.isArray(live['env']) ? (live['env'] as unknown[]) : [];
    for (const variable of env) {
      if (!isPlainObject(variable) || typeof variable['name'] !== 'string') continue;
      const envName = variable['name'];
      const envBase = `${base}.env[name=${quote(envName)}]`;
      const liveVar = liveEnv.find((v) => isPlainObject(v) && v['name'] === envName);
      if (!isPlainObject(liveVar)) {
        drift.add(
          `${envBase}.name`,
          `Live ${kind} has no env var "${envName}" in container "${name}"; this file sets it (not applied)`,
        );
        continue;
      }
      const value = scalarText(variable['value']);
      const liveValue = scalarText(liveVar['value']);
      // An unset value and an empty one are the same to the kubelet.
      if (value !== undefined && value !== (liveValue ?? '')) {
        drift.add(
          `${envBase}.value`,
          `Live ${kind} sets env var "${envName}" of container "${name}" to ${JSON.stringify(liveValue ?? '')}; this file says ${JSON.stringify(value)} (not applied)`,
          liveValue,
        );
      }
      const valueFrom = variable['valueFrom'];
      if (isPlainObject(valueFrom) && !contains(liveVar['valueFrom'], valueFrom)) {
        drift.add(
          `${envBase}.valueFrom`,
          `Live ${kind} takes env var "${envName}" of container "${name}" from ${JSON.stringify(liveVar['valueFrom'] ?? null)}; this file says ${JSON.stringify(valueFrom)} (not applied)`,
        );
      }
    }
  }
}

class DriftCollector {
  readonly findings: Finding[] = [];

  constructor(
    private readonly subject: ObjectRef,
    private readonly kind: string,
  ) {}

  /** A finding on `path`; with `liveValue`, a fix that writes the live value back into the file. */
  add(path: string, message: string, liveValue?: unknown): void {
    const normalised = formatFieldPath(parseFieldPath(path) ?? []);
    const fixes: Finding['fixes'] = [];
    if (liveValue !== undefined) {
      const change: FieldChange = { op: 'set', root: 'object', path: normalised, value: liveValue };
      fixes.push({ title: `Use the live value in this file`, changes: [change] });
    }
    this.findings.push({
      code: 'live-drift',
      severity: 'info',
      message,
      subject: this.subject,
      blame: { root: 'object', paths: [normalised] },
      evidence: [
        `live ${this.kind} ${this.subject.namespace ? `${this.subject.namespace}/` : ''}${this.subject.name}`,
      ],
      fixes,
    });
  }
}

function subjectOf(live: KubeObject, manifest: KubeObject): ObjectRef {
  const meta = live.metadata ?? manifest.metadata ?? {};
  return {
    apiVersion: live.apiVersion ?? manifest.apiVersion ?? '',
    kind: live.kind ?? manifest.kind ?? '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    name: typeof meta.name === 'string' ? meta.name : '',
    ...(typeof meta.uid === 'string' ? { uid: meta.uid } : {}),
  };
}

/** Whether every leaf the file sets has the same value live (defaults the server adds are ignored). */
function contains(live: unknown, file: unknown): boolean {
  if (isPlainObject(file)) {
    if (!isPlainObject(live)) return false;
    return Object.entries(file).every(([k, v]) => contains(live[k], v));
  }
  if (Array.isArray(file)) {
    return Array.isArray(live) && live.length === file.length && file.every((v, i) => contains(live[i], v));
  }
  if (file === null || file === undefined) return true;
  return scalarText(file) === scalarText(live);
}

/**
 * Whether a field as this file writes it is what the live object has: every leaf the file sets
 * is there with the same value (quantities by value, `1Gi` is `1024Mi`); server defaults ignored.
 * A field the file sets that the live object lacks differs.
 */
export function sameAsLive(file: unknown, live: unknown): boolean {
  if (isPlainObject(file)) {
    if (!isPlainObject(live)) return false;
    return Object.entries(file).every(([k, v]) => sameAsLive(v, live[k]));
  }
  if (Array.isArray(file)) {
    return Array.isArray(live) && live.length === file.length && file.every((v, i) => sameAsLive(v, live[i]));
  }
  if (file === null || file === undefined) return live === null || live === undefined || isEmpty(live);
  const fileText = scalarText(file);
  const liveText = scalarText(live);
  if (fileText === liveText) return true;
  if (fileText === undefined || liveText === undefined) return false;
  return compareQuantities(fileText, liveText) === 0;
}

function isEmpty(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

/** A match value as the path grammar needs it: JSON-quoted when it holds `]` or `"`. */
function quote(value: string): string {
  return /[\]"]/.test(value) ? JSON.stringify(value) : value;
}

function field(value: unknown, key: string): unknown {
  return isPlainObject(value) ? value[key] : undefined;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => field(v, key), value);
}
