// Cluster text (event messages, termination messages, log lines) is written by whatever runs in
// the cluster. Before it reaches a hover, a tree label or a terminal through the CLI, remove the
// escape sequences that could recolour, move the cursor, set a window title or hide text.

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

/** Remove terminal escape sequences and control characters, keeping newlines and tabs. */
export function sanitizeText(text: string): string {
  return text.replace(STRING_SEQUENCE, '').replace(CSI, '').replace(OTHER_ESCAPE, '').replace(CONTROL, '');
}

/**
 * Escapes Markdown and HTML so cluster text renders literally in a hover, tooltip or report: no
 * links, images, emphasis or tags. Sanitize first; this only neutralises what is left.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, (c) => `\\${c}`).replace(/\r?\n/g, '  \n');
}
