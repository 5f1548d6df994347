// FieldChanges (fixes as data) become offset edits on the original text: only the value or the
// lines that change are touched, so comments, quoting and the rest of the file stay as written and
// VS Code can apply the result as one WorkspaceEdit.
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, YAMLMap, YAMLSeq } from 'yaml';
import type { FieldChange } from '../kube/fieldChange';
import { EditComposer } from './editComposer';
import type { TextEdit } from './textEdit';
import { absolutePath, contentEnd, parseFieldPath, scalarText, trimEnd, walkPath } from './fieldPath';
import type { PathSegment, PathStep, PathWalk } from './fieldPath';
import { reparseDocument } from './manifestDocument';
import type { IndentStyle, ManifestFile, ObjectDocument } from './manifestDocument';
import {
  isInline,
  isPlainObject,
  renderAfterKey,
  renderAt,
  renderFlow,
  renderScalarLike,
  renderSeqItems,
} from './yamlRender';

// src/live/ and its tests, rebuilt concurrently, still import these from here.

export type EditResult = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

/**
 * The edits that make all `changes` in `doc` (a document of `file`). Changes apply in order, each
 * seeing the previous ones; the result is expressed on the original text. Fails as a whole (with a
 * reason) rather than producing a partial fix.
 */
export function editsForChanges(
  file: ManifestFile,
  doc: ObjectDocument,
  changes: readonly FieldChange[],
): EditResult {
  const composer = new EditComposer(file.text);
  let current = doc;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i] as FieldChange;
    if (i > 0) {
      const again = reparseDocument(file, doc, composer.text);
      if (!again) return { ok: false, reason: 'the document no longer parses after the previous change' };
      current = again;
    }
    let result: TextEdit[] | string;
    try {
      result = changeEdits(current, file.style, change);
    } catch (error) {
      // A layout this code did not foresee must cost the fix, never the finding or the caller.
      result = `cannot edit ${change.path}: ${String(error)}`;
    }
    if (typeof result === 'string') return { ok: false, reason: result };
    composer.apply(result);
  }
  return { ok: true, edits: composer.edits() };
}

/** Edits for one change, in the coordinates of `doc.text`; a string says why it cannot be made. */
function changeEdits(doc: ObjectDocument, style: IndentStyle, change: FieldChange): TextEdit[] | string {
  const full = absolutePath(doc.identity.kind, change.root, change.path);
  if (full === undefined) return `${doc.identity.kind} has no pod spec`;
  const segments = parseFieldPath(full);
  if (segments === undefined) return `bad field path ${change.path}`;
  if (segments.length === 0) return 'cannot change the whole object';
  const walk = walkPath(doc, segments);
  if (walk.throughAlias || isAlias(walk.last)) return `${change.path} goes through a YAML alias`;
  const editor = new Editor(doc, style);
  const target = walk.steps.at(-1);
  const scalarSwap =
    change.op === 'set' &&
    walk.missing.length === 0 &&
    isScalar(target?.node) &&
    !isNull(target?.node) &&
    isInline(change.value);
  const flow = scalarSwap ? undefined : changedFlow(walk);
  if (flow !== undefined) return editor.inFlow(walk, flow, segments, change);
  switch (change.op) {
    case 'set':
      return walk.missing.length === 0
        ? editor.replace(walk.steps.at(-1) as PathStep, change.value)
        : editor.create(walk, change.value);
    case 'append': {
      const items = Array.isArray(change.value) ? change.value : [change.value];
      if (walk.missing.length > 0) return editor.create(walk, items);
      const step = walk.steps.at(-1) as PathStep;
      if (isSeq(step.node) && step.node.flow) return editor.appendToFlow(step, step.node, items);
      if (isSeq(step.node)) return editor.appendItems(step.node, items);
      if (isNull(step.node)) return editor.replace(step, items);
      return `${change.path} is not a list`;
    }
    case 'remove':
      // Already absent is already fixed.
      return walk.missing.length === 0 ? editor.remove(walk.steps) : [];
  }
}

/**
 * When the collection that changes is a flow one (`{…}`, `[…]`), the index of the step that reaches
 * it (`steps.length` for the deepest node found). Flow collections are re-rendered whole; block
 * ones get line edits.
 */
function changedFlow(walk: PathWalk): number | undefined {
  if (walk.missing.length > 0) {
    const last = walk.last;
    return (isMap(last) || isSeq(last)) && last.flow ? walk.steps.length : undefined;
  }
  if (walk.steps.length === 0) return undefined;
  if (walk.steps.at(-1)?.parent.flow) return walk.steps.length - 1;
  return undefined;
}

class Editor {
  private readonly text: string;
  private readonly eol: string;

  constructor(
    private readonly doc: ObjectDocument,
    private readonly style: IndentStyle,
  ) {
    this.text = doc.text;
    this.eol = this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** Sets an existing field (or list item) to a new value. */
  replace(step: PathStep, value: unknown): TextEdit[] | string {
    const node = step.node;
    if (isAlias(node)) return 'the field is a YAML alias';
    if (step.pair) {
      const key = step.pair.key as YamlNode;
      const keyColumn = this.column(start(key));
      const colon = this.colonAfter(key);
      if (colon === undefined) return 'cannot find the key’s colon';
      if (isScalar(node) && !isNull(node) && isInline(value)) {
        return [this.edit(start(node), scalarEnd(this.text, node), renderScalarLike(value, node.type))];
      }
      // `key:` with nothing after it has an empty node somewhere past the colon: insert at the colon.
      // An explicit `null` or `~` is replaced.
      const empty = node === null || (isNull(node) && (node.range?.[0] ?? 0) === (node.range?.[1] ?? 0));
      const end = empty ? colon + 1 : this.contentEnd(node);
      return [this.edit(colon + 1, Math.max(colon + 1, end), renderAfterKey(value, keyColumn, this.style))];
    }
    if (node === null || isNull(node)) return 'cannot set an empty list item';
    if (isScalar(node) && isInline(value))
      return [this.edit(start(node), scalarEnd(this.text, node), renderScalarLike(value, node.type))];
    return [
      this.edit(start(node), this.contentEnd(node), renderAt(value, this.column(start(node)), this.style)),
    ];
  }

  /** Creates the missing part of a path (parent maps, a list, a list item) under the deepest node found. */
  create(walk: PathWalk, value: unknown): TextEdit[] | string {
    const [first, ...rest] = walk.missing as [PathSegment, ...PathSegment[]];
    const built = build(rest, value);
    if (typeof built === 'string') return built;
    const parentStep = walk.steps.at(-1);
    const last = walk.last;
    if (first.type === 'key') {
      if (isMap(last)) return this.insertPair(last, first.key, built.value);
      if (isNull(last) && parentStep) return this.replace(parentStep, { [first.key]: built.value });
      return `cannot add ${first.key} under a value that is not a map`;
    }
    const created = itemFor(first, built.value, isSeq(last) ? last.items.length : 0);
    if (typeof created === 'string') return created;
    if (isSeq(last)) return this.appendItems(last, [created.item]);
    if (isNull(last) && parentStep) return this.replace(parentStep, [created.item]);
    return 'cannot add a list item under a value that is not a list';
  }

  appendItems(seq: YAMLSeq, items: readonly unknown[]): TextEdit[] | string {
    if (items.length === 0) return [];
    const first = seq.items[0] as YamlNode | undefined;
    if (!first) return 'cannot append to an empty block list';
    const dash = this.dashBefore(first);
    if (dash === undefined) return 'cannot find the list’s dash';
    const dashColumn = this.column(dash);
    const firstMap = seq.items.find((i) => isMap(i) && !i.flow) as YamlNode | undefined;
    const contentOffset = firstMap
      ? this.column(start(firstMap)) - this.column(this.dashBefore(firstMap) ?? dash)
      : 2;
    const at = this.lineEnd(this.contentEnd(seq));
    return [this.edit(at, at, this.eol + renderSeqItems(items, dashColumn, contentOffset, this.style))];
  }

  /** `[a, b]` gets `, c` before its bracket; `[]` under a block key becomes a block list. */
  appendToFlow(step: PathStep, seq: YAMLSeq, items: readonly unknown[]): TextEdit[] | string {
    if (seq.items.length === 0)
      return step.parent.flow
        ? [this.edit(start(seq), seq.range?.[1] ?? start(seq), renderFlow(items))]
        : this.replace(step, items);
    const close = trimEnd(this.text, start(seq), seq.range?.[1] ?? start(seq)) - 1;
    if (this.text[close] !== ']') return 'cannot find the end of the flow list';
    const at = trimEnd(this.text, start(seq), close);
    const rendered = items.map(renderFlow).join(', ');
    // `[a, b,]` already ends with the separator.
    return [this.edit(at, at, this.text[at - 1] === ',' ? ` ${rendered}` : `, ${rendered}`)];
  }

  remove(steps: readonly PathStep[]): TextEdit[] | string {
    const step = steps.at(-1);
    if (!step) return 'cannot remove the whole object';
    const parentStep = steps.at(-2);
    if (step.pair) {
      const map = step.parent as YAMLMap;
      if (map.items.length === 1) {
        // Removing the last key leaves an empty map: say so with `{}` (or drop the whole list item).
        if (!parentStep) return 'cannot remove the last field of the object';
        return parentStep.pair ? this.replace(parentStep, {}) : this.remove(steps.slice(0, -1));
      }
      const key = step.pair.key as YamlNode;
      const lineStart = this.lineStart(start(key));
      const index = map.items.indexOf(step.pair);
      const end = this.contentEnd(step.node ?? key, key);
      if (this.text.slice(lineStart, start(key)).trim() === '') return [this.deleteLines(lineStart, end)];
      // The first key of a list item (`- name: x`): the next key moves up behind the dash.
      const next = map.items[index + 1]?.key as YamlNode | undefined;
      if (index === 0 && next) return [this.edit(start(key), start(next), '')];
      return 'unsupported layout for removal';
    }
    const seq = step.parent as YAMLSeq;
    if (seq.items.length === 1) {
      if (!parentStep) return 'cannot remove the last list item';
      return parentStep.pair ? this.replace(parentStep, []) : 'cannot empty a nested list';
    }
    const node = step.node;
    if (node === null) return 'cannot remove an empty list item';
    const dash = this.dashBefore(node);
    if (dash === undefined) return 'cannot find the list item’s dash';
    const lineStart = this.lineStart(dash);
    if (this.text.slice(lineStart, dash).trim() !== '') return 'unsupported layout for removal';
    return [this.deleteLines(lineStart, this.contentEnd(node))];
  }

  /** Changes inside a flow collection: the outermost one is re-rendered from its value, changed. */
  inFlow(
    walk: PathWalk,
    flowStep: number,
    segments: readonly PathSegment[],
    change: FieldChange,
  ): TextEdit[] | string {
    const flowNode = (flowStep === 0 ? this.doc.node : walk.steps[flowStep - 1]?.node) as YAMLMap | YAMLSeq;
    const relative = segments.slice(flowStep);
    const value: unknown = flowNode.toJS(this.doc.ast);
    const changed = changeValue(value, relative, change);
    if (typeof changed === 'string') return changed;
    const owner = walk.steps[flowStep - 1];
    // `resources: {}` or `tolerations: []` under a block key becomes a block, as a person would write it.
    if (flowNode.items.length === 0 && owner && !owner.parent.flow) return this.replace(owner, changed.value);
    return [this.edit(start(flowNode), flowNode.range?.[1] ?? start(flowNode), renderFlow(changed.value))];
  }

  private insertPair(map: YAMLMap, key: string, value: unknown): TextEdit[] | string {
    const firstKey = map.items[0]?.key as YamlNode | undefined;
    if (!firstKey?.range) return 'cannot add to an empty block map';
    const column = this.column(start(firstKey));
    const at = this.lineEnd(this.contentEnd(map));
    const line = `${' '.repeat(column)}${renderScalarLike(key, 'PLAIN')}:${renderAfterKey(value, column, this.style)}`;
    return [this.edit(at, at, this.eol + line)];
  }

  private contentEnd(node: YamlNode | null, fallback?: YamlNode): number {
    return Math.max(contentEnd(this.text, node), fallback?.range?.[1] ?? 0);
  }

  private deleteLines(lineStart: number, contentEnd: number): TextEdit {
    const lineEnd = this.lineEnd(contentEnd);
    const next = this.text.indexOf('\n', lineEnd);
    // The last line of the file has no newline after it: take the one before it instead.
    if (next === -1) return this.edit(Math.max(0, lineStart - this.eol.length), this.text.length, '');
    return this.edit(lineStart, next + 1, '');
  }

  private colonAfter(key: YamlNode): number | undefined {
    const from = key.range?.[1] ?? 0;
    for (let i = from; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === ':') return i;
      if (c !== ' ' && c !== '\t') return undefined;
    }
    return undefined;
  }

  private dashBefore(node: YamlNode): number | undefined {
    for (let i = start(node) - 1; i >= 0; i--) {
      const c = this.text[i];
      if (c === '-') return i;
      // `-` may stand alone on its line with the item below it.
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return undefined;
    }
    return undefined;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  private lineEnd(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    if (newline === -1) return this.text.length;
    return this.text[newline - 1] === '\r' ? newline - 1 : newline;
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    return { start, end, newText: this.eol === '\n' ? newText : newText.replace(/\r?\n/g, this.eol) };
  }
}

function start(node: YamlNode): number {
  return node.range?.[0] ?? 0;
}

function scalarEnd(text: string, node: YamlNode): number {
  const range = node.range;
  if (!range) return 0;
  // Block scalars (`|`, `>`) include their final line breaks.
  return trimEnd(text, range[0], range[1]);
}

function isNull(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** The value to create for the missing segments after the first one. */
function build(segments: readonly PathSegment[], value: unknown): { value: unknown } | string {
  let built = value;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as PathSegment;
    if (segment.type === 'key') built = { [segment.key]: built };
    else {
      const created = itemFor(segment, built, 0);
      if (typeof created === 'string') return created;
      built = [created.item];
    }
  }
  return { value: built };
}

/** A new list item for `[field=value]` (the selecting field first) or `[n]` (only at the end of the list). */
function itemFor(segment: PathSegment, value: unknown, length: number): { item: unknown } | string {
  if (segment.type === 'index') {
    return segment.index === length ? { item: value } : `cannot create list item ${segment.index}`;
  }
  if (segment.type !== 'match') return 'not a list item';
  if (!isPlainObject(value)) return `a list item selected by ${segment.field} must be a map`;
  return { item: { [segment.field]: segment.value, ...value } };
}

/** The same change on plain data, for flow collections. */
function changeValue(
  root: unknown,
  segments: readonly PathSegment[],
  change: FieldChange,
): { value: unknown } | string {
  const copy: unknown = structuredClone(root);
  const holder: Record<string, unknown> = { root: copy };
  let parent: unknown = holder;
  let slot: string | number = 'root';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    const container: unknown = (parent as Record<string | number, unknown>)[slot];
    let next: string | number;
    if (segment.type === 'key') {
      if (isNull(container) || container === undefined) {
        if (change.op === 'remove') return { value: holder['root'] };
        (parent as Record<string | number, unknown>)[slot] = {};
      } else if (!isPlainObject(container))
        return `cannot add ${segment.key} under a value that is not a map`;
      next = segment.key;
    } else {
      let list: unknown = container;
      if (list === undefined || list === null) {
        if (change.op === 'remove') return { value: holder['root'] };
        list = [];
        (parent as Record<string | number, unknown>)[slot] = list;
      }
      if (!Array.isArray(list)) return 'not a list';
      const index =
        segment.type === 'index'
          ? segment.index
          : list.findIndex(
              (item) => isPlainObject(item) && scalarText(item[segment.field]) === segment.value,
            );
      if (index === -1 || index >= list.length) {
        if (change.op === 'remove') return { value: holder['root'] };
        const created = itemFor(segment, {}, list.length);
        if (typeof created === 'string') return created;
        list.push(created.item);
        next = list.length - 1;
      } else next = index;
    }
    parent = (parent as Record<string | number, unknown>)[slot];
    slot = next;
  }
  const target = parent as Record<string | number, unknown>;
  if (change.op === 'set') target[slot] = change.value;
  else if (change.op === 'remove') {
    if (Array.isArray(target)) target.splice(slot as number, 1);
    else delete target[slot];
  } else {
    const existing = target[slot];
    const items: unknown[] = Array.isArray(change.value) ? change.value : [change.value];
    if (existing === undefined || existing === null) target[slot] = items;
    else if (Array.isArray(existing)) existing.push(...items);
    else return 'not a list';
  }
  return { value: holder['root'] };
}
