// The part of kube-apiserver's validation a client notices first: object names, required pod
// fields, workload selectors matching their templates, and immutable fields on update. Messages
// use the field-path wording of apimachinery's field.ErrorList.
import type { KubeObject } from '../../kube/types';
import type { ResourceType } from '../objectStore';
import type { FieldCause } from './errors';
import { invalid } from './errors';
import { jsonEqual } from './jsonEqual';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_HELP =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_HELP =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const obj = (o: unknown): Record<string, unknown> =>
  o && typeof o === 'object' ? (o as Record<string, unknown>) : {};

function containerCauses(containers: unknown, path: string, required: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!Array.isArray(containers) || containers.length === 0) {
    if (required) causes.push({ field: path, message: 'Required value', reason: 'FieldValueRequired' });
    return causes;
  }
  containers.forEach((c, i) => {
    const container = obj(c);
    const name = container['name'];
    if (typeof name !== 'string' || name === '')
      causes.push({ field: `${path}[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' });
    else if (!DNS1123_LABEL.test(name))
      causes.push({
        field: `${path}[${i}].name`,
        message: `Invalid value: "${name}": ${LABEL_HELP}`,
        reason: 'FieldValueInvalid',
      });
    if (typeof container['image'] !== 'string' || container['image'] === '') {
      causes.push({ field: `${path}[${i}].image`, message: 'Required value', reason: 'FieldValueRequired' });
    }
  });
  return causes;
}

function podSpecCauses(spec: unknown, path: string): FieldCause[] {
  const s = obj(spec);
  return [
    ...containerCauses(s['containers'], `${path}.containers`, true),
    ...containerCauses(s['initContainers'], `${path}.initContainers`, false),
  ];
}

function selectorCauses(o: KubeObject, templatePath: string): FieldCause[] {
  const spec = obj(o['spec']);
  const selector = obj(spec['selector']);
  const matchLabels = obj(selector['matchLabels']);
  if (
    !spec['selector'] ||
    (Object.keys(matchLabels).length === 0 && !Array.isArray(selector['matchExpressions']))
  ) {
    return [{ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' }];
  }
  const labels = obj(obj(obj(spec['template'])['metadata'])['labels']);
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] !== v) {
      const shown = Object.entries(labels)
        .map(([lk, lv]) => `"${lk}":"${String(lv)}"`)
        .join(', ');
      return [
        {
          field: `${templatePath}.metadata.labels`,
          message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``,
          reason: 'FieldValueInvalid',
        },
      ];
    }
  }
  return [];
}

/** Throws 422 Invalid when the object would be rejected by a real server on create. */
export function validateObject(type: ResourceType, object: KubeObject): void {
  const name = object.metadata?.name ?? '';
  const causes: FieldCause[] = [];
  if (name && !DNS1123_SUBDOMAIN.test(name)) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${SUBDOMAIN_HELP}`,
      reason: 'FieldValueInvalid',
    });
  }
  switch (type.kind) {
    case 'Pod':
      causes.push(...podSpecCauses(object['spec'], 'spec'));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      causes.push(...selectorCauses(object, 'spec.template'));
      causes.push(...podSpecCauses(obj(obj(object['spec'])['template'])['spec'], 'spec.template.spec'));
      break;
    case 'Job':
      causes.push(...podSpecCauses(obj(obj(object['spec'])['template'])['spec'], 'spec.template.spec'));
      break;
    case 'CronJob':
      if (!obj(object['spec'])['schedule'])
        causes.push({ field: 'spec.schedule', message: 'Required value', reason: 'FieldValueRequired' });
      break;
  }
  if (causes.length) throw invalid(type.kind, name, type.group, causes);
}

/** Pod updates may change little besides images, activeDeadlineSeconds and tolerations additions. */
export function validatePodUpdate(old: KubeObject, next: KubeObject): void {
  const strip = (spec: unknown): unknown => {
    const s = structuredClone(obj(spec));
    for (const list of ['containers', 'initContainers']) {
      const containers = s[list];
      if (Array.isArray(containers)) for (const c of containers) delete obj(c)['image'];
    }
    delete s['activeDeadlineSeconds'];
    delete s['tolerations'];
    delete s['ephemeralContainers'];
    delete s['terminationGracePeriodSeconds'];
    return s;
  };
  if (!jsonEqual(strip(old['spec']), strip(next['spec']))) {
    throw invalid('Pod', next.metadata?.name ?? '', '', [
      {
        field: 'spec',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        reason: 'FieldValueForbidden',
      },
    ]);
  }
}
