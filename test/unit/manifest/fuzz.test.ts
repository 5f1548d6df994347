// Hostile and broken input at every entry point of src/manifest: nothing may throw, and edits that
// are produced must stay inside the text and keep a valid document valid. Seeded, so a failure
// reproduces; bounded, so it runs in well under two seconds.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import type { Finding } from '../../../src/analysis/finding';
import type { FieldChange } from '../../../src/kube/fieldChange';
import type { KubeObject } from '../../../src/kube/types';
import { detectDrift } from '../../../src/live/liveDrift';
import { editsForChanges } from '../../../src/manifest/fieldEdits';
import { applyEdits } from '../../../src/manifest/textEdit';
import type { TextEdit } from '../../../src/manifest/textEdit';
import { parseFieldPath, resolveBlame, resolvePath } from '../../../src/manifest/fieldPath';
import { objectDocuments, parseManifestFile } from '../../../src/manifest/manifestDocument';
import type { ManifestFile } from '../../../src/manifest/manifestDocument';
import { placeFindings } from '../../../src/live/placeFindings';
import { FIXTURES, fixtureText } from './fixtures';

/** mulberry32: tiny, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const YAMLISH = [
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
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
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
];

describe('manifest fuzz', function () {
  this.timeout(10000);
  const rnd = prng(0x5eed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .map(fixtureText);

  const randomPath = (): string => {
    if (rnd() < 0.15)
      return Array.from({ length: int(12) }, () => pick(['.', '[', ']', '=', '"', 'a', '0', '\\'])).join('');
    const parts: string[] = [];
    for (let i = int(6); i >= 0; i--) {
      const r = rnd();
      if (r < 0.6) parts.push(`${parts.length ? '.' : ''}${pick(KEYS)}`);
      else if (r < 0.8) parts.push(`[${int(3)}]`);
      else parts.push(`[${pick(['name', 'key'])}=${pick(['app', 'c', 'main', 'nginx.conf', 'A', '"x]"'])}]`);
    }
    return parts.join('');
  };
  const randomChange = (): FieldChange => {
    const root = rnd() < 0.5 ? 'podSpec' : 'object';
    const path = randomPath();
    const op = pick(['set', 'append', 'remove'] as const);
    return op === 'remove' ? { op, root, path } : { op, root, path, value: pick(VALUES) };
  };
  const damage = (text: string): string => {
    const lines = text.split('\n');
    for (let i = int(3) + 1; i > 0; i--) {
      const at = int(lines.length);
      const line = lines[at] ?? '';
      lines[at] = rnd() < 0.5 ? ' '.repeat(int(4) + 1) + line : line.replace(/^ {1,3}/, '');
    }
    return lines.join('\n');
  };
  const randomText = (): string => Array.from({ length: int(80) }, () => pick(YAMLISH)).join('');

  const checkEdits = (text: string, edits: readonly TextEdit[]): void => {
    const sorted = [...edits].sort((a, b) => a.start - b.start);
    let last = 0;
    for (const e of sorted) {
      assert.ok(
        e.start >= last && e.end >= e.start && e.end <= text.length,
        `edit out of order or bounds: ${JSON.stringify(e)}`,
      );
      last = e.end;
    }
  };

  const exercise = (text: string, label: string): ManifestFile => {
    const file = parseManifestFile(text, { fileName: label });
    const wasValid = new Set(file.documents.filter((d) => d.status === 'object').map((d) => d.index));
    for (const doc of objectDocuments(file)) {
      for (let i = 0; i < 4; i++) {
        const path = randomPath();
        resolvePath(doc, path);
        parseFieldPath(path);
        resolveBlame(doc, {
          root: rnd() < 0.5 ? 'podSpec' : 'object',
          paths: [randomPath(), randomPath(), ''],
        });
      }
      const changes = Array.from({ length: int(3) + 1 }, randomChange);
      const result = editsForChanges(file, doc, changes);
      if (!result.ok) continue;
      checkEdits(text, result.edits);
      const after = parseManifestFile(applyEdits(text, result.edits), { maxBytes: Infinity });
      if (wasValid.has(doc.index) && doc.itemIndex === undefined) {
        const same = after.documents.find((d) => d.index === doc.index);
        // Removing `metadata` may leave no name: a skip, but not broken YAML.
        assert.ok(
          same !== undefined && (same.status === 'object' || same.skip.code !== 'malformed'),
          `edit broke a valid document: ${JSON.stringify(changes)}\n--- before\n${text}\n--- after\n${applyEdits(text, result.edits)}\n${same?.status === 'skipped' ? same.skip.reason : ''}`,
        );
      }
    }
    return file;
  };

  it('survives random bytes', () => {
    for (let i = 0; i < 300; i++) exercise(randomText(), `random-${i}.yaml`);
  });

  it('survives truncated fixtures', () => {
    for (const text of fixtures) {
      for (let i = 0; i < 25; i++) exercise(text.slice(0, int(text.length + 1)), 'truncated.yaml');
    }
  });

  it('survives indentation damage, and keeps valid documents valid under edits', () => {
    for (const text of fixtures) {
      for (let i = 0; i < 15; i++) exercise(i === 0 ? text : damage(text), 'damaged.yaml');
    }
  });

  it('places random findings and compares random objects', () => {
    const files = fixtures.map((text, i) => ({ file: `f${i}.yaml`, manifest: parseManifestFile(text) }));
    const docs = files.flatMap((f) => objectDocuments(f.manifest));
    for (let i = 0; i < 150; i++) {
      const doc = pick(docs);
      const target = {
        ...doc.identity,
        namespace: rnd() < 0.5 ? doc.identity.namespace : pick(['default', 'shop', undefined]),
      };
      const finding: Finding = {
        code: 'crash-loop',
        severity: 'error',
        message: 'm',
        subject: rnd() < 0.5 ? target : { apiVersion: 'v1', kind: 'Pod', name: 'p' },
        ...(rnd() < 0.5 ? { workload: target } : {}),
        ...(rnd() < 0.3 ? { container: { name: pick(['app', 'x']), kind: 'containers' as const } } : {}),
        blame: { root: rnd() < 0.5 ? 'podSpec' : 'object', paths: [randomPath(), randomPath()] },
        evidence: [],
        fixes: [{ title: 't', changes: [randomChange(), randomChange()] }],
      };
      for (const placed of placeFindings(files, [finding], { defaultNamespace: pick(['default', 'shop']) })) {
        const text = placed.source.manifest.text;
        for (const fix of placed.fixEdits) checkEdits(text, fix.edits);
      }
      const other = pick(docs);
      const scrambled = JSON.parse(JSON.stringify(doc.object).replace(/"[a-z]/g, '"x')) as KubeObject;
      detectDrift(doc.object, rnd() < 0.5 ? other.object : scrambled);
    }
  });
});
