/** Collects a table's cells while htmlToText streams through it, then renders it as a pipe table. */

interface Cell {
  text: string;
  header: boolean;
}

const WHITESPACE_RUN = /[ \t\n\r\f]+/g;

export class TableBuilder {
  private readonly rows: Cell[][] = [];
  private row: Cell[] | undefined;
  private cell: Cell | undefined;
  private caption = '';
  private inCaption = 0;

  /** An element opens inside the table; `nested` when it belongs to a table inside one of our cells. */
  open(name: string, nested: boolean): void {
    if (nested) this.separate();
    else if (name === 'tr') {
      this.endRow();
      this.row = [];
    } else if (name === 'td' || name === 'th') {
      this.endCell();
      this.row ??= [];
      this.cell = { text: '', header: name === 'th' };
      this.row.push(this.cell);
    } else if (name === 'caption') this.inCaption++;
    else this.separate();
  }

  close(name: string, nested: boolean): void {
    if (nested) this.separate();
    else if (name === 'tr') this.endRow();
    else if (name === 'td' || name === 'th') this.endCell();
    else if (name === 'caption') this.inCaption--;
    else this.separate();
  }

  text(text: string): void {
    if (this.inCaption) this.caption += text;
    else if (this.cell) this.cell.text += text;
  }

  /**
   * The caption (if any) then `| a | b |` lines, with `|---|---|` under the header row: the first row with a
   * `<th>`, else the first row. Cells are one line each; `|` in a cell is escaped as `\|`.
   */
  render(): string[] {
    this.endRow();
    const lines: string[] = [];
    const caption = oneLine(this.caption);
    if (caption) lines.push(caption);
    if (!this.rows.length) return lines;
    const columns = this.rows.reduce((most, row) => Math.max(most, row.length), 0);
    const headerAt = Math.max(
      this.rows.findIndex((row) => row.some((cell) => cell.header)),
      0,
    );
    const ordered = [this.rows[headerAt]!, ...this.rows.filter((_, i) => i !== headerAt)];
    const format = (row: Cell[]) => {
      const cells = Array.from({ length: columns }, (_, i) =>
        oneLine(row[i]?.text ?? '').replace(/\|/g, '\\|'),
      );
      return `| ${cells.join(' | ')} |`;
    };
    lines.push(format(ordered[0]!), `|${'---|'.repeat(columns)}`, ...ordered.slice(1).map(format));
    return lines;
  }

  /** Block boundaries and line breaks inside a cell become a space: a cell is one line. */
  private separate(): void {
    this.text(' ');
  }

  private endCell(): void {
    this.cell = undefined;
  }

  private endRow(): void {
    this.endCell();
    if (this.row?.length) this.rows.push(this.row);
    this.row = undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(WHITESPACE_RUN, ' ').trim();
}
