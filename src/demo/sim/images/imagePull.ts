// What a registry answers when the simulated containerd pulls an image, as the CRI error text
// the kubelet shows (§5): unknown tags are `not found`, private repositories without a matching
// dockerconfigjson pull secret are denied, unknown registry hosts do not resolve.
import type { KubeObject, Pod } from '../../../kube/types';
import type { ObjectStore } from '../../objectStore';
import { findImage } from './imageCatalog';
import type { CatalogImage } from './imageCatalog';
import type { ImageReference } from '../../../kube/imageReference';

export type PullResult = { ok: true; image: CatalogImage } | { ok: false; error: string };

const knownRegistries = new Set([
  'docker.io',
  'k8s.gcr.io',
  'registry.k8s.io',
  'gcr.io',
  'quay.io',
  'ghcr.io',
  'registry.example.com',
]);

/** Registry hosts the pod's pull secrets hold credentials for. */
export function credentialHosts(store: ObjectStore, pod: Pod): Set<string> {
  const hosts = new Set<string>();
  for (const { name } of pod.spec?.imagePullSecrets ?? []) {
    const secret:
      (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined =
      store.get('Secret', pod.metadata?.namespace, name);
    const raw = secret?.data?.['.dockerconfigjson'];
    const text = raw
      ? Buffer.from(raw, 'base64').toString('utf8')
      : (secret?.stringData?.['.dockerconfigjson'] ?? '');
    try {
      const parsed = JSON.parse(text) as { auths?: Record<string, unknown> };
      for (const host of Object.keys(parsed.auths ?? {}))
        hosts.add(
          host
            .replace(/^https?:\/\//, '')
            .replace(/\/.*$/, '')
            .replace('index.docker.io', 'docker.io'),
        );
    } catch {
      // A malformed dockerconfigjson gives no credentials, exactly like a missing one.
    }
  }
  return hosts;
}

/** Names in imagePullSecrets that do not exist, for FailedToRetrieveImagePullSecret. */
export function missingPullSecrets(store: ObjectStore, pod: Pod): string[] {
  return (pod.spec?.imagePullSecrets ?? [])
    .map((s) => s.name)
    .filter((name) => !store.get('Secret', pod.metadata?.namespace, name));
}

export function pull(store: ObjectStore, pod: Pod, ref: ImageReference): PullResult {
  const n = ref.normalized;
  const head = `failed to pull and unpack image ${JSON.stringify(n)}: failed to resolve reference ${JSON.stringify(n)}: `;
  if (!knownRegistries.has(ref.domain)) {
    return {
      ok: false,
      error: `rpc error: code = Unknown desc = ${head}failed to do request: Head "https://${ref.domain}/v2/${ref.path}/manifests/${ref.tag}": dial tcp: lookup ${ref.domain.replace(/:.*/, '')} on 10.96.0.10:53: no such host`,
    };
  }
  const image = findImage(ref.repository);
  const authorized = !image?.private || credentialHosts(store, pod).has(ref.domain);
  if (!image || !authorized) {
    if (ref.domain === 'docker.io') {
      return {
        ok: false,
        error: `rpc error: code = Unknown desc = ${head}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
      };
    }
    if (!image && !['registry.example.com', 'ghcr.io'].includes(ref.domain)) {
      return { ok: false, error: `rpc error: code = NotFound desc = ${head}${n}: not found` };
    }
    const scope = encodeURIComponent(`repository:${ref.path}:pull`);
    return {
      ok: false,
      error: `rpc error: code = Unknown desc = ${head}failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${ref.domain}/token?scope=${scope}&service=${ref.domain}: 401 Unauthorized`,
    };
  }
  if (ref.digest || image.tags.includes(ref.tag)) return { ok: true, image };
  return { ok: false, error: `rpc error: code = NotFound desc = ${head}${n}: not found` };
}

/** How long a pull of `sizeBytes` takes on the simulated network (about 40 MB/s, at least 0.4 s). */
export function pullDurationMs(sizeBytes: number): number {
  return Math.max(400, Math.round(sizeBytes / 40_000));
}
