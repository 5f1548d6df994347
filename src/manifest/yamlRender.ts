// Renders values as YAML text to splice into an existing file, in that file's indentation style.
// The `yaml` package decides scalar quoting (so `"3600"` stays a string and `yes` is not read as a
// YAML 1.1 boolean); layout is done here because the text lands at a column the library cannot know.
import { Document } from 'yaml';
import type { Scalar } from 'yaml';
import type { IndentStyle } from './manifestDocument';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value that renders on the key's own line: scalars and empty collections. */
export function isInline(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return true;
}

export function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : renderFlow(value);
  if (isPlainObject(value)) return Object.keys(value).length === 0 ? '{}' : renderFlow(value);
  // A multi-line string would come out as a block scalar whose lines need the target column;
  // a JSON string is a valid YAML double-quoted scalar on one line.
  if (typeof value === 'string' && /[\n\r]/.test(value)) return JSON.stringify(value);
  const renderable =
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date;
  if (!renderable) return 'null';
  return new Document(value, { version: '1.1' }).toString({ lineWidth: 0 }).trimEnd();
}

/** A string in the quoting style the value it replaces used (`'…'`, `"…"` or plain). */
export function renderScalarLike(value: unknown, type: Scalar['type']): string {
  if (typeof value !== 'string' || /[\n\r]/.test(value)) return renderScalar(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return renderScalar(value);
}

export function renderFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${renderScalar(k)}: ${renderFlow(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return renderScalar(value);
}

/** What follows `key:` for a key at `keyColumn`: ` value` inline, or a newline and an indented block. */
export function renderAfterKey(value: unknown, keyColumn: number, style: IndentStyle): string {
  if (isInline(value)) return ` ${renderScalar(value)}`;
  if (Array.isArray(value)) {
    return `\n${renderSeqItems(value, keyColumn + (style.indentSequences ? style.indent : 0), 2, style)}`;
  }
  return `\n${renderMapLines(value as Record<string, unknown>, keyColumn + style.indent, style)}`;
}

/** `key: value` lines of a map whose keys start at `column`. */
export function renderMapLines(value: Record<string, unknown>, column: number, style: IndentStyle): string {
  const pad = ' '.repeat(column);
  return Object.entries(value)
    .map(([k, v]) => `${pad}${renderScalar(k)}:${renderAfterKey(v, column, style)}`)
    .join('\n');
}

/**
 * `- item` lines with the dash at `dashColumn` and item content `contentOffset` columns to its right
 * (2 for `- name: x`, 4 in files that write `-   name: x`).
 */
export function renderSeqItems(
  items: readonly unknown[],
  dashColumn: number,
  contentOffset: number,
  style: IndentStyle,
): string {
  const offset = Math.max(2, contentOffset);
  const dash = `${' '.repeat(dashColumn)}-${' '.repeat(offset - 1)}`;
  return items
    .map((item) => {
      if (isInline(item)) return `${' '.repeat(dashColumn)}- ${renderScalar(item)}`;
      const body = Array.isArray(item)
        ? renderSeqItems(item, dashColumn + offset, 2, style)
        : renderMapLines(item as Record<string, unknown>, dashColumn + offset, style);
      return dash + body.slice(dashColumn + offset);
    })
    .join('\n');
}

/** A value as the body of a list item or a replaced node whose first line is already positioned. */
export function renderAt(value: unknown, column: number, style: IndentStyle): string {
  if (isInline(value)) return renderScalar(value);
  const body = Array.isArray(value)
    ? renderSeqItems(value, column, 2, style)
    : renderMapLines(value as Record<string, unknown>, column, style);
  return body.slice(column);
}
