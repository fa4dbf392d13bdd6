import { describe, expect, it } from 'vitest';
import { parseYaml, positionOf } from '../../src/repo/yaml.js';

const text = [
  '# yaml-language-server: $schema=../meta.schema.json', // 1
  'title: Install auditd', //                              2
  'autorScriptsMetadata:', //                              3
  '  cid: "994911"', //                                    4
  '  tech:', //                                            5
  '    - Ubuntu 20.x', //                                  6
  '    - &deb Debian 11.x', //                             7
  '  policies: [linux, *deb]', //                          8
  'parameters: { a/b: 1, "t~x": 2 }', //                   9
].join('\n');

describe('parseYaml and positionOf', () => {
  const { parsed, problems } = parseYaml(text, 'scripts/x/meta.yaml');

  it('parses to a plain value', () => {
    expect(problems).toEqual([]);
    expect(parsed.value).toMatchObject({ title: 'Install auditd', autorScriptsMetadata: { policies: ['linux', 'Debian 11.x'] } });
  });

  it('maps an ajv instancePath to the line and column of its value', () => {
    expect(positionOf(parsed, '/title')).toEqual({ line: 2, column: 8 });
    expect(positionOf(parsed, '/autorScriptsMetadata/cid')).toEqual({ line: 4, column: 8 });
    expect(positionOf(parsed, '/autorScriptsMetadata/tech/0')).toEqual({ line: 6, column: 7 });
    // The value after its anchor.
    expect(positionOf(parsed, '/autorScriptsMetadata/tech/1')).toEqual({ line: 7, column: 12 });
    expect(positionOf(parsed, '/autorScriptsMetadata/policies/1')).toEqual({ line: 8, column: 21 });
  });

  it('decodes JSON pointer escapes in keys', () => {
    expect(positionOf(parsed, '/parameters/a~1b')).toEqual({ line: 9, column: 20 });
    expect(positionOf(parsed, '/parameters/t~0x')).toEqual({ line: 9, column: 30 });
  });

  it('points at the key itself when asked for a key', () => {
    expect(positionOf(parsed, '', 'autorScriptsMetadata')).toEqual({ line: 3, column: 1 });
    expect(positionOf(parsed, '/autorScriptsMetadata', 'tech')).toEqual({ line: 5, column: 3 });
  });

  it('falls back to the nearest node for a path that is not there, and to 1:1 for an empty document', () => {
    expect(positionOf(parsed, '/autorScriptsMetadata/displayName')).toEqual({ line: 4, column: 3 });
    expect(positionOf(parsed, '')).toEqual({ line: 2, column: 1 });
    const empty = parseYaml('', 'f.yaml').parsed;
    expect(positionOf(empty, '/title')).toEqual({ line: 1, column: 1 });
  });

  it('reports syntax errors and duplicate keys with their positions, nested ones too', () => {
    const broken = parseYaml('title: a\nauto:\n  cid: 1\n  cid: 2\ntitle: b\n', 'm.yaml');
    expect(broken.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '4:3 duplicate key: a key may appear only once in a map',
      '5:1 duplicate key: a key may appear only once in a map',
    ]);
    expect(broken.parsed.value).toBeUndefined();
    const syntax = parseYaml('title: "unterminated\n', 'm.yaml');
    expect(syntax.problems).toHaveLength(1);
    expect(syntax.problems[0]!.message).toMatch(/^YAML syntax error: /);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const { problems } = parseYaml(bomb, 'm.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('YAML could not be read');
  });
});
