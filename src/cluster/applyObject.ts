// Writes to the cluster: server-side apply of a manifest's object (dry run first), a read of the
// live object for the diff, and a create. Which URL an object lives at comes from the server's own
// discovery (the APIResourceList of its group/version), so any kind the server serves can be
// applied, custom resources included, and a kind the server does not serve fails clearly.
import type { KubeObject } from '../kube/types';
import type { ApiClient } from './apiClient';
import { ClusterError } from './clusterError';

/** The field manager Podscope's writes are recorded under (`metadata.managedFields`). */
export const FIELD_MANAGER = 'podscope';

export interface ApplyOptions {
  /** `dryRun=All`: the server runs admission and defaulting and answers, but stores nothing. */
  dryRun?: boolean;
  /** Take over fields another manager owns; only after the user has seen the conflict. */
  force?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ResourceAddress {
  /** The collection's path: `/apis/apps/v1/namespaces/demo/deployments`. */
  collection: string;
  /** The object's path (collection + name). */
  path: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources?: { name?: string; kind?: string; namespaced?: boolean }[];
}

/** Discovery answers per client and group/version; asked once, a failure is not cached. */
const discoveryCache = new WeakMap<ApiClient, Map<string, Promise<ApiResourceList>>>();

function resourceList(client: ApiClient, apiVersion: string, signal?: AbortSignal): Promise<ApiResourceList> {
  let perClient = discoveryCache.get(client);
  if (!perClient) discoveryCache.set(client, (perClient = new Map<string, Promise<ApiResourceList>>()));
  let found = perClient.get(apiVersion);
  if (!found) {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    found = client.getJson<ApiResourceList>(path, {}, { ...(signal ? { signal } : {}), timeoutMs: 15_000 });
    perClient.set(apiVersion, found);
    found.catch(() => perClient.delete(apiVersion));
  }
  return found;
}

/**
 * Where `object` lives on this server. A namespaced object without a namespace gets
 * `defaultNamespace`, as kubectl gives it the context's.
 */
export async function addressOf(
  client: ApiClient,
  object: KubeObject,
  defaultNamespace: string,
  signal?: AbortSignal,
): Promise<ResourceAddress> {
  const apiVersion = object.apiVersion ?? '';
  const kind = object.kind ?? '';
  const name = object.metadata?.name ?? '';
  if (!apiVersion || !kind || !name)
    throw new ClusterError('unknown', 'the document needs apiVersion, kind and metadata.name to be applied');
  let list: ApiResourceList;
  try {
    list = await resourceList(client, apiVersion, signal);
  } catch (e) {
    if (e instanceof ClusterError && e.reason === 'notFound')
      throw new ClusterError('notFound', `the cluster does not serve ${apiVersion}`, 404);
    throw e;
  }
  const resource = list.resources?.find((r) => r.kind === kind && r.name && !r.name.includes('/'));
  if (!resource?.name)
    throw new ClusterError('notFound', `the cluster does not serve ${kind} in ${apiVersion}`, 404);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const namespaced = resource.namespaced === true;
  const namespace = object.metadata?.namespace || defaultNamespace;
  const collection = namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`
    : `${base}/${resource.name}`;
  return { collection, path: `${collection}/${encodeURIComponent(name)}`, namespaced };
}

/**
 * Server-side apply (`PATCH`, `application/apply-patch+yaml`, `fieldManager=podscope`). Answers
 * the object as the server stored it, or would store it under `dryRun`. A 409 means another
 * manager owns a field this object sets: `ClusterError.conflict`, with the server's message.
 */
export async function applyObject(
  client: ApiClient,
  object: KubeObject,
  defaultNamespace: string,
  options: ApplyOptions = {},
): Promise<KubeObject> {
  const address = await addressOf(client, object, defaultNamespace, options.signal);
  const body: KubeObject = { ...object, metadata: { ...object.metadata } };
  // The apiserver refuses an apply whose body carries server-owned metadata.
  delete body.metadata?.resourceVersion;
  delete body.metadata?.uid;
  if (body.metadata) delete (body.metadata as Record<string, unknown>)['managedFields'];
  if (address.namespaced && body.metadata) body.metadata.namespace ||= defaultNamespace;
  return client.sendJson<KubeObject>(
    'PATCH',
    address.path,
    {
      fieldManager: FIELD_MANAGER,
      dryRun: options.dryRun ? 'All' : undefined,
      force: options.force ? true : undefined,
    },
    { contentType: 'application/apply-patch+yaml', value: body },
    requestOptions(options),
  );
}

/** The live object as the server has it now, or undefined when it does not exist. */
export async function readObject(
  client: ApiClient,
  object: KubeObject,
  defaultNamespace: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<KubeObject | undefined> {
  const address = await addressOf(client, object, defaultNamespace, options.signal);
  try {
    return await client.getJson<KubeObject>(address.path, {}, requestOptions(options));
  } catch (e) {
    if (e instanceof ClusterError && e.reason === 'notFound') return undefined;
    throw e;
  }
}

/** POST: creates the object; a 409 (`ClusterError.conflict`) when the name is taken. */
export async function createObject(
  client: ApiClient,
  object: KubeObject,
  defaultNamespace: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<KubeObject> {
  const address = await addressOf(client, object, defaultNamespace, options.signal);
  return client.sendJson<KubeObject>(
    'POST',
    address.collection,
    { fieldManager: FIELD_MANAGER },
    { contentType: 'application/json', value: object },
    requestOptions(options),
  );
}

function requestOptions(options: { signal?: AbortSignal; timeoutMs?: number }): {
  signal?: AbortSignal;
  timeoutMs: number;
} {
  return { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 30_000 };
}
