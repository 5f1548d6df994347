// The manifest fuzzer: one seeded generator of hostile YAML and one `exercise` that pushes a text
// through every entry point of src/manifest and the placement of findings on it (parse, identity,
// field resolution, placement, fix edits, applying them and parsing again). Nothing may throw, and
// the edits produced must stay inside the text and keep a valid document valid. `npm run fuzz` runs
// 100,000 inputs; test/unit/manifest/fuzz.test.ts runs a 5,000-input slice of the same generator.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Finding } from '../../src/analysis/finding';
import type { FieldChange } from '../../src/kube/fieldChange';
import { detectDrift } from '../../src/live/liveDrift';
import { placeFindings } from '../../src/live/placeFindings';
import { editsForChanges } from '../../src/manifest/fieldEdits';
import { applyEdits } from '../../src/manifest/textEdit';
import type { TextEdit } from '../../src/manifest/textEdit';
import { parseFieldPath, resolveBlame, resolvePath } from '../../src/manifest/fieldPath';
import { objectDocuments, parseManifestFile } from '../../src/manifest/manifestDocument';
import { describesObject, effectiveIdentity } from '../../src/manifest/objectIdentity';
import { prngAt, Rand } from '../prng';

const FIXTURES = join(__dirname, '..', 'fixtures');

export interface FuzzInput {
  kind: string;
  text: string;
  fileName: string;
}

/** The texts mutations start from: the manifest fixtures, and every catalog scenario's objects as YAML. */
export interface Corpus {
  manifests: string[];
  /** Each catalog scenario's Kubernetes objects as one multi-document YAML text. */
  catalog: string[];
}

export function loadCorpus(): Corpus {
  const dir = (d: string): string[] =>
    readdirSync(join(FIXTURES, d))
      .sort()
      .map((f) => join(FIXTURES, d, f));
  const manifests = dir('manifests')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => readFileSync(f, 'utf8'));
  const catalog = dir('catalog')
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const scenario = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
      return kubeObjects(scenario)
        .map((o) => stringify(o))
        .join('---\n');
    });
  return { manifests, catalog };
}

function kubeObjects(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(kubeObjects);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record['apiVersion'] === 'string' && typeof record['kind'] === 'string') return [record];
  return Object.entries(record)
    .filter(([k]) => k !== '_meta')
    .flatMap(([, v]) => kubeObjects(v));
}

const TOKENS = [
  ':',
  '-',
  ' ',
  ' ',
  '\n',
  '\n',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&a ',
  '*a',
  '!',
  '!!binary ',
  '|',
  '>',
  "'",
  '"',
  '%YAML 1.1\n',
  '@',
  '`',
  '\t',
  ',',
  '?',
  '---\n',
  '...\n',
  '{{',
  '}}',
  'a',
  'name',
  'spec',
  '0',
  '\r\n',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '~',
  'null',
  'true',
  '<<: *a\n',
  'kind: Pod\n',
  'apiVersion: v1\n',
];
const KEYS = [
  'spec',
  'template',
  'containers',
  'name',
  'image',
  'resources',
  'limits',
  'memory',
  'env',
  'value',
  'items',
  'key',
  'tolerations',
  'metadata',
  'x.y',
  'a]b',
  '',
  ' ',
  'volumes',
  'configMap',
  'command',
];
const VALUES: unknown[] = [
  'v',
  '',
  'yes',
  '0644',
  'a: b',
  '# c',
  'multi\nline',
  "it's",
  '"q"',
  0,
  -1.5,
  true,
  null,
  {},
  [],
  { a: 1 },
  [{ key: 'k', operator: 'Exists' }],
  { nested: { deep: ['x', { y: 'z' }] } },
  ['a', 'b'],
  '\t',
  '*a',
  '&b x',
];

/** Input `index` of the run seeded `seed`: the same pair always gives the same input. */
export function fuzzInput(seed: number, index: number, corpus: Corpus = defaultCorpus()): FuzzInput {
  const r = new Rand(prngAt(seed, index));
  const base = (): string => (r.chance(0.5) ? catalogSlice(r, corpus) : r.pick(corpus.manifests));
  const roll = r.next();
  if (roll < 0.12) return input('tokens', Array.from({ length: r.int(120) }, () => r.pick(TOKENS)).join(''));
  if (roll < 0.2) return input('bytes', randomBytes(r));
  if (roll < 0.33) {
    const text = base();
    return input('truncated', text.slice(0, r.int(text.length + 1)));
  }
  if (roll < 0.46) return input('indentation', damageIndent(r, base()));
  if (roll < 0.66) return input('catalogMutated', mutate(r, catalogSlice(r, corpus)));
  if (roll < 0.75) return input('duplicateKeys', duplicateKeys(r, base()));
  if (roll < 0.84) return input('tabs', tabs(r, base()));
  if (roll < 0.92) return input('aliases', aliases(r, base()));
  if (roll < 0.97) return input('deepNesting', deep(r));
  return input('hugeScalar', hugeScalar(r));

  function input(kind: string, text: string): FuzzInput {
    const fileName = r.pick(['a.yaml', 'templates/x.yaml', 'kustomization.yaml', 'b.yml', 'c.json']);
    return { kind, text, fileName };
  }
}

/** One to three consecutive documents of a catalog scenario: the objects a user's file would hold. */
function catalogSlice(r: Rand, corpus: Corpus): string {
  const docs = r.pick(corpus.catalog).split('---\n');
  const from = r.int(docs.length);
  return docs.slice(from, from + 1 + r.int(3)).join('---\n');
}

let cachedCorpus: Corpus | undefined;
function defaultCorpus(): Corpus {
  return (cachedCorpus ??= loadCorpus());
}

function randomBytes(r: Rand): string {
  const bytes = Buffer.from(Array.from({ length: r.int(400) }, () => r.int(256)));
  return bytes.toString(r.chance(0.5) ? 'utf8' : 'latin1');
}

function damageIndent(r: Rand, text: string): string {
  const lines = text.split('\n');
  for (let i = r.int(4) + 1; i > 0; i--) {
    const at = r.int(lines.length);
    const line = lines[at] ?? '';
    lines[at] = r.chance(0.5) ? ' '.repeat(r.int(6) + 1) + line : line.replace(/^ {1,4}/, '');
  }
  return lines.join('\n');
}

/** Byte- and line-level mutations of a valid file. */
function mutate(r: Rand, text: string): string {
  let out = text;
  for (let i = r.int(4) + 1; i > 0; i--) {
    const at = r.int(out.length + 1);
    const lines = out.split('\n');
    const line = r.int(lines.length);
    switch (r.int(7)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + r.int(20));
        break;
      case 1:
        out = out.slice(0, at) + r.pick(TOKENS) + out.slice(at);
        break;
      case 2:
        lines.splice(line, 0, lines[r.int(lines.length)] ?? '');
        out = lines.join('\n');
        break;
      case 3:
        lines.splice(line, r.int(3) + 1);
        out = lines.join('\n');
        break;
      case 4:
        out = out.slice(0, at) + String.fromCharCode(r.int(0x3000)) + out.slice(at + 1);
        break;
      case 5:
        out = damageIndent(r, out);
        break;
      default:
        out = out.replace(/: (\S+)/, r.pick([': [', ': {', ': *x', ': &x', ': |', ': "', ': !!int x']));
    }
  }
  return out;
}

function duplicateKeys(r: Rand, text: string): string {
  const lines = text.split('\n');
  for (let i = r.int(3) + 1; i > 0; i--) {
    const at = r.int(lines.length);
    const line = lines[at] ?? '';
    if (/^\s*[\w.-]+:/.test(line))
      lines.splice(at + 1, 0, line.replace(/:.*/, `: ${r.pick(['dup', '{}', '[]'])}`));
  }
  if (r.chance(0.3))
    lines.unshift('kind: Pod', 'kind: Deployment', 'metadata: {name: a}', 'metadata: {name: b}');
  return lines.join('\n');
}

function tabs(r: Rand, text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (r.chance(0.1)) return line.replace(/^( {2})+/, (m) => '\t'.repeat(m.length / 2));
      if (r.chance(0.05)) return line.replace(': ', ':\t');
      return line;
    })
    .join('\n');
}

function aliases(r: Rand, text: string): string {
  if (r.chance(0.3)) {
    // Billion laughs: nine levels of ten aliases each expand to 10^9 strings if followed.
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(97 + i - 1);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: laughs\n';
    return r.chance(0.5) ? `${pod}${levels.join('\n')}\n` : `${pod}spec:\n  ${levels.join('\n  ')}\n`;
  }
  // Anchor a value somewhere and alias it (or merge it) somewhere else; sometimes alias what is not there.
  const lines = text.split('\n');
  for (let i = r.int(4) + 1; i > 0; i--) {
    const at = r.int(lines.length);
    const line = lines[at] ?? '';
    if (r.chance(0.5)) lines[at] = line.replace(/^(\s*[\w.-]+:)(\s|$)/, `$1 &${r.pick(['a', 'b', 'x'])}$2`);
    else if (/^\s*[\w.-]+:\s*\S/.test(line))
      lines[at] = line.replace(/:.*/, r.pick([': *a', ': *b', ': *missing', ':\n  <<: *a']));
    else lines.splice(at, 0, `${(/^\s*/.exec(line) ?? [''])[0]}<<: *${r.pick(['a', 'b'])}`);
  }
  return lines.join('\n');
}

function deep(r: Rand): string {
  const depth = r.pick([50, 300, 1_000, 3_000]);
  const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n';
  switch (r.int(3)) {
    case 0:
      return `${head}  x: ${'['.repeat(depth)}1${']'.repeat(r.chance(0.5) ? depth : r.int(depth))}\n`;
    case 1:
      return `${head}  x: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
    default: {
      const lines = Array.from(
        { length: Math.min(depth, 2_000) },
        (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`,
      );
      return `${head}${lines.join('\n')} 1\n`;
    }
  }
}

function hugeScalar(r: Rand): string {
  const size = r.pick([100_000, 500_000, 1_500_000, 2_100_000]);
  const body = r.chance(0.5) ? 'x'.repeat(size) : `"${'\\u00e9'.repeat(size / 6)}"`;
  const key = r.pick(['name', 'image', 'value']);
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: app\n    ${key}: ${body}\n`;
}

// ---- exercise ---------------------------------------------------------------------------------

const randomPath = (r: Rand): string => {
  if (r.chance(0.1))
    return Array.from({ length: r.int(12) }, () => r.pick(['.', '[', ']', '=', '"', 'a', '0', '\\'])).join(
      '',
    );
  const parts: string[] = [];
  for (let i = r.int(6); i >= 0; i--) {
    const x = r.next();
    if (x < 0.6) parts.push(`${parts.length ? '.' : ''}${r.pick(KEYS)}`);
    else if (x < 0.8) parts.push(`[${r.int(3)}]`);
    else
      parts.push(`[${r.pick(['name', 'key'])}=${r.pick(['app', 'c', 'main', 'nginx.conf', 'A', '"x]"'])}]`);
  }
  return parts.join('');
};

const randomChange = (r: Rand): FieldChange => {
  const root = r.chance(0.5) ? 'podSpec' : 'object';
  const path = randomPath(r);
  const op = r.pick(['set', 'append', 'remove'] as const);
  return op === 'remove' ? { op, root, path } : { op, root, path, value: r.pick(VALUES) };
};

function checkEdits(text: string, edits: readonly TextEdit[], what: string): void {
  let last = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (!(e.start >= last && e.end >= e.start && e.end <= text.length))
      throw new Error(`${what}: edit out of order or bounds: ${JSON.stringify(e)}`);
    last = e.end;
  }
}

/**
 * Every manifest entry point on one text. Throws when src/manifest throws, or when an edit it
 * produced is out of bounds or breaks a document that was valid.
 */
export function exercise(input: FuzzInput, seed: number, index: number): void {
  const r = new Rand(prngAt(seed ^ 0x5eed, index));
  const { text } = input;
  const file = parseManifestFile(text, { fileName: input.fileName });
  const docs = objectDocuments(file);
  const wasValid = new Set(docs.map((d) => d.index));
  // A few documents per input, as a user fixes one finding at a time (a catalog file holds dozens).
  for (const doc of docs.length <= 3 ? docs : [r.pick(docs), r.pick(docs), r.pick(docs)]) {
    effectiveIdentity(doc.identity, r.pick(['default', 'shop']));
    for (let i = 0; i < 3; i++) {
      const path = randomPath(r);
      resolvePath(doc, path);
      parseFieldPath(path);
      resolveBlame(doc, { root: r.chance(0.5) ? 'podSpec' : 'object', paths: [randomPath(r), ''] });
    }
    // The live object: a copy with some fields replaced (a copy, not JSON: aliases can make cycles).
    const live = structuredClone(doc.object);
    for (const key of Object.keys(live))
      if (r.chance(0.3)) (live as Record<string, unknown>)[key] = r.pick(VALUES);
    detectDrift(doc.object, live);
    const changes = Array.from({ length: r.int(3) + 1 }, () => randomChange(r));
    const result = editsForChanges(file, doc, changes);
    if (!result.ok) continue;
    checkEdits(text, result.edits, 'editsForChanges');
    const edited = applyEdits(text, result.edits);
    const after = parseManifestFile(edited, { maxBytes: Infinity });
    if (wasValid.has(doc.index) && doc.itemIndex === undefined) {
      const same = after.documents.find((d) => d.index === doc.index);
      // Removing `metadata` may leave no name: a skip, but not broken YAML.
      if (same === undefined || (same.status === 'skipped' && same.skip.code === 'malformed'))
        throw new Error(`an edit broke a valid document: ${JSON.stringify(changes)}`);
    }
  }
  const target = docs.length > 0 ? r.pick(docs).identity : { apiVersion: 'v1', kind: 'Pod', name: 'p' };
  const finding: Finding = {
    code: 'crash-loop',
    severity: 'error',
    message: 'm',
    subject: r.chance(0.7) ? target : { apiVersion: 'v1', kind: 'Pod', name: 'p' },
    ...(r.chance(0.5) ? { workload: target } : {}),
    ...(r.chance(0.3) ? { container: { name: r.pick(['app', 'x']), kind: 'containers' as const } } : {}),
    blame: { root: r.chance(0.5) ? 'podSpec' : 'object', paths: [randomPath(r), randomPath(r)] },
    evidence: [],
    fixes: [{ title: 't', changes: [randomChange(r), randomChange(r)] }],
  };
  const defaultNamespace = r.pick(['default', 'shop']);
  for (const placed of placeFindings([{ file: input.fileName, manifest: file }], [finding], {
    defaultNamespace,
  })) {
    describesObject(placed.document.identity, target, defaultNamespace);
    for (const fix of placed.fixEdits) {
      checkEdits(text, fix.edits, 'placeFindings');
      parseManifestFile(applyEdits(text, fix.edits), { maxBytes: Infinity });
    }
  }
}

export interface FuzzResult {
  inputs: number;
  crashes: { index: number; kind: string; error: string }[];
  /** The input slowest to exercise: its first time, and the best of three more runs of it. */
  slowest: { index: number; kind: string; firstMs: number; ms: number };
}

/**
 * Runs inputs [from, to) of the seed's sequence, timing each. The machine is shared, so an input
 * that takes longer than `recheckMs` is run three more times and its best time is what it costs
 * (a pause of the scheduler or the collector is not the input's doing); the first time is kept too.
 */
export function runFuzz(seed: number, from: number, to: number, recheckMs = 250): FuzzResult {
  const corpus = loadCorpus();
  // Warm the JIT on the corpus itself, so the first inputs are not charged for compiling.
  for (const [i, text] of [...corpus.manifests, ...corpus.catalog].entries())
    exercise({ kind: 'warmup', text, fileName: 'warmup.yaml' }, seed, -1 - i);
  const result: FuzzResult = { inputs: 0, crashes: [], slowest: { index: -1, kind: '', firstMs: 0, ms: 0 } };
  for (let index = from; index < to; index++) {
    const input = fuzzInput(seed, index, corpus);
    const timed = (): number => {
      const started = performance.now();
      exercise(input, seed, index);
      return performance.now() - started;
    };
    try {
      const firstMs = timed();
      const ms = firstMs > recheckMs ? Math.min(firstMs, timed(), timed(), timed()) : firstMs;
      if (ms > result.slowest.ms) result.slowest = { index, kind: input.kind, firstMs, ms };
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      result.crashes.push({ index, kind: input.kind, error });
    }
    result.inputs++;
  }
  return result;
}
