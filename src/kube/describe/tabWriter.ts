// Go's text/tabwriter as `kubectl describe` configures it (minwidth 0, padding 2, spaces, no
// flags): cells end at a tab; a column is aligned over the run of consecutive lines that have a
// cell in it, so a line without a tab (`Containers:`) starts a new alignment block. Describe's
// output only lines up like kubectl's if this is reproduced exactly, including its recursion.
const PADDING = 2;

export class TabWriter {
  private readonly lines: string[][] = [];
  private output = '';

  /** Appends text; `\t` ends a cell and `\n` a line, as in the Go writer. */
  write(text: string): void {
    for (const part of text.split(/(\n)/)) {
      if (part === '\n') {
        this.currentLine();
        this.lines.push([]);
        continue;
      }
      if (part === '') continue;
      const cells = part.split('\t');
      const line = this.currentLine();
      const last = line.length - 1;
      line[last] = (line[last] ?? '') + (cells[0] ?? '');
      for (const cell of cells.slice(1)) line.push(cell);
    }
  }

  /** Formats what was written so far, as tabwriter.Flush does; later text starts fresh blocks. */
  flush(): void {
    const lines = this.lines.splice(0);
    // Written lines have at least one cell; a trailing `[]` is the line after the last newline.
    if (lines[lines.length - 1]?.length === 0) lines.pop();
    this.output += format(lines, 0, lines.length, []);
  }

  toString(): string {
    this.flush();
    return this.output;
  }

  private currentLine(): string[] {
    let line = this.lines[this.lines.length - 1];
    if (!line) {
      line = [''];
      this.lines.push(line);
    } else if (line.length === 0) line.push('');
    return line;
  }
}

function width(cell: string): number {
  return [...cell].length;
}

/** tabwriter's `format`: align column `widths.length` over each block, then recurse right. */
function format(lines: string[][], line0: number, line1: number, widths: number[]): string {
  let out = '';
  const column = widths.length;
  let start = line0;
  for (let current = line0; current < line1; current++) {
    if (column >= (lines[current]?.length ?? 0) - 1) continue;
    out += writeLines(lines, start, current, widths);
    start = current;
    let columnWidth = 0;
    for (; current < line1; current++) {
      const line = lines[current] ?? [];
      if (column >= line.length - 1) break;
      columnWidth = Math.max(columnWidth, width(line[column] ?? '') + PADDING);
    }
    out += format(lines, start, current, [...widths, columnWidth]);
    start = current;
    current--;
  }
  return out + writeLines(lines, start, line1, widths);
}

function writeLines(lines: string[][], line0: number, line1: number, widths: number[]): string {
  let out = '';
  for (let i = line0; i < line1; i++) {
    const line = lines[i] ?? [];
    line.forEach((cell, j) => {
      out += cell;
      const target = widths[j];
      if (target !== undefined && j < line.length - 1) out += ' '.repeat(Math.max(0, target - width(cell)));
    });
    out += '\n';
  }
  return out;
}
