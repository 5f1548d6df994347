// Label and field selectors with the grammar and the error messages of apimachinery's
// labels.Parse and fields.ParseSelector, so `-l` / `--field-selector` behave as on a real cluster.
import type { KubeObject } from '../../kube/types';
import { badRequest } from './errors';

export type LabelRequirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: '=' | '!='; key: string; value: string };

export type LabelSelector = LabelRequirement[];

/** Parses `app=web,tier!=db,env in (a,b),!legacy,track`. An empty string selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const setMatch = /^(!?)\s*([A-Za-z0-9_./-]+)\s+(in|notin)\s*\(([^)]*)\)\s*(,|$)/.exec(rest);
    if (setMatch) {
      const values = (setMatch[4] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      requirements.push({ op: setMatch[3] as 'in' | 'notin', key: setMatch[2] ?? '', values });
      rest = rest.slice(setMatch[0].length).trim();
      continue;
    }
    const end = rest.indexOf(',');
    const term = (end < 0 ? rest : rest.slice(0, end)).trim();
    rest = end < 0 ? '' : rest.slice(end + 1).trim();
    const eq = /^([A-Za-z0-9_./-]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/.exec(term);
    if (eq) {
      const op = eq[2] === '!=' ? '!=' : '=';
      requirements.push({ op, key: eq[1] ?? '', value: eq[3] ?? '' });
      continue;
    }
    const exists = /^(!?)([A-Za-z0-9_./-]+)$/.exec(term);
    if (exists) {
      requirements.push({ op: exists[1] ? 'notexists' : 'exists', key: exists[2] ?? '' });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return requirements;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of selector) {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        if (value === undefined) return false;
        break;
      case 'notexists':
        if (value !== undefined) return false;
        break;
      case 'in':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && r.values.includes(value)) return false;
        break;
      case '=':
        if (value !== r.value) return false;
        break;
      case '!=':
        if (value === r.value) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Field labels each kind supports, as registered by kube-apiserver's field label conversion funcs. */
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
  PersistentVolumeClaim: [],
};

export function parseFieldSelector(text: string, kind: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (!text.trim()) return requirements;
  for (const raw of text.split(',')) {
    const term = raw.trim();
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1] ?? '';
    if (!COMMON_FIELDS.includes(field) && !(FIELDS_BY_KIND[kind] ?? []).includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    requirements.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3] ?? '' });
  }
  return requirements;
}

function fieldValue(object: KubeObject, field: string): string {
  if (field === 'source') {
    // Events index `source` as source.component (falling back to reportingController).
    const source = object['source'] as { component?: string } | undefined;
    return source?.component || (object['reportingComponent'] as string | undefined) || '';
  }
  if (field === 'status.successful') field = 'status.succeeded';
  let value: unknown = object;
  for (const part of field.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  for (const r of selector) {
    const value = fieldValue(object, r.field);
    if (r.op === '=' ? value !== r.value : value === r.value) return false;
  }
  return true;
}

/** A request's combined label and field filter. */
export interface ObjectFilter {
  labels: LabelSelector;
  fields: FieldSelector;
}

export function matchesFilter(filter: ObjectFilter, object: KubeObject): boolean {
  return matchesLabels(filter.labels, object.metadata?.labels) && matchesFields(filter.fields, object);
}
