// An edit as offsets into a manifest's text: what a fix produces and a VS Code WorkspaceEdit
// or the CLI applies. Its own module so that the YAML edit builders and the composer that
// merges their edits both depend on it instead of on each other.

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Applies non-overlapping edits (offsets into `text`); for tests and the CLI. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = text.length;
  for (const edit of sorted) {
    const start = Math.max(0, Math.min(edit.start, limit));
    const end = Math.max(start, Math.min(edit.end, limit));
    out = out.slice(0, start) + edit.newText + out.slice(end);
    limit = start;
  }
  return out;
}
