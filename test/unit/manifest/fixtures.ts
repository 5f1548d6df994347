// Fixture access and range rendering shared by the manifest tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectDocuments, parseManifestFile } from '../../../src/manifest/manifestDocument';
import type { ManifestFile, ObjectDocument } from '../../../src/manifest/manifestDocument';
import type { OffsetRange } from '../../../src/manifest/positions';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'manifests');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixture(name: string): ManifestFile {
  return parseManifestFile(fixtureText(name), { fileName: name });
}

/** The object document for `kind/name` in a fixture; fails the test when it is not there. */
export function docOf(file: ManifestFile, name: string): ObjectDocument {
  const doc = objectDocuments(file).find((d) => d.identity.name === name);
  if (!doc) throw new Error(`no document named ${name}`);
  return doc;
}

/** `line:character text` (0-based) so one string pins both the position and what is under it. */
export function show(file: ManifestFile, range: OffsetRange | undefined): string {
  if (!range) return '<none>';
  const { line, character } = file.lines.positionAt(range.start);
  return `${line}:${character} ${file.text.slice(range.start, range.end)}`;
}
