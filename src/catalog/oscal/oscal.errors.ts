/**
 * The one error type of the OSCAL library. It is an InvalidInputError (code `invalid_input`), so
 * the API maps it to a 400 problem and the CLI prints it, and it says exactly where the fault is:
 * a JSON pointer into the document model and, when the source text is known, a line and column.
 */
import { InvalidInputError } from '../../lib/errors.ts';

export type OscalLocation = {
  fileName: string;
  /** RFC 6901 pointer into the JSON model, e.g. `/catalog/groups/3/controls/0/id`. */
  pointer?: string;
  line?: number;
  column?: number;
};

export class OscalInputError extends InvalidInputError {
  readonly location: OscalLocation;
  constructor(message: string, location: OscalLocation) {
    // The whole document (pointer "") is named "/", so a problem's field list is never empty then.
    super(`${describe(location)}: ${message}`, location.pointer !== undefined ? [{ path: location.pointer || '/', message }] : undefined);
    this.location = location;
  }
}

function describe(loc: OscalLocation): string {
  let where = loc.fileName;
  if (loc.line !== undefined) where += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
  if (loc.pointer !== undefined) where += ` at ${loc.pointer || '/'}`;
  return where;
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
