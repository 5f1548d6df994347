// Builds a MemoryClusterView from a catalog example (test/fixtures/catalog, copied from
// shared/reference/examples): `pod` + `events` + `related`, or the items of a `List`.
// ConfigMaps and Secrets are reduced to key names, as src/cluster/ does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KindName } from '../../../../src/kube/clusterView';
import { KIND_NAMES } from '../../../../src/kube/clusterView';
import type { KubeObject } from '../../../../src/kube/types';
import { toKeyedObject } from '../../../../src/kube/keyedObject';
import { MemoryClusterView } from '../../../../src/kube/memoryClusterView';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'catalog');

/** A fixed clock shortly after the examples' events (2025-06-10 09:00–09:15 UTC). */
export const CATALOG_NOW = Date.parse('2025-06-10T09:20:00Z');

export interface CatalogExample {
  _meta?: Record<string, unknown>;
  pod?: KubeObject;
  events?: KubeObject[];
  related?: KubeObject[];
  items?: KubeObject[];
}

/** The example file `NN-*.json`, parsed fresh (tests may mutate it). */
export function loadExample(prefix: string): CatalogExample {
  const file = readdir().find((f) => f.startsWith(`${prefix}-`));
  if (!file) throw new Error(`no catalog example ${prefix}`);
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as CatalogExample;
}

let files: string[] | undefined;
function readdir(): string[] {
  files ??= readdirSync(FIXTURES);
  return files;
}

/** Every object of an example, in file order. */
export function objectsOf(example: CatalogExample): KubeObject[] {
  if (example.items) return example.items;
  return [...(example.pod ? [example.pod] : []), ...(example.events ?? []), ...(example.related ?? [])];
}

/** A view over objects; kinds the view does not hold (Endpoints, notes) are dropped. */
export function viewOf(objects: readonly KubeObject[]): MemoryClusterView {
  const byKind: Partial<Record<KindName, KubeObject[]>> = {};
  for (const object of objects) {
    const kind = object.kind as KindName | undefined;
    if (!kind || !KIND_NAMES.includes(kind)) continue;
    const value = kind === 'ConfigMap' || kind === 'Secret' ? toKeyedObject(object) : object;
    (byKind[kind] ??= []).push(value);
  }
  return new MemoryClusterView(
    byKind as ConstructorParameters<typeof MemoryClusterView>[0],
    () => CATALOG_NOW,
  );
}

/** The view of an example file, optionally with extra objects (variants the example describes). */
export function catalogView(prefix: string, extra: readonly KubeObject[] = []): MemoryClusterView {
  return viewOf([...objectsOf(loadExample(prefix)), ...extra]);
}
