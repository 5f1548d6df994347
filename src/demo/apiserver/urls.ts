// Request paths of the Kubernetes REST API, resolved to what they address. The grammar is
// kube-apiserver's: /api/v1/... for the core group, /apis/<group>/<version>/... for the rest,
// optional namespaces/<ns>/ before the resource, then name and subresource.
import type { ResourceInfo } from './resources';
import { findResource } from './resources';

export type Target =
  | { type: 'version' }
  | { type: 'health'; check: string }
  | { type: 'discoveryLegacy' }
  | { type: 'discoveryGroups' }
  | { type: 'discoveryGroup'; group: string }
  | { type: 'discoveryResources'; group: string; version: string }
  | { type: 'openapiV2' }
  | { type: 'openapiV3Root' }
  | { type: 'openapiV3Doc'; group: string; version: string }
  | {
      type: 'resource';
      resource: ResourceInfo;
      namespace?: string;
      name?: string;
      subresource?: string;
      legacyWatch?: boolean;
    }
  | { type: 'unknown' };

/** Namespace subresources, which otherwise parse as a resource named `status` in that namespace. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function resolvePath(pathname: string): Target {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
  } catch {
    // A malformed %-escape addresses nothing; kube-apiserver answers 404 as for any unknown path.
    return { type: 'unknown' };
  }
  const [first, second, third, ...rest] = segments;
  if (first === 'version' && segments.length === 1) return { type: 'version' };
  if ((first === 'healthz' || first === 'livez' || first === 'readyz') && segments.length <= 2)
    return { type: 'health', check: first };
  if (first === 'openapi') {
    if (second === 'v2' && segments.length === 2) return { type: 'openapiV2' };
    if (second === 'v3' && segments.length === 2) return { type: 'openapiV3Root' };
    if (second === 'v3' && third === 'api' && rest.length === 1)
      return { type: 'openapiV3Doc', group: '', version: rest[0] ?? '' };
    if (second === 'v3' && third === 'apis' && rest.length === 2)
      return { type: 'openapiV3Doc', group: rest[0] ?? '', version: rest[1] ?? '' };
    return { type: 'unknown' };
  }
  if (first === 'api') {
    if (segments.length === 1) return { type: 'discoveryLegacy' };
    if (second !== 'v1') return { type: 'unknown' };
    if (segments.length === 2) return { type: 'discoveryResources', group: '', version: 'v1' };
    return resourceTarget('', 'v1', segments.slice(2));
  }
  if (first === 'apis') {
    if (segments.length === 1) return { type: 'discoveryGroups' };
    if (segments.length === 2) return { type: 'discoveryGroup', group: second ?? '' };
    if (segments.length === 3)
      return { type: 'discoveryResources', group: second ?? '', version: third ?? '' };
    return resourceTarget(second ?? '', third ?? '', rest);
  }
  return { type: 'unknown' };
}

function resourceTarget(group: string, version: string, segments: string[]): Target {
  // The deprecated /api/v1/watch/... form of a watch, still served by kube-apiserver.
  const legacyWatch = segments[0] === 'watch';
  const parts = legacyWatch ? segments.slice(1) : segments;
  let namespace: string | undefined;
  let rest = parts;
  const namespaceSub = parts.length === 3 && NAMESPACE_SUBRESOURCES.has(parts[2] ?? '');
  if (parts[0] === 'namespaces' && parts.length >= 3 && !namespaceSub) {
    namespace = parts[1];
    rest = parts.slice(2);
  }
  const [resourceName, name, subresource, ...extra] = rest;
  if (!resourceName || extra.length > 0) return { type: 'unknown' };
  const resource = findResource(group, version, resourceName);
  if (!resource) return { type: 'unknown' };
  if (namespace !== undefined && !resource.namespaced) return { type: 'unknown' };
  if (subresource !== undefined && !resource.subresources.some((s) => s.name === subresource))
    return { type: 'unknown' };
  return {
    type: 'resource',
    resource,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(legacyWatch ? { legacyWatch } : {}),
  };
}
