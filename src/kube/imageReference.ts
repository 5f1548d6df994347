// Image references parsed the way the kubelet's parsers.ParseImageName and
// github.com/distribution/reference do, so that a bad `image:` produces the real InvalidImageName text.

export interface ImageReference {
  /** `docker.io/library/nginx` */
  repository: string;
  /** `docker.io` */
  domain: string;
  /** `library/nginx` */
  path: string;
  tag: string;
  digest?: string;
  /** `docker.io/library/nginx:1.27.99` as containerd prints it. */
  normalized: string;
}

const component = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const domainPattern =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;

/** Either a parsed reference or the distribution/reference error text. */
export function parseImage(image: string): ImageReference | { error: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) return { error: 'invalid reference format' };
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) return { error: 'invalid reference format' };
  }
  if (rest === '' || /\s/.test(image)) return { error: 'invalid reference format' };
  const parts = rest.split('/');
  let domain = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    parts.shift();
    if (!domainPattern.test(domain)) return { error: 'invalid reference format' };
  }
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  for (const part of parts) {
    if (component.test(part)) continue;
    if (component.test(part.toLowerCase()))
      return { error: `invalid reference format: repository name (${path}) must be lowercase` };
    return { error: 'invalid reference format' };
  }
  if (!tag && !digest) tag = 'latest';
  const repository = `${domain}/${path}`;
  const normalized = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  const ref: ImageReference = { repository, domain, path, tag, normalized };
  if (digest) ref.digest = digest;
  return ref;
}

/**
 * The pull policy SetDefaults_Container fills in: Always when the tag ParseImageName gives is
 * `latest` (written, or implied by no tag and no digest; `:latest@sha256:…` too), otherwise
 * IfNotPresent, also for a reference that does not parse.
 */
export function defaultPullPolicy(image: string): string {
  const ref = parseImage(image);
  if ('error' in ref) return 'IfNotPresent';
  return ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
