// Content negotiation as kube-apiserver does it: the Accept header is a list of media types with
// parameters (`application/json;as=Table;v=v1;g=meta.k8s.io`) and the first one the server can
// produce wins.

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((entry) => {
    const [type = '', ...rawParams] = entry.split(';').map((p) => p.trim());
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

const jsonish = (m: MediaType): boolean =>
  m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';

export type Rendering = 'object' | 'table' | 'partialMetadata';

/** What a GET or LIST should render: the objects, a Table, or PartialObjectMetadata(List). */
export function chooseRendering(accept: string | undefined): Rendering {
  for (const m of parseAccept(accept)) {
    if (
      m.type === 'application/json' &&
      m.params['g'] === 'meta.k8s.io' &&
      (m.params['v'] === 'v1' || m.params['v'] === 'v1beta1')
    ) {
      if (m.params['as'] === 'Table') return 'table';
      if (m.params['as'] === 'PartialObjectMetadata' || m.params['as'] === 'PartialObjectMetadataList')
        return 'partialMetadata';
      continue;
    }
    if (m.params['as'] !== undefined) continue;
    if (jsonish(m) || m.type === 'application/vnd.kubernetes.protobuf' || m.type === 'application/yaml')
      return 'object';
  }
  return 'object';
}

/** Which aggregated discovery version the Accept header asks for, if any (v2 preferred). */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params['g'] === 'apidiscovery.k8s.io' && m.params['as'] === 'APIGroupDiscoveryList') {
      if (m.params['v'] === 'v2') return 'v2';
      if (m.params['v'] === 'v2beta1') return 'v2beta1';
    }
  }
  return undefined;
}
