// OpenAPI v3, served so kubectl 1.32 behaves as against a real cluster:
// - `kubectl apply`/`create` look up the PATCH operation of each kind for a `fieldValidation`
//   parameter; finding it, they leave validation to the server instead of fetching the protobuf
//   OpenAPI v2 document (which this server does not serve: /openapi/v2 is 404, so client-side
//   apply computes its strategic merge patch from kubectl's compiled-in types, its own fallback).
// - `kubectl explain` renders the component schemas, found by x-kubernetes-group-version-kind.
// The schemas describe the fields Podscope's users debug (pods and containers in depth, the
// workloads' top level); anything else is an open object.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from './resources';
import { RESOURCES, groupVersions } from './resources';

type Schema = Record<string, unknown>;

const ref = (name: string, description: string): Schema => ({
  description,
  allOf: [{ $ref: `#/components/schemas/${name}` }],
});
const string = (description: string): Schema => ({ description, type: 'string' });
const integer = (description: string): Schema => ({ description, type: 'integer', format: 'int32' });
const boolean = (description: string): Schema => ({ description, type: 'boolean' });
const stringMap = (description: string): Schema => ({
  description,
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
});
const arrayOf = (name: string, description: string, mergeKey?: string): Schema => ({
  description,
  type: 'array',
  items: { default: {}, allOf: [{ $ref: `#/components/schemas/${name}` }] },
  ...(mergeKey
    ? {
        'x-kubernetes-list-map-keys': [mergeKey],
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-patch-merge-key': mergeKey,
        'x-kubernetes-patch-strategy': 'merge',
      }
    : { 'x-kubernetes-list-type': 'atomic' }),
});
const strings = (description: string): Schema => ({
  description,
  type: 'array',
  items: { type: 'string', default: '' },
  'x-kubernetes-list-type': 'atomic',
});
const object = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  description,
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const open = (description: string): Schema => ({
  description,
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
});

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const SHARED_SCHEMAS: Record<string, Schema> = {
  [`${META}.ObjectMeta`]: object(
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    {
      name: string('Name must be unique within a namespace.'),
      generateName: string(
        'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
      ),
      namespace: string('Namespace defines the space within which each name must be unique.'),
      uid: string('UID is the unique in time and space value for this object.'),
      resourceVersion: string('An opaque value that represents the internal version of this object.'),
      generation: {
        description: 'A sequence number representing a specific generation of the desired state.',
        type: 'integer',
        format: 'int64',
      },
      creationTimestamp: string(
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      deletionTimestamp: string(
        'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
      ),
      labels: stringMap(
        'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
      ),
      annotations: stringMap(
        'Annotations is an unstructured key value map stored with a resource that may be set by external tools.',
      ),
      ownerReferences: {
        description: 'List of objects depended by this object.',
        type: 'array',
        items: open('OwnerReference'),
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
      },
      finalizers: {
        ...strings('Must be empty before the object is deleted from the registry.'),
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
    },
  ),
  [`${CORE}.EnvVar`]: object(
    'EnvVar represents an environment variable present in a Container.',
    {
      name: string('Name of the environment variable. Must be a C_IDENTIFIER.'),
      value: string(
        'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables.',
      ),
      valueFrom: open("Source for the environment variable's value. Cannot be used if value is not empty."),
    },
    ['name'],
  ),
  [`${CORE}.ContainerPort`]: object(
    'ContainerPort represents a network port in a single container.',
    {
      name: string('If specified, this must be an IANA_SVC_NAME and unique within the pod.'),
      containerPort: integer(
        "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
      ),
      protocol: string('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
    },
    ['containerPort'],
  ),
  [`${CORE}.VolumeMount`]: object(
    'VolumeMount describes a mounting of a Volume within a container.',
    {
      name: string('This must match the Name of a Volume.'),
      mountPath: string(
        "Path within the container at which the volume should be mounted.  Must not contain ':'.",
      ),
      subPath: string("Path within the volume from which the container's volume should be mounted."),
      readOnly: boolean(
        'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.',
      ),
    },
    ['name', 'mountPath'],
  ),
  [`${CORE}.Container`]: object(
    'A single application container that you want to run within a pod.',
    {
      name: string(
        'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
      ),
      image: string('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
      imagePullPolicy: string(
        'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.',
      ),
      command: strings(
        "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.",
      ),
      args: strings(
        "Arguments to the entrypoint. The container image's CMD is used if this is not provided.",
      ),
      workingDir: string("Container's working directory."),
      env: arrayOf(
        `${CORE}.EnvVar`,
        'List of environment variables to set in the container. Cannot be updated.',
        'name',
      ),
      envFrom: {
        description: 'List of sources to populate environment variables in the container.',
        type: 'array',
        items: open('EnvFromSource'),
        'x-kubernetes-list-type': 'atomic',
      },
      ports: arrayOf(`${CORE}.ContainerPort`, 'List of ports to expose from the container.', 'containerPort'),
      resources: open(
        'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ),
      volumeMounts: arrayOf(
        `${CORE}.VolumeMount`,
        "Pod volumes to mount into the container's filesystem. Cannot be updated.",
        'mountPath',
      ),
      livenessProbe: open(
        'Periodic probe of container liveness. Container will be restarted if the probe fails.',
      ),
      readinessProbe: open(
        'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.',
      ),
      startupProbe: open('StartupProbe indicates that the Pod has successfully initialized.'),
      securityContext: open('SecurityContext defines the security options the container should be run with.'),
      restartPolicy: string(
        'RestartPolicy defines the restart behavior of individual containers in a pod. The only allowed value is "Always" (sidecar init containers).',
      ),
      terminationMessagePolicy: string(
        'Indicate how the termination message should be populated. File or FallbackToLogsOnError.',
      ),
    },
    ['name'],
  ),
  [`${CORE}.PodSpec`]: object(
    'PodSpec is a description of a pod.',
    {
      containers: arrayOf(
        `${CORE}.Container`,
        'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
        'name',
      ),
      initContainers: arrayOf(
        `${CORE}.Container`,
        'List of initialization containers belonging to the pod.',
        'name',
      ),
      ephemeralContainers: {
        description: 'List of ephemeral containers run in this pod.',
        type: 'array',
        items: open('EphemeralContainer'),
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      },
      volumes: {
        description: 'List of volumes that can be mounted by containers belonging to the pod.',
        type: 'array',
        items: open('Volume'),
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
      },
      restartPolicy: string(
        'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.',
      ),
      nodeName: string('NodeName indicates in which node this pod is scheduled.'),
      nodeSelector: stringMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
      serviceAccountName: string(
        'ServiceAccountName is the name of the ServiceAccount to use to run this pod.',
      ),
      priorityClassName: string("If specified, indicates the pod's priority."),
      tolerations: {
        description: "If specified, the pod's tolerations.",
        type: 'array',
        items: open('Toleration'),
        'x-kubernetes-list-type': 'atomic',
      },
      affinity: open("If specified, the pod's scheduling constraints"),
      terminationGracePeriodSeconds: {
        description: 'Optional duration in seconds the pod needs to terminate gracefully.',
        type: 'integer',
        format: 'int64',
      },
      imagePullSecrets: {
        description:
          'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
        type: 'array',
        items: open('LocalObjectReference'),
      },
      securityContext: open(
        'SecurityContext holds pod-level security attributes and common container settings.',
      ),
    },
    ['containers'],
  ),
  [`${CORE}.PodStatus`]: object('PodStatus represents information about the status of a pod.', {
    phase: string(
      'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. One of Pending, Running, Succeeded, Failed, Unknown.',
    ),
    reason: string(
      "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'",
    ),
    message: string('A human readable message indicating details about why the pod is in this condition.'),
    conditions: {
      description: 'Current service state of pod.',
      type: 'array',
      items: open('PodCondition'),
      'x-kubernetes-patch-merge-key': 'type',
      'x-kubernetes-patch-strategy': 'merge',
    },
    containerStatuses: {
      description: 'The list has one entry per container in the manifest.',
      type: 'array',
      items: open('ContainerStatus'),
    },
    initContainerStatuses: {
      description: 'The list has one entry per init container in the manifest.',
      type: 'array',
      items: open('ContainerStatus'),
    },
    hostIP: string('hostIP holds the IP address of the host to which the pod is assigned.'),
    podIP: string('podIP address allocated to the pod.'),
    startTime: string('RFC 3339 date and time at which the object was acknowledged by the Kubelet.'),
    qosClass: string(
      'The Quality of Service (QOS) classification assigned to the pod based on resource requirements.',
    ),
  }),
};

const KIND_DOCS: Record<string, string> = {
  Pod: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  ReplicaSet: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  StatefulSet: 'StatefulSet represents a set of pods with consistent identities.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  Job: 'Job represents the configuration of a single job.',
  CronJob: 'CronJob represents the configuration of a single cron job.',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret:
    'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  Service:
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  Node: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  Event: 'Event is a report of an event somewhere in the cluster.',
};

function packageOf(r: ResourceInfo): string {
  if (r.group === '') return `io.k8s.api.core.${r.version}`;
  if (r.group === 'metrics.k8s.io') return `io.k8s.metrics.pkg.apis.metrics.${r.version}`;
  const short = r.group.replace(/\.k8s\.io$/, '').replace(/\./g, '');
  return `io.k8s.api.${short}.${r.version}`;
}

function kindSchema(r: ResourceInfo): Schema {
  const pod = r.kind === 'Pod';
  const template = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(r.kind);
  const properties: Record<string, Schema> = {
    apiVersion: string(API_VERSION_DOC),
    kind: string(KIND_DOC),
    metadata: { ...ref(`${META}.ObjectMeta`, METADATA_DOC), default: {} },
  };
  if (pod) {
    properties['spec'] = {
      ...ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
      default: {},
    };
    properties['status'] = {
      ...ref(`${CORE}.PodStatus`, 'Most recently observed status of the pod.'),
      default: {},
    };
  } else if (template) {
    properties['spec'] = object(`Specification of the desired behavior of the ${r.kind}.`, {
      replicas: integer('Number of desired pods. Defaults to 1.'),
      selector: open(
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      ),
      template: object('Template describes the pods that will be created.', {
        metadata: { ...ref(`${META}.ObjectMeta`, METADATA_DOC), default: {} },
        spec: { ...ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'), default: {} },
      }),
    });
    properties['status'] = open(`Most recently observed status of the ${r.kind}.`);
  } else if (
    ![
      'ConfigMap',
      'Secret',
      'Event',
      'ServiceAccount',
      'PriorityClass',
      'Endpoints',
      'EndpointSlice',
    ].includes(r.kind)
  ) {
    properties['spec'] = open(`Spec defines the behavior of the ${r.kind}.`);
    properties['status'] = open(`Most recently observed status of the ${r.kind}.`);
  } else {
    properties['data'] = stringMap('Data contains the configuration data.');
  }
  return {
    description: KIND_DOCS[r.kind] ?? `${r.kind} is a Kubernetes ${r.resource} object.`,
    type: 'object',
    properties,
    'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.kind, version: r.version }],
  };
}

const queryParam = (name: string, description: string): Schema => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

function itemPath(r: ResourceInfo): string {
  const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
}

function operations(r: ResourceInfo, schemaName: string): Schema {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const body = {
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
  };
  const response = {
    '200': {
      description: 'OK',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
    },
  };
  const op = (action: string, description: string, extra: Schema = {}): Schema => ({
    tags: [r.group || 'core_v1'],
    description,
    operationId: `${action}${r.kind}`,
    responses: response,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const paths: Schema = { get: op('get', `read the specified ${r.kind}`) };
  if (r.virtual) return paths;
  paths['put'] = op('put', `replace the specified ${r.kind}`, {
    requestBody: body,
    parameters: [
      queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
      queryParam(
        'fieldManager',
        'fieldManager is a name associated with the actor or entity that is making these changes.',
      ),
      queryParam(
        'fieldValidation',
        'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.',
      ),
    ],
  });
  paths['patch'] = op('patch', `partially update the specified ${r.kind}`, {
    requestBody: {
      content: Object.fromEntries(
        [
          'application/apply-patch+yaml',
          'application/json-patch+json',
          'application/merge-patch+json',
          'application/strategic-merge-patch+json',
        ].map((t) => [t, { schema: { $ref: `#/components/schemas/${META}.Patch` } }]),
      ),
      required: true,
    },
    parameters: [
      queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
      queryParam(
        'fieldManager',
        'fieldManager is a name associated with the actor or entity that is making these changes.',
      ),
      queryParam(
        'fieldValidation',
        'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.',
      ),
      {
        name: 'force',
        in: 'query',
        description: 'Force is going to "force" Apply requests.',
        schema: { type: 'boolean', uniqueItems: true },
      },
    ],
  });
  paths['delete'] = op('delete', `delete a ${r.kind}`);
  paths['parameters'] = [
    {
      name: 'name',
      in: 'path',
      description: `name of the ${r.kind}`,
      required: true,
      schema: { type: 'string', uniqueItems: true },
    },
    ...(r.namespaced
      ? [
          {
            name: 'namespace',
            in: 'path',
            description: 'object name and auth scope, such as for teams and projects',
            required: true,
            schema: { type: 'string', uniqueItems: true },
          },
        ]
      : []),
  ];
  return paths;
}

export function openApiV3Document(group: string, version: string): Record<string, unknown> | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!resources.length) return undefined;
  const schemas: Record<string, Schema> = {
    ...SHARED_SCHEMAS,
    [`${META}.Patch`]: {
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
  };
  const paths: Record<string, Schema> = {};
  for (const r of resources) {
    const schemaName = `${packageOf(r)}.${r.kind}`;
    schemas[schemaName] = kindSchema(r);
    paths[itemPath(r)] = operations(r, schemaName);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

export function openApiV3Root(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const key = gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Document(gv.group, gv.version)))
      .digest('hex')
      .toUpperCase()
      .slice(0, 128);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
