// `# podscope: context=prod namespace=shop` at the top of a manifest names the cluster context and
// default namespace the file is meant for, overriding the active context and folder settings. Only
// the leading comment block is read: a directive halfway down a file would apply to documents
// above it that the reader did not expect.

export interface FileDirective {
  context?: string;
  namespace?: string;
  /** Words after `podscope:` that are not `key=value` with a known key, for the log. */
  ignored: string[];
}

const DIRECTIVE = /^#\s*podscope:\s*(.*)$/i;
// Context names come from kubeconfigs and may hold most characters; namespaces are DNS labels.
const CONTEXT = /^[^\s=#]+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_LINES = 20;

/** The directive of a file's leading comments, if it has one (the last one wins). */
export function parseFileDirective(text: string): FileDirective | undefined {
  let found: FileDirective | undefined;
  let start = 0;
  for (let line = 0; line < MAX_LINES && start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const raw = text.slice(start, end === -1 ? text.length : end).trim();
    start = end === -1 ? text.length + 1 : end + 1;
    if (raw === '' || raw === '---') continue;
    if (!raw.startsWith('#')) break;
    const match = DIRECTIVE.exec(raw);
    if (!match) continue;
    const directive: FileDirective = { ignored: [] };
    for (const word of (match[1] ?? '').split(/\s+/).filter((w) => w !== '')) {
      const eq = word.indexOf('=');
      const key = word.slice(0, eq).toLowerCase();
      const value = word.slice(eq + 1);
      if (eq > 0 && key === 'context' && CONTEXT.test(value)) directive.context = value;
      else if (eq > 0 && key === 'namespace' && NAMESPACE.test(value)) directive.namespace = value;
      else directive.ignored.push(word);
    }
    found = directive;
  }
  return found;
}
