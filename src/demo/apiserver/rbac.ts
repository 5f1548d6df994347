// A switchable stand-in for RBAC: rules that forbid resources (optionally per verb and
// namespace) for the demo user, with kube-apiserver's exact Forbidden wording, so tests and the
// demo can show how Podscope degrades when a kind cannot be read.
import { StatusError } from './errors';

export interface ForbidRule {
  /** Resource as RBAC names it: `pods`, `pods/log`, `deployments` (group separate), or `*`. */
  resource: string;
  /** API group; '' is core. Omitted: any group. */
  group?: string;
  /** Omitted: every verb. */
  verbs?: string[];
  /**
   * Omitted: every namespace and the cluster scope. Set: that namespace, and also the
   * all-namespaces (cluster-scope) form of a namespaced resource, since a user without the right in
   * one namespace cannot hold it cluster-wide (kubectl get -A is refused, as with real RBAC).
   */
  namespace?: string;
}

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Whether the resource is namespaced; a namespaced request without a namespace is cluster-wide. */
  namespaced?: boolean;
}

export const DEFAULT_DEMO_USER = 'system:serviceaccount:demo:podscope';

export class RbacPolicy {
  private rules: ForbidRule[];

  constructor(
    rules: ForbidRule[] = [],
    readonly user: string = DEFAULT_DEMO_USER,
  ) {
    this.rules = [...rules];
  }

  /** Replaces the rules at runtime; the next request sees the change. */
  set(rules: ForbidRule[]): void {
    this.rules = [...rules];
  }

  forbid(rule: ForbidRule): void {
    this.rules.push(rule);
  }

  clear(): void {
    this.rules = [];
  }

  hasRules(): boolean {
    return this.rules.length > 0;
  }

  check(request: AccessRequest): StatusError | undefined {
    const full = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    const rule = this.rules.find(
      (r) =>
        (r.resource === '*' ||
          r.resource === full ||
          (r.resource === request.resource && !request.subresource)) &&
        (r.group === undefined || r.group === request.group) &&
        (r.verbs === undefined || r.verbs.includes(request.verb)) &&
        (r.namespace === undefined ||
          r.namespace === request.namespace ||
          (request.namespace === undefined && request.namespaced === true)),
    );
    return rule ? forbidden(this.user, request) : undefined;
  }
}

/** `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "demo"`. */
export function forbidden(user: string, request: AccessRequest): StatusError {
  const qualified = request.group ? `${request.resource}.${request.group}` : request.resource;
  const subject = request.name ? `${qualified} "${request.name}"` : qualified;
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const scope =
    request.namespace !== undefined ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user}" cannot ${request.verb} resource "${resource}" in API group "${request.group}" ${scope}`;
  return new StatusError(403, 'Forbidden', message, {
    ...(request.name ? { name: request.name } : {}),
    ...(request.group ? { group: request.group } : {}),
    kind: request.resource,
  });
}
