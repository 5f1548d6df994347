// Writing responses the way kube-apiserver does: JSON bodies with its headers, Status errors,
// and lists streamed item by item so a 10k-pod list never builds one giant string.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../kube/types';
import type { StatusError } from './errors';

export function baseHeaders(contentType: string): Record<string, string> {
  return {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'Content-Type': contentType,
    'X-Kubernetes-Pf-Flowschema-Uid': '6a9f1c2e-0c4b-4a1e-9d6e-4f3b2a1c0d9e',
    'X-Kubernetes-Pf-Prioritylevel-Uid': '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  };
}

export function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { ...baseHeaders(contentType), 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function writeStatus(res: ServerResponse, error: StatusError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeJson(res, error.code, error.toStatus());
}

/** kube-apiserver's list item encoding: items carry no apiVersion/kind of their own. */
export function listItem(object: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

const CHUNK = 200;

/** Streams `{kind, apiVersion, metadata, items: [...]}` in chunks of serialized items. */
export function writeList(
  res: ServerResponse,
  head: { kind: string; apiVersion: string; metadata: Record<string, unknown> },
  items: readonly KubeObject[],
  encodeItem: (o: KubeObject) => unknown,
): void {
  res.writeHead(200, baseHeaders('application/json'));
  res.write(
    `{"kind":${JSON.stringify(head.kind)},"apiVersion":${JSON.stringify(head.apiVersion)},"metadata":${JSON.stringify(head.metadata)},"items":[`,
  );
  for (let i = 0; i < items.length; i += CHUNK) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(i + CHUNK, items.length); j++)
      parts.push(JSON.stringify(encodeItem(items[j] as KubeObject)));
    res.write((i === 0 ? '' : ',') + parts.join(','));
  }
  res.end(']}');
}
