import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Offset, positionOfByte, SCRIPT_MAX_BYTES, SCRIPT_WARN_BYTES, scriptContentProblems } from '../../src/repo/content.js';

const ofSize = (size: number) => Buffer.concat([Buffer.from('#!/bin/bash\n'), Buffer.alloc(size - 12, 'a')]);
const lines = (check: { problems: { line: number; column: number; message: string }[] }) => check.problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe('script content rules', () => {
  it('accepts a plain script', () => {
    expect(scriptContentProblems('s/script.sh', Buffer.from('#!/bin/bash\necho "héllo ✓"\n'))).toEqual({ problems: [], warnings: [] });
  });

  it('refuses more than 512,000 bytes and warns above 500,000 (car-api.md)', () => {
    expect(SCRIPT_MAX_BYTES).toBe(512_000);
    expect(SCRIPT_WARN_BYTES).toBe(500_000);
    expect(scriptContentProblems('s/script.sh', ofSize(500_000))).toEqual({ problems: [], warnings: [] });
    const warned = scriptContentProblems('s/script.sh', ofSize(500_001));
    expect(warned.problems).toEqual([]);
    expect(warned.warnings.map((w) => w.message)).toEqual([expect.stringContaining('script is 500,001 bytes')]);
    expect(scriptContentProblems('s/script.sh', ofSize(512_000)).problems).toEqual([]);
    const refused = scriptContentProblems('s/script.sh', ofSize(512_001));
    expect(refused.problems.map((p) => p.message)).toEqual(['script is 512,001 bytes; CAR accepts at most 512,000 bytes']);
    expect(refused.warnings).toEqual([]);
  });

  it('refuses an empty script and one of whitespace only', () => {
    expect(lines(scriptContentProblems('s/script.ps1', Buffer.alloc(0)))).toEqual(['1:1 script is empty']);
    expect(lines(scriptContentProblems('s/script.ps1', Buffer.from(' \r\n\t\n')))).toEqual(['1:1 script holds only whitespace']);
  });

  it('finds the first CRLF of a shell script, and lets PowerShell keep its CRLF', () => {
    const text = Buffer.from('#!/bin/bash\necho one\necho two\r\necho three\r\n');
    expect(lines(scriptContentProblems('s/script.sh', text))).toEqual([expect.stringMatching(/^3:9 shell script has CRLF/)]);
    expect(scriptContentProblems('s/script.ps1', text).problems).toEqual([]);
  });

  it('refuses a byte order mark in a shell script only', () => {
    const text = Buffer.from('\ufeff#!/bin/bash\necho ok\n');
    expect(lines(scriptContentProblems('s/script.sh', text))).toEqual([expect.stringMatching(/^1:1 shell script starts with a UTF-8 byte order mark/)]);
    expect(scriptContentProblems('s/script.ps1', text).problems).toEqual([]);
  });

  it('locates NUL bytes and invalid UTF-8, counting columns in characters', () => {
    expect(lines(scriptContentProblems('s/script.sh', Buffer.from('#!/bin/bash\necho é\0\n')))).toEqual(['2:7 holds a NUL byte; a script must be text, not binary']);
    const latin1 = Buffer.concat([Buffer.from('#!/bin/bash\n# ✓ ok\necho caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(lines(scriptContentProblems('s/script.sh', latin1))).toEqual(['3:9 not valid UTF-8 (byte 0xe9); save the file as UTF-8']);
  });
});

describe('firstInvalidUtf8Offset', () => {
  it('agrees with a strict decoder on valid text', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('ascii é ✓ 𝄞'))).toBe(-1);
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short by the end', [0x61, 0x62, 0xe2, 0x9c], 2],
    ['a sequence cut short by ASCII', [0xe2, 0x41, 0x41], 0],
  ])('finds %s', (_name, bytes, offset) => {
    const buffer = Buffer.from(bytes);
    expect(firstInvalidUtf8Offset(buffer)).toBe(offset);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer)).toThrow();
  });

  it('turns byte offsets into 1-based lines and character columns', () => {
    const buffer = Buffer.from('ab\nçd\n\nx');
    expect(positionOfByte(buffer, 0)).toEqual({ line: 1, column: 1 });
    expect(positionOfByte(buffer, 5)).toEqual({ line: 2, column: 2 });
    expect(positionOfByte(buffer, 8)).toEqual({ line: 4, column: 1 });
  });
});
