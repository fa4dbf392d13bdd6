/**
 * A reader for the plain YAML nearly every meta.yaml and defaults.yaml is written in, about ten
 * times faster than the full parser: block maps and lists, plain, quoted, folded and literal
 * scalars, comments. Anything else, and anything whose meaning it is not sure of (a value that
 * could be a float, a date or null, a tab, a duplicate key, an anchor), it declines, and
 * the full parser reads the file instead. It only gives the value: positions, which only a
 * problem needs, come from the full parser on demand.
 */

/** Thrown to give up; preallocated, since giving up is an ordinary outcome. */
const DECLINE = Symbol('decline');

interface Line {
  indent: number;
  /** After the indentation; '' for a blank line. */
  content: string;
  raw: string;
}

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]{0,99}):(?: (.*))?$/;
const BLOCK_SCALAR_HEADER = /^([|>])(-?)$/;
// Indicators, and first characters of numbers, floats, dates and `~` (null) in YAML's core schema.
const UNSURE_START = /^[-?:,[\]{}#&*!|>'"%@`+.~0-9]/;
const SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
const NULLS = new Set(['null', 'Null', 'NULL']);
// Tabs, CR, BOM, control characters and the line separators YAML 1.1 knew: the full parser decides.
const UNSURE_CHARACTERS = /[\t\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/;

class Reader {
  private index = 0;

  constructor(private readonly lines: Line[]) {}

  document(): Record<string, unknown> {
    this.skipComments();
    if (this.index >= this.lines.length || this.lines[this.index]!.indent !== 0) throw DECLINE;
    return this.map(0);
  }

  private skipComments(): void {
    while (this.index < this.lines.length) {
      const { content } = this.lines[this.index]!;
      if (content !== '' && !content.startsWith('#')) return;
      this.index++;
    }
  }

  private map(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent) return map;
      if (line.indent > indent) throw DECLINE;
      const match = KEY_LINE.exec(line.content);
      if (!match) throw DECLINE;
      const key = match[1]!;
      if (Object.hasOwn(map, key)) throw DECLINE;
      let rest = (match[2] ?? '').trim();
      // `key: # a comment`: nothing on the line but the comment.
      if (rest.startsWith('#')) rest = '';
      this.index++;
      const header = BLOCK_SCALAR_HEADER.exec(rest);
      if (rest === '') map[key] = this.nested(indent);
      else if (header) map[key] = this.blockScalar(indent, header[1] === '>', header[2] === '-');
      else map[key] = scalar(rest);
    }
  }

  /** What follows `key:` with nothing after it: a map or a list below it, or null. */
  private nested(keyIndent: number): unknown {
    this.skipComments();
    const line = this.lines[this.index];
    if (!line || line.indent < keyIndent) return null;
    const isItem = line.content === '-' || line.content.startsWith('- ');
    // A list may sit at its key's own indentation; a map may not.
    if (line.indent === keyIndent) return isItem ? this.list(keyIndent) : null;
    return isItem ? this.list(line.indent) : this.map(line.indent);
  }

  private list(indent: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      this.skipComments();
      const line = this.lines[this.index];
      if (!line || line.indent < indent || !line.content.startsWith('- ')) {
        if (line && line.indent > indent) throw DECLINE;
        return items;
      }
      if (line.indent > indent) throw DECLINE;
      const item = line.content.slice(2).trim();
      if (item === '') throw DECLINE;
      items.push(scalar(item));
      this.index++;
    }
  }

  /** `>`/`>-` (folded) and `|`/`|-` (literal) with lines of one indentation; no keep (`+`), no indicator digit. */
  private blockScalar(keyIndent: number, folded: boolean, strip: boolean): string {
    const parts: string[] = [];
    let blockIndent = -1;
    for (; this.index < this.lines.length; this.index++) {
      const line = this.lines[this.index]!;
      if (line.content === '') {
        // Leading empty lines, or spaces past the indentation (content in YAML's eyes): let the full parser decide.
        if (blockIndent < 0 || line.indent > blockIndent) throw DECLINE;
        parts.push('');
        continue;
      }
      if (blockIndent < 0) {
        if (line.indent <= keyIndent) throw DECLINE;
        blockIndent = line.indent;
      }
      if (line.indent < blockIndent) break;
      if (folded && line.indent > blockIndent) throw DECLINE;
      const text = line.raw.slice(blockIndent);
      if (text.endsWith(' ')) throw DECLINE;
      parts.push(text);
    }
    if (blockIndent < 0) throw DECLINE;
    while (parts[parts.length - 1] === '') parts.pop();
    let value: string;
    if (folded) {
      value = parts[0]!;
      let breaks = 0;
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i]!;
        if (part === '') {
          breaks++;
          continue;
        }
        value += breaks === 0 ? ' ' : '\n'.repeat(breaks);
        value += part;
        breaks = 0;
      }
    } else {
      value = parts.join('\n');
    }
    return strip ? value : `${value}\n`;
  }
}

/** After a closing quote: the end of the line, or a comment. */
const AFTER_QUOTE = /^(?: +#.*)?$/;

function quoted(text: string): string {
  if (text[0] === '"') {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.includes('\\') || !AFTER_QUOTE.test(text.slice(end + 1))) throw DECLINE;
    return text.slice(1, end);
  }
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i]!;
    if (char !== "'") {
      value += char;
    } else if (text[i + 1] === "'") {
      value += "'";
      i++;
    } else {
      if (!AFTER_QUOTE.test(text.slice(i + 1))) throw DECLINE;
      return value;
    }
  }
  throw DECLINE;
}

/** A one-line value, already trimmed, that does not start with a comment. */
function scalar(line: string): unknown {
  if (line[0] === '"' || line[0] === "'") return quoted(line);
  // A plain value ends where a comment starts: at a `#` after a space.
  const comment = line.indexOf(' #');
  const text = comment < 0 ? line : line.slice(0, comment).trimEnd();
  if (SMALL_INT.test(text)) return Number(text);
  if (UNSURE_START.test(text) || text.includes(': ') || text.endsWith(':') || NULLS.has(text)) throw DECLINE;
  const boolean = BOOLEANS[text];
  return boolean ?? text;
}

/** The document's value when it is a map written in the plain subset; undefined when the full parser must read it. */
export function readSimpleYaml(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith('\n') || UNSURE_CHARACTERS.test(text)) return undefined;
  const raws = text.split('\n');
  raws.pop();
  const lines: Line[] = [];
  let started = false;
  for (const raw of raws) {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const content = raw.slice(indent);
    const comment = content === '' || content.startsWith('#');
    // A `---` alone on a line before any content only marks where the one document starts.
    if (raw === '---' && !started) {
      started = true;
      lines.push({ indent: 0, content: '', raw: '' });
      continue;
    }
    if (content.startsWith('---') || content.startsWith('...') || content.startsWith('%')) return undefined;
    if (!comment) started = true;
    lines.push({ indent, content, raw });
  }
  try {
    return new Reader(lines).document();
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
}
