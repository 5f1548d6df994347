// Unknown-field handling, as kube-apiserver's decoder does it: fields the type does not have are
// dropped from what is stored, and reported per the request's fieldValidation: Strict fails the
// request (kubectl's default, so a typo in a manifest is an error), Warn returns Warning headers,
// Ignore says nothing. The field lists are the protobuf tables, which name every JSON field.
import type { KubeObject } from '../../kube/types';
import { badRequest } from './errors';
import { INLINED } from './protobuf';
import type { ProtoField } from './protobufSchema';
import { PROTO_MESSAGES } from './protobufSchema';

const OPAQUE = new Set(['RawExtension', 'FieldsV1']);
const SCALAR = new Set(['Time', 'MicroTime', 'Duration', 'Quantity', 'IntOrString']);

const fieldMaps = new Map<string, Map<string, ProtoField>>();

/** JSON name → field, with embedded (inline) structs' fields lifted into their parent. */
function fieldsOf(message: string): Map<string, ProtoField> | undefined {
  let map = fieldMaps.get(message);
  if (map) return map;
  const fields = PROTO_MESSAGES[message];
  if (!fields) return undefined;
  map = new Map();
  for (const f of fields) {
    if (INLINED.has(f[1])) {
      for (const [name, inner] of fieldsOf(f[2]) ?? []) map.set(name, inner);
    } else {
      map.set(f[1], f);
    }
  }
  fieldMaps.set(message, map);
  return map;
}

function visit(
  value: unknown,
  message: string,
  path: string,
  unknown: string[],
  keep: ReadonlySet<string>,
): void {
  if (
    OPAQUE.has(message) ||
    SCALAR.has(message) ||
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value)
  )
    return;
  const fields = fieldsOf(message);
  if (!fields) return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const field = fields.get(key);
    const here = path ? `${path}.${key}` : key;
    if (!field) {
      if (keep.has(here)) continue;
      unknown.push(here);
      delete object[key];
      continue;
    }
    const [, , type, extra] = field;
    const child = object[key];
    if (type === 'map') {
      if (typeof extra === 'string' && extra.length > 1 && child && typeof child === 'object') {
        for (const [k, v] of Object.entries(child)) visit(v, extra, `${here}.${k}`, unknown, keep);
      }
    } else if (type.length > 1) {
      if (extra === 1 && Array.isArray(child))
        child.forEach((item, i) => visit(item, type, `${here}[${i}]`, unknown, keep));
      else visit(child, type, here, unknown, keep);
    }
  }
}

function messageFor(object: KubeObject): string | undefined {
  const apiVersion = object.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const name = `${(group ?? '').replace(/\.k8s\.io$/, '')}.${version ?? ''}.${object.kind ?? ''}`;
  return PROTO_MESSAGES[name] ? name : undefined;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === 'Strict' || value === 'Ignore') return value;
  return 'Warn';
}

function collect(object: KubeObject, keep: ReadonlySet<string>): string[] {
  const message = messageFor(object);
  if (!message) return [];
  const unknown: string[] = [];
  for (const key of Object.keys(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    const field = fieldsOf(message)?.get(key);
    if (!field) {
      if (keep.has(key)) continue;
      unknown.push(key);
      delete object[key];
    } else if (field[2].length > 1) {
      visit(object[key], field[2], key, unknown, keep);
    }
  }
  return unknown;
}

/** Unknown-field paths already in a stored object (the simulation may store extra fields). */
export function unknownFieldPaths(object: KubeObject): Set<string> {
  return new Set(collect(structuredClone(object), new Set()));
}

/**
 * Removes fields the kind does not define (in place, on a private copy) and returns Warning
 * texts; under Strict throws the 400 kube-apiserver sends. Paths in `keep` (unknown fields the
 * stored object already had) are left alone, so only what the request adds is judged.
 */
export function pruneUnknownFields(
  object: KubeObject,
  mode: FieldValidation,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  const unknown = collect(object, keep);
  if (unknown.length === 0 || mode === 'Ignore') return [];
  const version = (object.apiVersion ?? '').split('/').pop() ?? '';
  if (mode === 'Strict') {
    const list = unknown.map((u) => `unknown field "${u}"`).join(', ');
    throw badRequest(
      `${object.kind ?? ''} in version "${version}" cannot be handled as a ${object.kind ?? ''}: strict decoding error: ${list}`,
    );
  }
  return unknown.map((u) => `unknown field "${u}"`);
}
