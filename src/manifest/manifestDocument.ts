// A manifest file as documents with offsets. Every document is either a Kubernetes object with an
// identity, or a skip with a typed reason: nothing here throws, and one bad document never hides the
// others. The AST is kept (not only the plain object) because ranges and edits need its nodes.
import { isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import type { KubeObject } from '../kube/types';
import { LineIndex } from './positions';
import type { Position } from './positions';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  /** Absent when the file does not say: the caller applies its default namespace. */
  namespace?: string;
  name: string;
}

export type SkipCode =
  'tooLarge' | 'helmTemplate' | 'kustomize' | 'malformed' | 'empty' | 'notKubernetes' | 'noName' | 'list';

export interface SkipReason {
  code: SkipCode;
  /** One line a person reads, e.g. `YAML error at 4:7: …`. */
  reason: string;
  /** Where the problem is, when there is one place (malformed YAML, a template directive). */
  position?: Position;
}

export interface ObjectDocument {
  status: 'object';
  /** Position of the `---`-separated document in the file, 0-based. */
  index: number;
  /** Set for an entry of a `kind: List`: its position in `items`. */
  itemIndex?: number;
  /** The document's extent in the file text. */
  start: number;
  end: number;
  /** The whole file's text, which the AST's offsets index into. */
  text: string;
  ast: Document.Parsed;
  /** The object's own map: the document root, or the `items[i]` entry of a List. */
  node: YAMLMap;
  object: KubeObject;
  identity: ObjectIdentity;
}

export interface SkippedDocument {
  status: 'skipped';
  index: number;
  itemIndex?: number;
  start: number;
  end: number;
  skip: SkipReason;
}

export type ManifestDocument = ObjectDocument | SkippedDocument;

export interface IndentStyle {
  /** Spaces per nesting level, detected from the file (2 when it has no nested maps). */
  indent: number;
  /** Whether `- ` items sit one level deeper than their key (`key:\n  - a`) or at its column (`key:\n- a`). */
  indentSequences: boolean;
}

export interface ManifestFile {
  text: string;
  lines: LineIndex;
  /** Set when the whole file is skipped; `documents` is then empty. */
  skip?: SkipReason;
  documents: ManifestDocument[];
  style: IndentStyle;
  /**
   * The `---`-separated pieces the text was parsed in. A later parse of an edited version of the
   * file (`ParseOptions.previous`) takes over the pieces whose text did not change instead of
   * parsing them again.
   */
  chunks?: readonly ParsedChunk[];
}

/**
 * One `---`-separated piece of a file, parsed on its own. Its AST offsets index the whole file:
 * they are moved to where the chunk now starts when something first reads them (`settle`), so an
 * edit above a thousand unchanged documents moves only those that are read afterwards.
 */
export interface ParsedChunk {
  text: string;
  start: number;
  /** The chunk's documents, their offsets settled to `start`. */
  readonly asts: Document.Parsed[];
  /** What the chunk's documents became at parse time (local indices, offsets of `origin`). */
  templates: ManifestDocument[];
  /** Where the chunk started when it was parsed. */
  origin: number;
  /** The ASTs, the start their offsets reflect now, and the chunk's layout votes; shared by every version of the chunk. */
  state: ChunkState;
}

interface ChunkState {
  asts: Document.Parsed[];
  at: number;
  votes?: StyleVotes;
}

interface StyleVotes {
  indents: Map<number, number>;
  indented: number;
  flush: number;
}

export interface ParseOptions {
  /** The file's name or path, used to recognise kustomization files and Helm `templates/` folders. */
  fileName?: string;
  /** Files larger than this (UTF-8 bytes) are skipped whole. Default 2 MiB. */
  maxBytes?: number;
  /**
   * The parse of an earlier version of this file: its unchanged documents are reused rather than
   * parsed again (typing in one document of a large file re-parses only that document). It is
   * consumed: its documents move to the new result, so it must not be read afterwards.
   */
  previous?: ManifestFile;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

// YAML 1.1 is what the Go YAML libraries behind kubectl read: `0644` is octal, merge keys work.
// logLevel 'error': the parser's warnings stay on the document; `yaml` would otherwise also print
// them with process.emitWarning (a hostile file could fill the extension host's console).
export const YAML_OPTIONS = { version: '1.1', merge: true, prettyErrors: false, logLevel: 'error' } as const;
// A billion-laughs document stops here instead of exhausting memory.
const MAX_ALIAS_COUNT = 100;

const KUSTOMIZE_FILE = /(^|[\\/])kustomization\.ya?ml$/i;
const HELM_ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
// Names only a Helm chart uses. Go-template text of other tools (Alertmanager's `{{ range .Alerts }}`,
// Prometheus' `{{ $labels.x }}`) inside string values is content, and is judged after parsing.
const HELM_WORDS =
  /\.(Values|Release|Chart|Capabilities|Files|Template)\b|\b(include|toYaml|toJson|tpl|required|nindent|lookup)\b/;

export function parseManifestFile(text: string, options: ParseOptions = {}): ManifestFile {
  const lines = new LineIndex(text);
  const base = {
    text,
    lines,
    documents: [] as ManifestDocument[],
    style: { indent: 2, indentSequences: true },
  };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (utf8Length(text, maxBytes) > maxBytes) {
    return { ...base, skip: { code: 'tooLarge', reason: `file is larger than ${formatBytes(maxBytes)}` } };
  }
  if (options.fileName !== undefined && KUSTOMIZE_FILE.test(options.fileName)) {
    return {
      ...base,
      skip: { code: 'kustomize', reason: 'Kustomize file (kustomization.yaml), not a manifest' },
    };
  }
  const template = findTemplateDirective(text, options.fileName);
  if (template !== undefined) return { ...base, skip: helmSkip(lines.positionAt(template)) };

  const reusable = new Map<string, ParsedChunk[]>();
  for (const chunk of options.previous?.chunks ?? []) {
    // A skip that names a line would name the old one.
    if (chunk.templates.some((d) => d.status === 'skipped' && d.skip.position)) continue;
    const list = reusable.get(chunk.text);
    if (list) list.push(chunk);
    else reusable.set(chunk.text, [chunk]);
  }
  const chunks: ParsedChunk[] = [];
  for (const { start, end } of chunkBounds(text)) {
    const chunkText = text.slice(start, end);
    const old = reusable.get(chunkText)?.shift();
    const chunk = old ? movedChunk(old, start) : parseChunk(chunkText, start, text, lines);
    if (typeof chunk === 'string') {
      // parseAllDocuments reports problems on the documents; this is only for a parser bug.
      return { ...base, skip: { code: 'malformed', reason: `YAML parser failed: ${chunk}` } };
    }
    chunks.push(chunk);
  }
  const documents: ManifestDocument[] = [];
  let index = 0;
  for (const chunk of chunks) {
    for (const template of chunk.templates) documents.push(placeDocument(template, chunk, index, text));
    index += chunk.state.asts.length;
  }
  let style: IndentStyle | undefined;
  return {
    text,
    lines,
    documents,
    chunks,
    // Only a fix needs the layout; a keystroke does not pay for a walk of every document.
    get style() {
      style ??= styleOf(chunks.map((c) => votesOf(c, text)));
      return style;
    },
  };
}

function votesOf(chunk: ParsedChunk, text: string): StyleVotes {
  settle(chunk.state, chunk.start);
  chunk.state.votes ??= styleVotes(chunk.state.asts, text);
  return chunk.state.votes;
}

/**
 * `doc` as it reads in `newText`, a version of `file.text` changed only inside `doc`'s own YAML
 * document (what a fix does). Only that document is parsed again.
 */
export function reparseDocument(
  file: ManifestFile,
  doc: ObjectDocument,
  newText: string,
): ObjectDocument | undefined {
  const chunk = file.chunks?.find((c) => c.asts.includes(doc.ast));
  const local = chunk?.asts.indexOf(doc.ast) ?? -1;
  const same = (d: ManifestDocument | undefined, index: number): ObjectDocument | undefined =>
    d?.status === 'object' && d.index === index && d.itemIndex === doc.itemIndex ? d : undefined;
  if (!chunk || local < 0) {
    const again = parseManifestFile(newText, { maxBytes: Number.POSITIVE_INFINITY });
    return again.documents.map((d) => same(d, doc.index)).find((d) => d !== undefined);
  }
  const end = chunk.start + chunk.text.length + newText.length - file.text.length;
  const parsed = parseChunk(newText.slice(chunk.start, end), chunk.start, newText, new LineIndex(newText));
  if (typeof parsed === 'string') return undefined;
  // The fix's edits are offsets into newText: the document's nodes must be there now.
  settle(parsed.state, chunk.start);
  return parsed.templates.map((d) => same(d, local)).find((d) => d !== undefined);
}

/**
 * Where the file splits into separately parsed pieces: before every `---` that starts a line.
 * YAML forbids such a line inside any scalar, so each piece parses exactly as it does in the
 * whole file. Directives (`%YAML`) belong to the document after them: such files stay whole.
 */
function chunkBounds(text: string): { start: number; end: number }[] {
  if (/^%/m.test(text)) return [{ start: 0, end: text.length }];
  const starts = [0];
  for (const match of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) if (match.index > 0) starts.push(match.index);
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
}

function parseChunk(chunkText: string, start: number, text: string, lines: LineIndex): ParsedChunk | string {
  let asts: Document.Parsed[];
  try {
    asts = Array.from(parseAllDocuments(chunkText, YAML_OPTIONS) as Document.Parsed[]);
  } catch (error) {
    return String(error);
  }
  // Offsets stay relative to the chunk until something reads the AST (most documents of a large
  // file are never read); the documents' own extents are computed with the chunk's start added.
  const state: ChunkState = { asts, at: 0 };
  // Template detection compares node offsets with the file's: it needs them in place (rare).
  if (chunkText.includes('{{')) settle(state, start);
  const base = start - state.at;
  const templates: ManifestDocument[] = [];
  asts.forEach((ast, index) => templates.push(...documentsOf(ast, index, text, lines, base)));
  return chunkAt({ text: chunkText, templates, origin: start, state }, start);
}

/** A chunk of the previous version at its place in the new text (same text, maybe another offset). */
function movedChunk(chunk: ParsedChunk, start: number): ParsedChunk {
  return chunkAt(chunk, start);
}

function chunkAt(chunk: Omit<ParsedChunk, 'start' | 'asts'>, start: number): ParsedChunk {
  const { text, templates, origin, state } = chunk;
  return {
    text,
    start,
    templates,
    origin,
    state,
    get asts() {
      settle(state, start);
      return state.asts;
    },
  };
}

/** Moves the chunk's ASTs to `start` if they are elsewhere (a later or earlier version read them). */
function settle(state: ChunkState, start: number): void {
  if (state.at === start) return;
  for (const ast of state.asts) shiftDocument(ast, start - state.at);
  state.at = start;
}

/**
 * A document of the chunk as the file at hand has it: its index in the file, offsets moved with
 * the chunk, and the AST settled to this file's offsets whenever it is read.
 */
function placeDocument(
  template: ManifestDocument,
  chunk: ParsedChunk,
  indexBase: number,
  text: string,
): ManifestDocument {
  const delta = chunk.start - chunk.origin;
  const position = {
    index: indexBase + template.index,
    ...(template.itemIndex === undefined ? {} : { itemIndex: template.itemIndex }),
    start: template.start + delta,
    end: template.end + delta,
  };
  if (template.status === 'skipped') return { status: 'skipped', ...position, skip: template.skip };
  const { ast, node, object, identity } = template;
  const { state, start } = chunk;
  return {
    status: 'object',
    ...position,
    text,
    object,
    identity,
    get ast() {
      settle(state, start);
      return ast;
    },
    get node() {
      settle(state, start);
      return node;
    },
  };
}

/** Moves every offset of a parsed document by `delta` (the chunk's place in the file). */
function shiftDocument(ast: Document.Parsed, delta: number): void {
  if (delta === 0) return;
  shiftRange(ast.range, delta);
  for (const problem of [...ast.errors, ...ast.warnings]) {
    problem.pos[0] += delta;
    problem.pos[1] += delta;
  }
  shiftNode(ast.contents, delta);
}

function shiftNode(node: unknown, delta: number): void {
  if (node === null || typeof node !== 'object') return;
  const range = (node as { range?: [number, number, number] | null }).range;
  if (range) shiftRange(range, delta);
  if (isMap(node)) {
    for (const pair of node.items) {
      shiftNode(pair.key, delta);
      shiftNode(pair.value, delta);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) shiftNode(item, delta);
  }
}

function shiftRange(range: [number, number, number], delta: number): void {
  range[0] += delta;
  range[1] += delta;
  range[2] += delta;
}

/** The documents that are Kubernetes objects. */
export function objectDocuments(file: ManifestFile): ObjectDocument[] {
  return file.documents.filter((d): d is ObjectDocument => d.status === 'object');
}

function documentsOf(
  ast: Document.Parsed,
  index: number,
  text: string,
  lines: LineIndex,
  /** What to add to the AST's offsets to get the file's (0 once they are in place). */
  base = 0,
): ManifestDocument[] {
  const start = ast.range[0] + base;
  const end = ast.range[2] + base;
  const skipped = (skip: SkipReason, itemIndex?: number): SkippedDocument => ({
    status: 'skipped',
    index,
    ...(itemIndex === undefined ? {} : { itemIndex }),
    start,
    end,
    skip,
  });
  const template = templateOutsideStrings(ast, text, start, end);
  if (template !== undefined) {
    const position = lines.positionAt(template);
    return [skipped(helmSkip(position))];
  }
  const error = ast.errors[0];
  if (error) {
    const position = lines.positionAt(error.pos[0] + base);
    return [
      skipped({
        code: 'malformed',
        reason: `YAML error at ${position.line + 1}:${position.character + 1}: ${firstLine(error.message)}`,
        position,
      }),
    ];
  }
  const root = ast.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    return [skipped({ code: 'empty', reason: 'empty document' })];
  }
  if (!isMap(root))
    return [skipped({ code: 'notKubernetes', reason: 'not a Kubernetes object (not a mapping)' })];

  let object: unknown;
  try {
    object = ast.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return [skipped({ code: 'malformed', reason: `YAML error: ${firstLine(String(e))}` })];
  }
  const identified = identify(object);
  if ('skip' in identified) return [skipped(identified.skip)];
  if (!identified.isList) {
    return [
      {
        status: 'object',
        index,
        start,
        end,
        text,
        ast,
        node: root,
        object: identified.object,
        identity: identified.identity,
      },
    ];
  }

  const itemsNode = root.get('items', true);
  const items = (identified.object as { items?: unknown }).items;
  if (!isSeq(itemsNode) || !Array.isArray(items)) {
    return [skipped({ code: 'list', reason: 'List without items' })];
  }
  return items.map((item, itemIndex): ManifestDocument => {
    const node = itemsNode.items[itemIndex] as YamlNode | undefined;
    const itemStart = node?.range ? node.range[0] + base : start;
    const itemEnd = node?.range ? node.range[2] + base : end;
    const result = identify(item);
    if ('skip' in result || result.isList || !isMap(node)) {
      const skip = 'skip' in result ? result.skip : { code: 'list' as const, reason: 'nested List' };
      return { ...skipped(skip, itemIndex), start: itemStart, end: itemEnd };
    }
    return {
      status: 'object',
      index,
      itemIndex,
      start: itemStart,
      end: itemEnd,
      text,
      ast,
      node,
      object: result.object,
      identity: result.identity,
    };
  });
}

type Identified = { object: KubeObject; identity: ObjectIdentity; isList: boolean } | { skip: SkipReason };

function identify(value: unknown): Identified {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { skip: { code: 'notKubernetes', reason: 'not a Kubernetes object (not a mapping)' } };
  }
  const object = value as KubeObject;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    return { skip: { code: 'notKubernetes', reason: 'not a Kubernetes object (no apiVersion/kind)' } };
  }
  if (apiVersion.startsWith('kustomize.config.k8s.io/')) {
    return { skip: { code: 'kustomize', reason: `Kustomize ${kind}, not a manifest` } };
  }
  // `v1 List` and the typed lists kubectl prints (`PodList`, …) carry objects in `items`.
  const isList = Array.isArray((object as { items?: unknown }).items) && /List$/.test(kind);
  if (isList) return { object, identity: { apiVersion, kind, name: '' }, isList };
  const metadata = object.metadata;
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  if (name === '') {
    const why =
      typeof metadata?.generateName === 'string'
        ? 'uses generateName, so no live object can be matched to it'
        : 'no metadata.name (a patch?)';
    return { skip: { code: 'noName', reason: `${kind}: ${why}` } };
  }
  const namespace =
    typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  return {
    object,
    identity: { apiVersion, kind, ...(namespace === undefined ? {} : { namespace }), name },
    isList: false,
  };
}

/** The offset of the first Go template action that only a template engine would accept, if any. */
function findTemplateDirective(text: string, fileName: string | undefined): number | undefined {
  if (!text.includes('{{')) return undefined;
  const inTemplatesFolder = fileName !== undefined && /(^|[\\/])templates[\\/]/.test(fileName);
  for (const match of text.matchAll(HELM_ACTION)) {
    if (isCommentedOut(text, match.index)) continue;
    if (inTemplatesFolder || HELM_WORDS.test(match[1] ?? '')) return match.index;
  }
  return undefined;
}

/**
 * The first template action of a parsed document that is not inside a string value: there the
 * template engine, not YAML, decides the structure. Also any action in a document that failed to
 * parse, since templates are the usual reason.
 */
function templateOutsideStrings(
  ast: Document.Parsed,
  text: string,
  start: number,
  end: number,
): number | undefined {
  const source = text.slice(start, end);
  if (!source.includes('{{')) return undefined;
  const strings: [number, number][] = [];
  if (ast.errors.length === 0) {
    visit(ast, {
      Scalar(_key, node) {
        if (typeof node.value === 'string' && node.range) strings.push([node.range[0], node.range[1]]);
      },
    });
  }
  for (const match of source.matchAll(HELM_ACTION)) {
    const offset = start + match.index;
    if (isCommentedOut(text, offset)) continue;
    if (!strings.some(([from, to]) => offset >= from && offset < to)) return offset;
  }
  return undefined;
}

function isCommentedOut(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^\s*#/.test(text.slice(lineStart, offset));
}

/** One chunk's votes on the file's layout: its nested blocks' indentation. */
function styleVotes(docs: readonly Document.Parsed[], source: string): StyleVotes {
  const votes: StyleVotes = { indents: new Map(), indented: 0, flush: 0 };
  const column = (offset: number): number => offset - (source.lastIndexOf('\n', offset - 1) + 1);
  for (const doc of docs) {
    const walk = (node: unknown, depth: number): void => {
      if (depth > 64) return;
      if (isMap(node) && !node.flow) {
        for (const pair of node.items) {
          const key = pair.key as YamlNode | null;
          const value = pair.value as YamlNode | null;
          if (key?.range && value?.range && (isMap(value) || isSeq(value)) && !value.flow) {
            const delta = column(value.range[0]) - column(key.range[0]);
            const firstLineEnd = source.indexOf('\n', key.range[0]);
            const onNextLine = firstLineEnd !== -1 && firstLineEnd < value.range[0];
            if (onNextLine && isMap(value) && delta > 0)
              votes.indents.set(delta, (votes.indents.get(delta) ?? 0) + 1);
            if (onNextLine && isSeq(value)) {
              if (delta > 0) votes.indented++;
              else if (delta === 0) votes.flush++;
            }
          }
          walk(value, depth + 1);
        }
      } else if (isSeq(node) && !node.flow) {
        for (const item of node.items) walk(item, depth + 1);
      }
    };
    walk(doc.contents, 0);
  }
  return votes;
}

/** The file's own layout, by majority vote over its nested blocks, for the text that fixes insert. */
function styleOf(chunkVotes: readonly StyleVotes[]): IndentStyle {
  const indents = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  for (const votes of chunkVotes) {
    for (const [width, count] of votes.indents) indents.set(width, (indents.get(width) ?? 0) + count);
    indented += votes.indented;
    flush += votes.flush;
  }
  let indent = 2;
  let best = 0;
  for (const [width, count] of indents) {
    if (count > best || (count === best && width < indent)) {
      indent = width;
      best = count;
    }
  }
  return { indent, indentSequences: indented >= flush };
}

function helmSkip(position: Position): SkipReason {
  return {
    code: 'helmTemplate',
    reason: `template directive ({{ … }}) at ${position.line + 1}:${position.character + 1}: render the chart first`,
    position,
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function utf8Length(text: string, cap: number): number {
  if (text.length > cap) return text.length;
  if (text.length * 3 <= cap) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 2 : 3;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`
    : `${bytes} bytes`;
}
