// Objects walked by their schema (fieldSchema.ts), as structured-merge-diff walks typed values:
// the set of fields an object sets, which fields differ between two objects, the merge of an
// applied configuration into a live object, and the removal of fields by path.
import type { FieldShape } from './fieldSchema';
import { shapeOf } from './fieldSchema';
import type { FieldPath, PathElement } from './fieldSet';
import { FieldSet, fieldElement, indexElement, keyElement, valueElement } from './fieldSet';
import { jsonEqual } from './jsonEqual';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Walk {
  kind: string;
  names: readonly string[];
  path: FieldPath;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** The schema's shape when it names one that fits the value, else the value's own. */
function shapeAt(walk: Walk, value: Json): FieldShape {
  const declared = walk.names.length ? shapeOf(walk.kind, walk.names) : { type: 'struct' as const };
  if (declared) {
    const listy = declared.type === 'list' || declared.type === 'set';
    const mappy = declared.type === 'struct' || declared.type === 'map';
    if ((listy && Array.isArray(value)) || (mappy && isObject(value)) || declared.type === 'atomic')
      return declared;
  }
  if (isObject(value)) return { type: 'struct' };
  return { type: 'atomic' };
}

const child = (walk: Walk, name: string): Walk => ({
  kind: walk.kind,
  names: [...walk.names, name],
  path: [...walk.path, fieldElement(name)],
});

const item = (walk: Walk, element: PathElement): Walk => ({ ...walk, path: [...walk.path, element] });

/** The element that addresses a list item: its key fields, its value, or (no keys) its index. */
function elementOf(shape: FieldShape, value: Json, index: number): PathElement {
  if (shape.type === 'set') return valueElement(value);
  if (shape.type === 'list' && isObject(value)) {
    const keys: JsonObject = {};
    for (const key of shape.keys) {
      const v = value[key] ?? shape.defaults?.[key];
      if (v !== undefined) keys[key] = v;
    }
    if (Object.keys(keys).length > 0) return keyElement(keys);
  }
  return indexElement(index);
}

function byElement(shape: FieldShape, items: Json[]): Map<PathElement, Json> {
  const out = new Map<PathElement, Json>();
  items.forEach((v, i) => out.set(elementOf(shape, v, i), v));
  return out;
}

/** The fields `object` sets (structured-merge-diff's ToFieldSet). */
export function toFieldSet(kind: string, object: Json): FieldSet {
  const set = new FieldSet();
  if (isObject(object)) addFields(set, object, { kind, names: [], path: [] });
  return set;
}

/**
 * `wholeMaps`: a map that appears or disappears as a whole is itself a member too, as a Compare
 * against kube-apiserver's typed objects (where the map was nil) records it.
 */
function addFields(set: FieldSet, value: Json, walk: Walk, wholeMaps = false): void {
  const shape = shapeAt(walk, value);
  if (shape.type === 'atomic' || value === null || typeof value !== 'object') {
    set.insert(walk.path);
    return;
  }
  if (Array.isArray(value)) {
    byElement(shape, value).forEach((v, element) => {
      const at = item(walk, element);
      if (shape.type !== 'set') addFields(set, v, at, wholeMaps);
      set.insert(at.path);
    });
    return;
  }
  const entries = Object.entries(value);
  if ((entries.length === 0 || (wholeMaps && shape.type === 'map')) && walk.path.length > 0)
    set.insert(walk.path);
  for (const [key, v] of entries) {
    if (v === undefined) continue;
    const at = child(walk, key);
    addFields(set, v, at, wholeMaps);
    if (shape.type === 'map') set.insert(at.path);
  }
}

/** What changed from `before` to `after`, field by field (structured-merge-diff's Compare). */
export function compare(kind: string, before: Json, after: Json): Comparison {
  const out = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareAt(before, after, { kind, names: [], path: [] }, out);
  return out;
}

function compareAt(a: Json, b: Json, walk: Walk, out: Comparison): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return addFields(out.added, b, walk, true);
  if (b === undefined) return addFields(out.removed, a, walk, true);
  const shape = shapeAt(walk, b);
  const sameType = Array.isArray(a) === Array.isArray(b) && isObject(a) === isObject(b);
  if (shape.type === 'atomic' || !sameType || typeof a !== 'object' || a === null || b === null) {
    if (!jsonEqual(a, b)) out.modified.insert(walk.path);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = byElement(shape, a);
    const right = byElement(shape, b);
    for (const element of new Set([...left.keys(), ...right.keys()])) {
      const at = item(walk, element);
      const [l, r] = [left.get(element), right.get(element)];
      if (shape.type === 'set') {
        if (l === undefined) out.added.insert(at.path);
        else if (r === undefined) out.removed.insert(at.path);
      } else compareAt(l, r, at, out);
    }
    return;
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  for (const key of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    compareAt(ao[key], bo[key], child(walk, key), out);
  }
}

/**
 * `config` merged into `live`: structs and maps field by field, associative lists and sets item
 * by item (new items after the live ones), atomic values replaced. A null in the config removes.
 */
export function merge(kind: string, live: Json, config: Json): Json {
  return mergeAt(live, config, { kind, names: [], path: [] });
}

function mergeAt(live: Json, config: Json, walk: Walk): Json {
  if (config === undefined) return live;
  const shape = shapeAt(walk, config);
  if (
    live === undefined ||
    shape.type === 'atomic' ||
    typeof config !== 'object' ||
    config === null ||
    Array.isArray(live) !== Array.isArray(config) ||
    isObject(live) !== isObject(config)
  )
    return structuredClone(config);
  if (Array.isArray(live) && Array.isArray(config)) {
    const result: Json[] = live.map((v: Json) => structuredClone(v));
    const index = new Map([...byElement(shape, result).keys()].map((element, i) => [element, i]));
    config.forEach((v, i) => {
      const element = elementOf(shape, v, i);
      const at = index.get(element);
      if (at === undefined) result.push(structuredClone(v));
      else if (shape.type !== 'set') result[at] = mergeAt(result[at], v, item(walk, element));
    });
    return result;
  }
  const result: JsonObject = { ...(live as JsonObject) };
  for (const [key, v] of Object.entries(config as JsonObject)) {
    if (v === null) delete result[key];
    else if (v !== undefined) result[key] = mergeAt(result[key], v, child(walk, key));
  }
  return result;
}

/** A copy of `object` without the fields `set` names as members (list items removed whole). */
export function removeFields(kind: string, object: Json, set: FieldSet): Json {
  return removeAt(structuredClone(object), set, { kind, names: [], path: [] });
}

function removeAt(value: Json, set: FieldSet, walk: Walk): Json {
  if (Array.isArray(value)) {
    const shape = shapeAt(walk, value);
    const kept: Json[] = [];
    value.forEach((v, i) => {
      const element = elementOf(shape, v, i);
      const sub = set.children.get(element);
      if (sub?.member) return;
      kept.push(sub ? removeAt(v, sub, item(walk, element)) : v);
    });
    return kept;
  }
  if (!isObject(value)) return value;
  for (const [element, sub] of set.children) {
    if (!element.startsWith('f:')) continue;
    const key = element.slice(2);
    if (!(key in value)) continue;
    if (sub.member) delete value[key];
    else value[key] = removeAt(value[key], sub, child(walk, key));
  }
  return value;
}
