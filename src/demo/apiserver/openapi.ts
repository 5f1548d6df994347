// Placeholder replaced below.
export function openApiV3Root(): Record<string, unknown> {
  return { paths: {} };
}
export function openApiV3Document(_group: string, _version: string): Record<string, unknown> | undefined {
  return undefined;
}
