// Parsing in `---` chunks must give exactly what parsing the whole text gives (every node at the
// same offsets), and a re-parse of an edited file must take over the unchanged documents' ASTs,
// moved to their new offsets, instead of parsing them again.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { isMap, isSeq, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { generateManifests } from '../../../bench/generateManifests';
import { objectDocuments, parseManifestFile, YAML_OPTIONS } from '../../../src/manifest/manifestDocument';
import type { ManifestFile } from '../../../src/manifest/manifestDocument';
import { resolvePath } from '../../../src/manifest/fieldPath';
import { FIXTURES, fixtureText } from './fixtures';

/** Every node's range and value, in document order: two parses are the same when these are. */
function outline(asts: readonly Document.Parsed[]): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const range = (node as { range?: number[] }).range;
    const value = (node as { value?: unknown }).value;
    out.push(`${range?.join(',') ?? '-'} ${JSON.stringify(value ?? null)}`);
    if (isMap(node))
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    else if (isSeq(node)) for (const item of node.items) walk(item);
  };
  for (const ast of asts) {
    out.push(`doc ${ast.range.join(',')} errors ${ast.errors.map((e) => e.pos.join('-')).join(' ')}`);
    walk(ast.contents);
  }
  return out;
}

function chunkAsts(file: ManifestFile): Document.Parsed[] {
  return (file.chunks ?? []).flatMap((c) => c.asts);
}

/** What a consumer sees of a parse: documents with identity and offsets, and the file's style. */
function view(file: ManifestFile): unknown {
  return {
    style: file.style,
    skip: file.skip,
    documents: file.documents.map((d) =>
      d.status === 'object'
        ? {
            index: d.index,
            item: d.itemIndex,
            start: d.start,
            end: d.end,
            identity: d.identity,
            object: d.object,
          }
        : { index: d.index, item: d.itemIndex, start: d.start, end: d.end, skip: d.skip },
    ),
  };
}

describe('parsing a manifest in chunks', () => {
  const texts: [string, string][] = [
    ...readdirSync(FIXTURES).map((name): [string, string] => [name, fixtureText(name)]),
    ['generated 50', generateManifests(50)],
    ['comments around markers', '# head\n---\n# a\na: 1 # x\n--- # trailing\nb: [1,\n 2]\n...\n---\n'],
    [
      'CRLF',
      'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n',
    ],
    ['directive', '%YAML 1.1\n---\na: 1\n---\nb: 2\n'],
    ['block scalar', 'a: |\n  ---x\n  text\n---\nb: 2\n'],
  ];
  for (const [name, text] of texts) {
    it(`places every node of ${name} where a whole-file parse does`, () => {
      const file = parseManifestFile(text, { fileName: name });
      if (file.skip) return;
      const whole = Array.from(parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[]);
      assert.deepEqual(outline(chunkAsts(file)), outline(whole));
    });
  }

  it('re-parses only the edited document and moves the others', () => {
    const text = generateManifests(30);
    const first = parseManifestFile(text, { fileName: 'x.yaml' });
    const before = chunkAsts(first);
    const edited = text.replace('name: svc-003\n', 'name: svc-003-renamed\n');
    const second = parseManifestFile(edited, { fileName: 'x.yaml', previous: first });
    const after = chunkAsts(second);
    assert.equal(after.length, before.length);
    const fresh = after.filter((ast) => !before.includes(ast));
    assert.equal(fresh.length, 1, 'exactly one document parsed again');
    assert.deepEqual(view(second), view(parseManifestFile(edited, { fileName: 'x.yaml' })));
    assert.deepEqual(outline(after), outline(chunkAsts(parseManifestFile(edited, { fileName: 'x.yaml' }))));
    // A moved document resolves paths in the new text.
    const last = objectDocuments(second).at(-1);
    assert.ok(last);
    const image = resolvePath(last, 'spec.template.spec.containers[name=app].image');
    assert.ok(image);
    assert.equal(edited.slice(image.range.start, image.range.end), 'nginx:1.27.2');
  });

  it('parses a malformed document again when it moves, so its message names the right line', () => {
    const text = fixtureText('malformed.yaml');
    const first = parseManifestFile(text);
    const second = parseManifestFile(`# one more line\n${text}`, { previous: first });
    const skipped = second.documents.find((d) => d.status === 'skipped' && d.skip.code === 'malformed');
    assert.ok(skipped?.status === 'skipped');
    assert.match(skipped.skip.reason, /^YAML error at 12:1:/);
    assert.equal(skipped.skip.position?.line, 11);
  });
});
