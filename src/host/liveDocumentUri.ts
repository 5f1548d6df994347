// Addresses of the read-only live documents (`kubectl describe`, `kubectl events` and the
// troubleshoot report): the commands open them, the documents provider renders them, and
// diagnostics link their evidence to them.
import * as vscode from 'vscode';
import type { KindName } from '../kube/clusterView';
import { KIND_NAMES } from '../kube/clusterView';

export const DESCRIBE_SCHEME = 'podscope-describe';
export const EVENTS_SCHEME = 'podscope-events';
export const REPORT_SCHEME = 'podscope-report';

export const LIVE_DOCUMENT_SCHEMES: readonly string[] = [DESCRIBE_SCHEME, EVENTS_SCHEME, REPORT_SCHEME];

/**
 * The file name's ending per scheme. The tab shows the last path segment, and `.md` makes VS Code
 * give the report the Markdown language (and its preview) by itself.
 */
const SUFFIX: Readonly<Record<string, string>> = {
  [DESCRIBE_SCHEME]: '.describe',
  [EVENTS_SCHEME]: '.events',
  [REPORT_SCHEME]: '.troubleshoot.md',
};

export interface LiveDocumentRef {
  context: string;
  namespace: string;
  kind: KindName;
  name: string;
}

/**
 * `podscope-describe:/demo/Pod/apache-1.describe?context=podscope-demo`,
 * `podscope-report:/demo/Deployment/apache.troubleshoot.md?context=podscope-demo`.
 */
export function liveDocumentUri(scheme: string, ref: LiveDocumentRef): vscode.Uri {
  return vscode.Uri.from({
    scheme,
    path: `/${ref.namespace}/${ref.kind}/${ref.name}${SUFFIX[scheme] ?? ''}`,
    query: new URLSearchParams({ context: ref.context }).toString(),
  });
}

export function parseLiveDocumentUri(uri: vscode.Uri): LiveDocumentRef | undefined {
  const [, namespace, kind, file] = uri.path.split('/');
  const context = new URLSearchParams(uri.query).get('context');
  const suffix = SUFFIX[uri.scheme];
  const name = suffix && file?.endsWith(suffix) ? file.slice(0, -suffix.length) : undefined;
  if (!context || namespace === undefined || !name || !KIND_NAMES.includes(kind as KindName))
    return undefined;
  return { context, namespace, kind: kind as KindName, name };
}
