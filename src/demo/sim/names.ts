// Names the controllers invent, in the real shapes: `<deploy>-<pod-template-hash>` and
// `<rs>-<5 random chars>`, both drawn from apimachinery's "safe" alphabet (no vowels, no
// look-alike digits), so that `6d8f7b9c5`-style hashes appear as they do on a real cluster.

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.String(n) from k8s.io/apimachinery/pkg/util/rand. */
export function randomSuffix(n = 5, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphanums[Math.floor(random() * alphanums.length)]!;
  return out;
}

/** rand.SafeEncodeString: each byte of the decimal text mapped onto the safe alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += alphanums[text.charCodeAt(i) % alphanums.length]!;
  return out;
}

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (all ASCII in practice). */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i) & 0xff;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with sorted keys, so that the same template always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * controller.ComputeHash: FNV-32a over the pod template (the real one feeds a spew dump of the
 * Go struct; we feed canonical JSON), plus the collision count, then SafeEncodeString of the
 * decimal sum.
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = canonicalJson(template) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(text)));
}

/** A random RFC 4122 v4 UUID, for containers and IDs the store does not assign. */
export function hexId(length: number, random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}
