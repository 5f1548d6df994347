// Field paths (`spec.containers[name=app].env[name=DB].valueFrom`) and where they are in a document.
// List items are picked by a field whenever the finding knows one, because a container's index in the
// live pod says nothing about its position in the file.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { Blame, PathRoot } from '../kube/fieldChange';
import type { ObjectDocument } from './manifestDocument';
import type { OffsetRange } from './positions';

export type PathSegment =
  | { type: 'key'; key: string }
  | { type: 'index'; index: number }
  | { type: 'match'; field: string; value: string };

const POD_SPEC_PATHS: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  PodTemplate: 'template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** Where the pod spec lives in an object of this kind; undefined for kinds that define no pods. */
export function podSpecPath(kind: string): string | undefined {
  return Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
}

/**
 * Parses `a.b[name=app].c[0]`. Keys containing `.` or `[` are written `["app.kubernetes.io/name"]`;
 * match values may be JSON-quoted (`[key="a]b"]`). Returns undefined for a path that does not parse.
 * The empty path is the root itself.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c = path[i];
    if (c === '[') {
      const close = bracketEnd(path, i + 1);
      if (close === undefined) return undefined;
      const segment = parseBracket(path.slice(i + 1, close));
      if (segment === undefined) return undefined;
      segments.push(segment);
      i = close + 1;
    } else if (c === '.') {
      // A dot separates; it may not start the path, end it, or double up.
      if (segments.length === 0 || i + 1 >= n || path[i + 1] === '.') return undefined;
      i++;
      if (path[i] === '[') continue;
    } else {
      if (segments.length > 0 && path[i - 1] !== '.') return undefined;
      let end = i;
      while (end < n && path[end] !== '.' && path[end] !== '[') end++;
      segments.push({ type: 'key', key: path.slice(i, end) });
      i = end;
    }
  }
  return segments;
}

export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.type === 'index') out += `[${s.index}]`;
    else if (s.type === 'match')
      out += `[${s.field}=${/[\]"]/.test(s.value) ? JSON.stringify(s.value) : s.value}]`;
    else if (/^[^.[\]"]+$/.test(s.key)) out += `${out === '' ? '' : '.'}${s.key}`;
    else out += `[${JSON.stringify(s.key)}]`;
  }
  return out;
}

/** Joins path pieces, skipping empty ones (`joinPaths('spec', '')` is `spec`). */
export function joinPaths(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('.')
    .replace(/\.\[/g, '[');
}

/** The path from the object's root for a path relative to `root`, or undefined when the kind has no pod spec. */
export function absolutePath(kind: string, root: PathRoot, path: string): string | undefined {
  if (root === 'object') return path;
  const prefix = podSpecPath(kind);
  return prefix === undefined ? undefined : joinPaths(prefix, path);
}

/** One step of a walk: the node reached, and how it hangs off its parent. */
export interface PathStep {
  segment: PathSegment;
  parent: YAMLMap | YAMLSeq;
  /** Set when the parent is a map. */
  pair?: Pair;
  /** Set when the parent is a sequence. */
  itemIndex?: number;
  node: YamlNode | null;
}

export interface PathWalk {
  steps: PathStep[];
  /** The segments that were not found, starting with the first missing one. */
  missing: PathSegment[];
  /** The deepest node reached: the object's map when nothing matched. */
  last: YamlNode | null;
  /** Whether the walk went through an alias (`*ref`): edits there would change the anchor's other uses. */
  throughAlias: boolean;
}

export function walkPath(doc: ObjectDocument, segments: readonly PathSegment[]): PathWalk {
  const steps: PathStep[] = [];
  let current: YamlNode | null = doc.node;
  let throughAlias = false;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    let container: YamlNode | null = current;
    if (isAlias(container)) {
      throughAlias = true;
      container = resolveAlias(doc, container);
    }
    const step = stepInto(container, segment);
    if (step === undefined) return { steps, missing: segments.slice(i), last: current, throughAlias };
    steps.push(step);
    current = step.node;
  }
  return { steps, missing: [], last: current, throughAlias };
}

export interface ResolvedField {
  /** The candidate that matched, as written in the blame (relative to its root). */
  path: string;
  /** The same path from the object's root. */
  absolutePath: string;
  node: YamlNode | null;
  /** The key of the field, when it has one (not for list items). */
  keyRange?: OffsetRange;
  /** The value's source, without trailing comments or blank lines. */
  valueRange?: OffsetRange;
  /** Where a squiggle goes: the value for a scalar, the key for a map or list. */
  range: OffsetRange;
}

/** Finds a path (from the object's root) in the document; undefined when any part of it is missing. */
export function resolvePath(doc: ObjectDocument, path: string): ResolvedField | undefined {
  const segments = parseFieldPath(path);
  if (segments === undefined) return undefined;
  const walk = walkPath(doc, segments);
  if (walk.missing.length > 0) return undefined;
  const step = walk.steps.at(-1);
  const node = step ? step.node : doc.node;
  const keyNode = step?.pair?.key;
  const keyRange =
    isScalar(keyNode) && keyNode.range ? { start: keyNode.range[0], end: keyNode.range[1] } : undefined;
  const valueRange = node?.range
    ? { start: node.range[0], end: Math.max(node.range[0], contentEnd(doc.text, node)) }
    : undefined;
  const range = squiggleRange(doc, node, step, keyRange, valueRange);
  if (range === undefined) return undefined;
  return {
    path,
    absolutePath: path,
    node,
    ...(keyRange ? { keyRange } : {}),
    ...(valueRange ? { valueRange } : {}),
    range,
  };
}

/** The first blamed candidate present in the document, with its range. */
export function resolveBlame(doc: ObjectDocument, blame: Blame): ResolvedField | undefined {
  for (const candidate of blame.paths) {
    const full = absolutePath(doc.identity.kind, blame.root, candidate);
    if (full === undefined) return undefined;
    const found = resolvePath(doc, full);
    if (found) return { ...found, path: candidate, absolutePath: full };
  }
  return undefined;
}

function squiggleRange(
  doc: ObjectDocument,
  node: YamlNode | null,
  step: PathStep | undefined,
  keyRange: OffsetRange | undefined,
  valueRange: OffsetRange | undefined,
): OffsetRange | undefined {
  const isEmptyScalar =
    isScalar(node) && (node.value === null || node.value === '') && node.range?.[0] === node.range?.[1];
  if (
    node !== null &&
    !isMap(node) &&
    !isSeq(node) &&
    !isEmptyScalar &&
    valueRange &&
    valueRange.end > valueRange.start
  ) {
    return valueRange;
  }
  if (keyRange) return keyRange;
  // A list item has no key: point at the field that selected it (`app` in `- name: app`), else at
  // the item's first key, else at its first line.
  const target = isAlias(node) ? resolveAlias(doc, node) : node;
  if (isMap(target)) {
    const segment = step?.segment;
    const selector =
      segment?.type === 'match' ? target.items.find((p) => keyOf(p) === segment.field) : undefined;
    const value = selector?.value as YamlNode | null | undefined;
    if (value?.range && value.range[1] > value.range[0])
      return { start: value.range[0], end: value.range[1] };
    const first = target.items[0]?.key as YamlNode | null | undefined;
    if (first?.range) return { start: first.range[0], end: first.range[1] };
  }
  if (valueRange) {
    const lineEnd = doc.text.indexOf('\n', valueRange.start);
    const end = lineEnd === -1 ? valueRange.end : Math.min(lineEnd, valueRange.end);
    return { start: valueRange.start, end: Math.max(end, valueRange.start) };
  }
  return undefined;
}

function stepInto(container: YamlNode | null, segment: PathSegment): PathStep | undefined {
  if (segment.type === 'key') {
    if (!isMap(container)) return undefined;
    const pair = container.items.find((p) => keyOf(p) === segment.key);
    if (!pair) return undefined;
    return { segment, parent: container, pair, node: (pair.value as YamlNode | null) ?? null };
  }
  if (!isSeq(container)) return undefined;
  if (segment.type === 'index') {
    if (segment.index < 0 || segment.index >= container.items.length) return undefined;
    return {
      segment,
      parent: container,
      itemIndex: segment.index,
      node: container.items[segment.index] as YamlNode | null,
    };
  }
  const itemIndex = container.items.findIndex((item) => {
    if (!isMap(item)) return false;
    const pair = item.items.find((p) => keyOf(p) === segment.field);
    const value = pair?.value;
    return isScalar(value) && scalarText(value.value) === segment.value;
  });
  if (itemIndex === -1) return undefined;
  return { segment, parent: container, itemIndex, node: container.items[itemIndex] as YamlNode | null };
}

/** A map key as the path grammar names it; undefined for complex keys. */
export function keyOf(pair: unknown): string | undefined {
  if (!isPair(pair)) return undefined;
  const key = pair.key;
  return isScalar(key) ? scalarText(key.value) : undefined;
}

/** A scalar's value as path text (`8080`, `true`); undefined for null and non-scalars. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

function resolveAlias(doc: ObjectDocument, node: YamlNode): YamlNode | null {
  if (!isAlias(node)) return node;
  try {
    return (node.resolve(doc.ast) as YamlNode | undefined) ?? null;
  } catch {
    // An alias to a missing anchor is a parse error the document already reported; treat it as absent.
    return null;
  }
}

/**
 * The end of the last thing a node says: its last scalar, not the comments or blank lines that the
 * parser counts into a block collection's range. An empty value (`key:`) says nothing: 0.
 */
export function contentEnd(text: string, node: YamlNode | null): number {
  let current: unknown = node;
  let end = 0;
  let inSequence = false;
  // Each step goes one node deeper in a finite tree (aliases are leaves here), so this ends; a depth
  // cap would stop inside a deeply nested value and put an appended field in the middle of it.
  while (current) {
    if (isMap(current) || isSeq(current)) {
      if (current.flow || current.items.length === 0) return Math.max(end, current.range?.[1] ?? end);
      const lastItem: unknown = current.items.at(-1);
      if (isPair(lastItem)) {
        end = Math.max(end, afterColon(text, (lastItem.key as YamlNode | null)?.range?.[1] ?? end));
        inSequence = false;
      } else inSequence = true;
      current = isPair(lastItem) ? lastItem.value : lastItem;
      continue;
    }
    const range = (current as YamlNode).range;
    if (!range) return end;
    if (isScalar(current)) {
      // An empty item (`-` alone) ends at its dash; an empty value (`key:`) at its colon, counted above.
      if (current.value === null && range[0] === range[1])
        return inSequence ? Math.max(end, afterDash(text, range[0])) : end;
      // Block scalars (`|`, `>`) include their final line breaks.
      return Math.max(end, trimEnd(text, range[0], range[1]));
    }
    return Math.max(end, range[1]);
  }
  return end;
}

/** Past the `:` that follows a key (`key:` owns its colon even when no value follows). */
function afterColon(text: string, keyEnd: number): number {
  for (let i = keyEnd; i < text.length; i++) {
    const c = text[i];
    if (c === ':') return i + 1;
    if (c !== ' ' && c !== '\t') break;
  }
  return keyEnd;
}

/** Past the `-` before an empty list item at `offset`. */
function afterDash(text: string, offset: number): number {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '-') return i + 1;
    if (c !== ' ' && c !== '\t') break;
  }
  return offset;
}

/** `end` moved back over trailing whitespace (block scalars and maps include their final newlines). */
export function trimEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

function bracketEnd(path: string, from: number): number | undefined {
  let quoted = false;
  for (let i = from; i < path.length; i++) {
    const c = path[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ']') return i;
  }
  return undefined;
}

function parseBracket(inner: string): PathSegment | undefined {
  if (/^\d+$/.test(inner)) return { type: 'index', index: Number(inner) };
  if (inner.startsWith('"')) {
    const key = parseJsonString(inner);
    return key === undefined ? undefined : { type: 'key', key };
  }
  const eq = inner.indexOf('=');
  if (eq <= 0) return undefined;
  const field = inner.slice(0, eq).trim();
  const raw = inner.slice(eq + 1).trim();
  if (field === '' || /[.[\]"]/.test(field)) return undefined;
  const value = raw.startsWith('"') ? parseJsonString(raw) : raw;
  return value === undefined ? undefined : { type: 'match', field, value };
}

function parseJsonString(s: string): string | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'string' ? v : undefined;
  } catch {
    // Not a JSON string: the caller reports the whole path as unparsable.
    return undefined;
  }
}

/** The value at a path (from the object's root) in plain data, as `resolvePath` finds it in YAML. */
export function valueAt(root: unknown, path: string): unknown {
  const segments = parseFieldPath(path);
  if (segments === undefined) return undefined;
  let current: unknown = root;
  for (const segment of segments) {
    if (segment.type === 'key') {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[segment.key];
    } else {
      if (!Array.isArray(current)) return undefined;
      const list: unknown[] = current;
      current =
        segment.type === 'index'
          ? list[segment.index]
          : list.find(
              (item) =>
                item !== null &&
                typeof item === 'object' &&
                scalarText((item as Record<string, unknown>)[segment.field]) === segment.value,
            );
    }
    if (current === undefined) return undefined;
  }
  return current;
}
