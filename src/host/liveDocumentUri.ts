// Addresses of the read-only live documents (`kubectl describe` and `kubectl events` alike): the
// describe commands open them, the documents provider renders them, and diagnostics link their
// evidence to them.
import * as vscode from 'vscode';
import type { KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';

export const DESCRIBE_SCHEME = 'podscope-describe';
export const EVENTS_SCHEME = 'podscope-events';

export interface LiveDocumentRef {
  context: string;
  namespace: string;
  kind: KindName;
  name: string;
}

/** `podscope-describe:/demo/Pod/apache-1.describe?context=podscope-demo` */
export function liveDocumentUri(scheme: string, ref: LiveDocumentRef): vscode.Uri {
  const suffix = scheme === DESCRIBE_SCHEME ? 'describe' : 'events';
  return vscode.Uri.from({
    scheme,
    path: `/${ref.namespace}/${ref.kind}/${ref.name}.${suffix}`,
    query: new URLSearchParams({ context: ref.context }).toString(),
  });
}

export function parseLiveDocumentUri(uri: vscode.Uri): LiveDocumentRef | undefined {
  const [, namespace, kind, file] = uri.path.split('/');
  const context = new URLSearchParams(uri.query).get('context');
  const name = file?.replace(/\.(describe|events)$/, '');
  if (!context || namespace === undefined || !name || !KIND_NAMES.includes(kind as KindName))
    return undefined;
  return { context, namespace, kind: kind as KindName, name };
}
