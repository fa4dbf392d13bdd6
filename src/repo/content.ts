import { isUtf8 } from 'node:buffer';
import type { Problem } from './problem.js';

// car-api.md: "a script is at most 500 KB", undocumented whether 500,000 or 512,000 bytes.
export const SCRIPT_MAX_BYTES = 512_000;
export const SCRIPT_WARN_BYTES = 500_000;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** 1-based line and column of a byte offset; the column counts characters, as editors do. */
export function positionOfByte(content: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = content.indexOf(0x0a); i >= 0 && i < offset; i = content.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: content.toString('utf8', lineStart, offset).length + 1 };
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates), or -1. */
export function firstInvalidUtf8Offset(content: Buffer): number {
  for (let i = 0; i < content.length; ) {
    const lead = content[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = content[i + k];
      if (byte === undefined) return i;
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** Problems of text that must be UTF-8 without NUL bytes: meta.yaml, defaults.yaml and scripts. */
export function encodingProblems(file: string, content: Buffer): Problem[] {
  const problems: Problem[] = [];
  if (!isUtf8(content)) {
    const offset = firstInvalidUtf8Offset(content);
    const byte = content[offset] ?? 0;
    problems.push({
      file,
      ...positionOfByte(content, offset),
      message: `not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); save the file as UTF-8`,
    });
  }
  const nul = content.indexOf(0);
  if (nul >= 0) {
    problems.push({ file, ...positionOfByte(content, nul), message: 'holds a NUL byte; a script must be text, not binary' });
  }
  return problems;
}

const BLANK_BYTES = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

function isBlank(content: Buffer): boolean {
  for (const byte of content) if (!BLANK_BYTES.has(byte)) return false;
  return true;
}

export interface ContentCheck {
  problems: Problem[];
  warnings: Problem[];
}

/** Rules on a script's bytes: CAR's size limit, text encoding, and what breaks bash. */
export function scriptContentProblems(file: string, content: Buffer): ContentCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const whole = { file, line: 1, column: 1 };
  if (content.length === 0) {
    problems.push({ ...whole, message: 'script is empty' });
    return { problems, warnings };
  }
  if (content.length > SCRIPT_MAX_BYTES) {
    problems.push({ ...whole, message: `script is ${content.length.toLocaleString('en-US')} bytes; CAR accepts at most ${SCRIPT_MAX_BYTES.toLocaleString('en-US')} bytes` });
  } else if (content.length > SCRIPT_WARN_BYTES) {
    warnings.push({ ...whole, message: `script is ${content.length.toLocaleString('en-US')} bytes, over CAR's documented 500 KB; CAR may refuse it if that means 500,000 bytes` });
  }
  const encoding = encodingProblems(file, content);
  problems.push(...encoding);
  if (encoding.length === 0 && isBlank(content)) {
    problems.push({ ...whole, message: 'script holds only whitespace' });
  }
  if (file.endsWith('.sh')) {
    if (content.subarray(0, 3).equals(UTF8_BOM)) {
      problems.push({ ...whole, message: 'shell script starts with a UTF-8 byte order mark, which breaks its first line; save it without BOM' });
    }
    const crlf = content.indexOf('\r\n');
    if (crlf >= 0) {
      problems.push({
        file,
        ...positionOfByte(content, crlf),
        message: 'shell script has CRLF (Windows) line endings, which break bash; convert it to LF (dos2unix) and add "*.sh text eol=lf" to .gitattributes',
      });
    }
  }
  return { problems, warnings };
}
