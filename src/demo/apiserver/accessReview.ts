// authorization.k8s.io/v1 self reviews: `kubectl auth can-i` (SelfSubjectAccessReview) and
// `kubectl auth can-i --list` (SelfSubjectRulesReview), answered from the same forbid rules that
// guard every request, so a client probing its permissions sees what its requests will meet.
import { decodeProtobufObject, isProtobuf } from './protobuf';
import type { RbacPolicy } from './rbac';
import { RESOURCES } from './resources';

interface ReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  namespace?: string;
}

export function reviewAccess(
  kind: string,
  body: Buffer,
  contentType: string | undefined,
  rbac: RbacPolicy,
): Record<string, unknown> {
  const review = (
    isProtobuf(contentType) ? decodeProtobufObject(body) : JSON.parse(body.toString('utf8') || '{}')
  ) as {
    spec?: ReviewSpec;
  };
  const spec = review.spec ?? {};
  let status: Record<string, unknown>;
  if (kind === 'SelfSubjectAccessReview') {
    const a = spec.resourceAttributes;
    const denied = a
      ? rbac.check({
          namespaced: RESOURCES.some(
            (x) => x.resource === a.resource && x.group === (a.group ?? '') && x.namespaced,
          ),
          verb: a.verb ?? 'get',
          group: a.group ?? '',
          resource: a.resource ?? '',
          ...(a.subresource ? { subresource: a.subresource } : {}),
          ...(a.namespace ? { namespace: a.namespace } : {}),
          ...(a.name ? { name: a.name } : {}),
        })
      : undefined;
    // RBAC only ever allows; a request it does not allow is `allowed: false` without `denied`.
    status = denied
      ? { allowed: false }
      : {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "podscope-demo" of ClusterRole "cluster-admin" to User "${rbac.user}"`,
        };
  } else {
    status = {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      // Forbid rules cannot be written as allow rules; say the list is not the whole story.
      incomplete: rbac.hasRules(),
    };
  }
  return { kind, apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
}
