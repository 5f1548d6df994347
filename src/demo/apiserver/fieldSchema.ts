// How server-side apply sees each field of the served kinds, as kube-apiserver 1.32 reads it from
// the OpenAPI extensions: associative lists (`x-kubernetes-list-type: map`) and their keys, sets,
// atomic values (`x-kubernetes-map-type: atomic`, `+structType=atomic`, and every list not marked
// otherwise), and maps whose keys are data (labels, resource limits) rather than declared fields.
// The shape decides how ownership is recorded (`k:{"name":"worker"}` versus one atomic leaf) and
// how an applied configuration merges into the live object.

export type FieldShape =
  | { type: 'atomic' }
  /** A struct with declared fields: its own path is owned only when it is empty. */
  | { type: 'struct' }
  /** A map whose keys are data: each key is a member of the set. */
  | { type: 'map' }
  /** An associative list: items are addressed by these keys; `defaults` fill keys an item omits. */
  | { type: 'list'; keys: readonly string[]; defaults?: Readonly<Record<string, unknown>> }
  /** A list of unique scalars, addressed by value (`v:"kubernetes"`). */
  | { type: 'set' };

const ATOMIC: FieldShape = { type: 'atomic' };
const MAP: FieldShape = { type: 'map' };
const SET: FieldShape = { type: 'set' };
const list = (keys: readonly string[], defaults?: Record<string, unknown>): FieldShape => ({
  type: 'list',
  keys,
  ...(defaults ? { defaults } : {}),
});

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Structs tagged `+structType=atomic` (selectors and the env value sources). */
const ATOMIC_STRUCTS = new Set([
  'configMapKeyRef',
  'secretKeyRef',
  'fieldRef',
  'resourceFieldRef',
  'labelSelector',
  'namespaceSelector',
  'nodeSelectorTerms',
  'requiredDuringSchedulingIgnoredDuringExecution',
]);

/**
 * The shape of the field reached by `names` (field names from the object's root; list items add
 * no name) in an object of `kind`, or undefined when the schema does not say, in which case the
 * value's own type decides: objects are structs, lists are atomic.
 */
export function shapeOf(kind: string, names: readonly string[]): FieldShape | undefined {
  const field = names[names.length - 1] ?? '';
  const parent = names[names.length - 2] ?? '';
  switch (field) {
    case 'labels':
    case 'annotations':
      return parent === 'metadata' ? MAP : undefined;
    case 'finalizers':
      return parent === 'metadata' ? SET : undefined;
    case 'ownerReferences':
      return list(['uid']);
    case 'nodeSelector':
    case 'limits':
    case 'requests':
    case 'capacity':
    case 'allocatable':
    case 'matchLabels':
      return MAP;
    case 'data':
    case 'binaryData':
    case 'stringData':
      return names.length === 1 ? MAP : undefined;
    case 'selector':
      // A Service selects with a plain map; workloads with an atomic LabelSelector.
      return kind === 'Service' && names.length === 2 ? MAP : ATOMIC;
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'schedulingGates':
    case 'resourceClaims':
      return list(['name']);
    case 'claims':
      return parent === 'resources' ? list(['name']) : undefined;
    case 'volumeMounts':
      return list(['mountPath']);
    case 'volumeDevices':
      return list(['devicePath']);
    case 'ports':
      if (CONTAINER_LISTS.has(parent)) return list(['containerPort', 'protocol'], { protocol: 'TCP' });
      if (kind === 'Service' && parent === 'spec') return list(['port', 'protocol'], { protocol: 'TCP' });
      return undefined;
    case 'hostAliases':
      return list(['ip']);
    case 'topologySpreadConstraints':
      return list(['topologyKey', 'whenUnsatisfiable']);
    case 'conditions':
      return list(['type']);
    default:
      return ATOMIC_STRUCTS.has(field) ? ATOMIC : undefined;
  }
}
