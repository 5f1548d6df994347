// Several changes of one fix are computed one after another on the text the previous ones produced
// (the second may need the `resources:` block the first created), but VS Code wants edits on the
// original text. The composer keeps the current text as pieces of the original and inserted text,
// so the result maps back to minimal, non-overlapping edits on the original.
import type { TextEdit } from './textEdit';

type Piece = { start: number; end: number } | { text: string };

export class EditComposer {
  private pieces: Piece[];

  constructor(private readonly original: string) {
    this.pieces = original.length === 0 ? [] : [{ start: 0, end: original.length }];
  }

  get text(): string {
    return this.pieces.map((p) => ('text' in p ? p.text : this.original.slice(p.start, p.end))).join('');
  }

  /** Applies edits given in the coordinates of the current text. */
  apply(edits: readonly TextEdit[]): void {
    const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
    for (const edit of sorted) this.splice(edit.start, edit.end, edit.newText);
  }

  /** The edits that turn the original text into the current one. */
  edits(): TextEdit[] {
    const edits: TextEdit[] = [];
    let origin = 0;
    let pending = '';
    for (const piece of this.pieces) {
      if ('text' in piece) {
        pending += piece.text;
        continue;
      }
      if (piece.start !== origin || pending !== '') {
        edits.push({ start: origin, end: piece.start, newText: pending });
      }
      origin = piece.end;
      pending = '';
    }
    if (origin !== this.original.length || pending !== '') {
      edits.push({ start: origin, end: this.original.length, newText: pending });
    }
    return edits;
  }

  private splice(start: number, end: number, newText: string): void {
    const out: Piece[] = [];
    let position = 0;
    let inserted = false;
    const insert = (): void => {
      if (!inserted && newText !== '') out.push({ text: newText });
      inserted = true;
    };
    for (const piece of this.pieces) {
      const length = 'text' in piece ? piece.text.length : piece.end - piece.start;
      const pieceStart = position;
      const pieceEnd = position + length;
      position = pieceEnd;
      // The part of this piece before the edit, then the edit, then the part after it.
      if (pieceStart < start) out.push(slice(piece, 0, Math.min(length, start - pieceStart)));
      if (pieceEnd >= start) insert();
      if (pieceEnd > end) out.push(slice(piece, Math.max(0, end - pieceStart), length));
    }
    insert();
    this.pieces = out.filter((p) => ('text' in p ? p.text !== '' : p.end > p.start));
  }
}

function slice(piece: Piece, from: number, to: number): Piece {
  if ('text' in piece) return { text: piece.text.slice(from, to) };
  return { start: piece.start + from, end: piece.start + to };
}
