// The two timestamp shapes on the wire: metav1.Time (RFC 3339, whole seconds) and
// metav1.MicroTime (six fractional digits), which events.k8s.io events carry in `eventTime`.

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function microTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000Z`;
}
