/** What every format mapper is handed: the document, where it came from, and a place to report problems. */
import type { XmlDocument } from './xml.js';

export interface MapContext {
  doc: XmlDocument;
  /** The document URL (or xml:base of the root): the base for relative links. */
  base?: string;
  warnings: string[];
}

export function warn(ctx: { warnings: string[] }, message: string): void {
  if (ctx.warnings.length < 50 && !ctx.warnings.includes(message)) ctx.warnings.push(message);
}
