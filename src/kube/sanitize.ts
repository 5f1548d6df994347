// Cluster text (event messages, termination messages, log lines, annotations, even names on a
// server that does not validate them) is written by whatever runs in the cluster. Before it
// reaches a hover, a tree row, a document or a terminal through the CLI, remove the escape
// sequences that could recolour, move the cursor, set a window title or hide text, the
// bidirectional controls that make text read differently from what it is, and cut text too long
// to read, saying how much was cut.

/* eslint-disable no-control-regex -- matching escape and control characters is this file's job */
// CSI: ESC [ (or the 8-bit 0x9B) parameter bytes, intermediate bytes, one final byte.
const CSI = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]/g;
// OSC, DCS, SOS, PM, APC: ESC ] / P / X / ^ / _ (or 8-bit forms) up to BEL or ST (ESC \ or 0x9C).
// An unterminated string runs to the end of the text, as a terminal would swallow it.
const STRING_SEQUENCE =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
// Any other two-byte escape (ESC followed by one character), e.g. ESC c (reset) or ESC 7.
const OTHER_ESCAPE = /\u001b[\u0020-\u007e]?/g;
// C0 controls except tab (0x09) and newline (0x0a), DEL, and the remaining C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */
// Embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and the invisible direction marks
// (LRM, RLM, ALM): what "Trojan Source" text uses to show one order and mean another.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export interface TextLimits {
  /** Longest line kept whole. */
  maxLineChars: number;
  /** Longest text kept whole, newlines included. */
  maxChars: number;
}

/**
 * One message, name or log line. Kubernetes itself keeps an Event message under 1 KiB and a
 * termination message under 4 KiB, so a longer line is not something a person needs whole.
 */
export const FIELD_LIMITS: TextLimits = { maxLineChars: 4096, maxChars: 16 * 1024 };
/** A whole describe or events document, or a fenced block of one in a report. */
export const DOCUMENT_LIMITS: TextLimits = { maxLineChars: 4096, maxChars: 512 * 1024 };

/**
 * Remove terminal escape sequences, control characters (keeping newlines and tabs) and
 * bidirectional controls, then cut what is longer than `limits` with a marker that says how many
 * characters were cut.
 */
export function sanitizeText(text: string, limits: TextLimits = FIELD_LIMITS): string {
  const clean = text
    .replace(STRING_SEQUENCE, '')
    .replace(CSI, '')
    .replace(OTHER_ESCAPE, '')
    .replace(CONTROL, '')
    .replace(BIDI, '');
  return cutLongText(clean, limits);
}

/** `text` with every line, and then the whole, kept within `limits`. */
export function cutLongText(text: string, limits: TextLimits): string {
  let out = text;
  if (out.length > limits.maxLineChars)
    out = out
      .split('\n')
      .map((line) => (line.length > limits.maxLineChars ? cutAt(line, limits.maxLineChars) : line))
      .join('\n');
  return out.length > limits.maxChars ? cutAt(out, limits.maxChars) : out;
}

/** What follows text that was cut, e.g. `… [1044480 characters cut]`. */
export function cutMarker(count: number): string {
  return `… [${count} characters cut]`;
}

/** Room kept for the marker, so cut text fits its limit and sanitizing it again changes nothing. */
const MARKER_ROOM = 48;

function cutAt(text: string, max: number): string {
  let end = max - MARKER_ROOM;
  // Never split a surrogate pair: half of one is not a character.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)} ${cutMarker(text.length - end)}`;
}

/**
 * A Markdown code fence that no backtick run inside `text` can close: one backtick longer than
 * the longest run, and at least three.
 */
export function markdownFence(text: string): string {
  // A loop, not Math.max(...runs): text of many short runs would overflow the call stack.
  let longest = 2;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return '`'.repeat(longest + 1);
}

/**
 * Cluster text made inert for a Markdown tooltip or report: sanitized, then every character that
 * could start a link, an image, emphasis or HTML escaped.
 */
export function escapeMarkdown(text: string): string {
  return sanitizeText(text)
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&$:]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '  \n');
}
