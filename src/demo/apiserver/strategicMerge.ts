// Strategic merge patch, the default of `kubectl patch` and what client-side `kubectl apply`
// sends. Lists that Kubernetes' Go types tag with `patchStrategy:"merge"` merge element by element
// on their merge key; every other list is replaced, exactly as the client assumed when it
// computed the patch. Directives: $patch (replace/delete/merge), $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list>, $retainKeys.
import { badRequest } from './errors';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list's merge key, or `primitive` for merge-strategy lists of scalars (finalizers). */
type ListStrategy = { mergeKey: string } | 'primitive';

/**
 * The `patchMergeKey` tags of the built-in types, by field name and, where one name means two
 * things (`ports`), by the parent field. Lists absent here (tolerations, envFrom, args, command,
 * taints, ...) are atomic in the Go types and are replaced.
 */
function listStrategy(field: string, parentField: string): ListStrategy | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
    case 'schedulingGates':
      return { mergeKey: 'name' };
    case 'volumeMounts':
      return { mergeKey: 'mountPath' };
    case 'volumeDevices':
      return { mergeKey: 'devicePath' };
    case 'ports':
      // Container ports merge on containerPort; Service ports on port. EndpointSlice/Endpoints ports are atomic.
      if (
        parentField === 'containers' ||
        parentField === 'initContainers' ||
        parentField === 'ephemeralContainers'
      )
        return { mergeKey: 'containerPort' };
      if (parentField === 'spec') return { mergeKey: 'port' };
      return undefined;
    case 'hostAliases':
      return { mergeKey: 'ip' };
    case 'topologySpreadConstraints':
      return { mergeKey: 'topologyKey' };
    case 'conditions':
      return { mergeKey: 'type' };
    case 'addresses':
      return parentField === 'status' ? { mergeKey: 'type' } : undefined;
    case 'ownerReferences':
      return { mergeKey: 'uid' };
    case 'finalizers':
      return 'primitive';
    default:
      return undefined;
  }
}

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

export function strategicMergePatch(original: Json, patch: Json): Json {
  if (!isObject(patch))
    throw badRequest('unable to find api field in struct for the patch: patch is not an object');
  return mergeMap(isObject(original) ? original : {}, patch, '');
}

function mergeMap(original: JsonObject, patch: JsonObject, fieldName: string): JsonObject {
  const directive = patch['$patch'];
  if (directive === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return structuredClone(rest);
  }
  if (directive === 'delete') return {};
  const result: JsonObject = { ...original };
  const retainKeys = Array.isArray(patch['$retainKeys']) ? (patch['$retainKeys'] as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const list = key.slice(DELETE_PRIMITIVE.length);
      const remove = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      const current = result[list];
      if (Array.isArray(current)) result[list] = current.filter((v) => !remove.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const current = result[key];
    if (Array.isArray(value)) {
      result[key] = mergeList(Array.isArray(current) ? current : [], value, key, fieldName);
    } else if (isObject(value)) {
      result[key] = mergeMap(isObject(current) ? current : {}, value, key);
    } else {
      result[key] = value;
    }
  }
  if (retainKeys) {
    for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER) || !Array.isArray(order)) continue;
    const list = key.slice(SET_ORDER.length);
    const current = result[list];
    if (Array.isArray(current)) result[list] = applyOrder(current, order, listStrategy(list, fieldName));
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], field: string, parentField: string): Json[] {
  const strategy = listStrategy(field, parentField);
  if (patch.some((item) => isObject(item) && item['$patch'] === 'replace')) {
    return structuredClone(patch.filter((item) => !(isObject(item) && item['$patch'] === 'replace')));
  }
  if (!strategy) return structuredClone(patch);
  if (strategy === 'primitive') {
    const seen = new Set(original.map((v) => JSON.stringify(v)));
    return [...original, ...patch.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  const key = strategy.mergeKey;
  const result = original.map((item) => item);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index] as JsonObject, item, field);
    else result.push(mergeMap({}, item, field));
  }
  return result;
}

/** $setElementOrder: listed elements first, in the given order; the server keeps the rest after them. */
function applyOrder(list: Json[], order: Json[], strategy: ListStrategy | undefined): Json[] {
  const identity = (v: Json): string =>
    strategy && strategy !== 'primitive' && isObject(v)
      ? JSON.stringify(v[strategy.mergeKey])
      : JSON.stringify(isObject(v) ? v : v);
  const wanted = order.map(identity);
  const ordered: Json[] = [];
  const rest: Json[] = [];
  const byId = new Map<string, Json>();
  for (const item of list) byId.set(identity(item), item);
  for (const id of wanted) {
    const item = byId.get(id);
    if (item !== undefined) {
      ordered.push(item);
      byId.delete(id);
    }
  }
  for (const item of list) if (byId.has(identity(item))) rest.push(item);
  return [...ordered, ...rest];
}
