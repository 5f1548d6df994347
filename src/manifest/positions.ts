// Offsets are what the YAML layer and the edits speak; editors and the CLI's JSON speak 0-based
// line/character (LSP). JavaScript string offsets are UTF-16 code units, as LSP characters are, so
// no re-encoding is needed: only the line starts.
import { LineCounter } from 'yaml';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface OffsetRange {
  start: number;
  end: number;
}

export class LineIndex {
  private readonly counter = new LineCounter();

  constructor(private readonly text: string) {
    // The parser normally feeds LineCounter, starting with the first line at offset 0. A `\r\n`
    // ends at its `\n`, so a `\r` stays on the line it ends.
    this.counter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.counter.addNewLine(i + 1);
  }

  get lineCount(): number {
    return this.counter.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(Math.trunc(offset) || 0, this.text.length));
    const { line, col } = this.counter.linePos(clamped);
    return { line: line - 1, character: col - 1 };
  }

  /** The offset of a position; a character past the line's end clamps to the end (before `\r\n`). */
  offsetAt(position: Position): number {
    const starts = this.counter.lineStarts;
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line] ?? 0;
    let end =
      position.line + 1 < starts.length
        ? (starts[position.line + 1] ?? this.text.length) - 1
        : this.text.length;
    if (end > start && this.text[end - 1] === '\r' && end < this.text.length) end--;
    return Math.min(start + Math.max(0, position.character), end);
  }

  rangeOf(range: OffsetRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }
}
