import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readSimpleYaml } from '../../src/repo/simple-yaml.js';
import { parseYaml, positionOf } from '../../src/repo/yaml.js';

/** The full parser's reading, as parseYaml does it; undefined when it reports an error. */
function fullValue(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  return doc.errors.length > 0 ? undefined : doc.toJS();
}

/** The one rule: the simple reader either declines or agrees with the full parser exactly. */
function expectAgreement(text: string): void {
  const simple = readSimpleYaml(text);
  if (simple === undefined) return;
  expect({ text, value: simple }).toEqual({ text, value: fullValue(text) });
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml') || file.endsWith('.yml'))
    .map((file) => path.join(dir, file));
}

const META = [
  '# yaml-language-server: $schema=../../../../src/repo/meta.schema.json',
  'title: Install and enable the audit daemon',
  'description: >-',
  '  Installs the audit package (auditd) when it is missing, then enables and starts the auditd',
  '  service so that kernel audit events are recorded and survive a reboot.',
  'severity: 4',
  '# The tenant\'s id for "Control ID Remediation" scripts.',
  'typeId: 6',
  'scriptApprovalUserConsent: false',
  'parameters:',
  '  MAX_DAYS: 90',
  '  MODE: strict',
  'autorScriptsMetadata:',
  '  cid: "994911"',
  '  tech:',
  '    - Ubuntu 20.x',
  '    - Debian GNU/Linux 10.x',
  '  policies:',
  '  - linux',
  "  displayName: 'Install the ''audit'' package'",
  '  subType: Response',
  '',
].join('\n');

describe('readSimpleYaml', () => {
  it('reads the meta.yaml and defaults.yaml of the bundled example, exactly as the full parser does', () => {
    const files = yamlFilesUnder(path.resolve('scripts-example'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(readSimpleYaml(text), file).toBeDefined();
      expectAgreement(text);
    }
  });

  it('reads the usual forms: folded and quoted text, lists at or below their key, nested maps, comments', () => {
    expect(readSimpleYaml(META)).toEqual(fullValue(META));
    expect(readSimpleYaml(META)).toMatchObject({ autorScriptsMetadata: { displayName: "Install the 'audit' package", policies: ['linux'] } });
  });

  it('folds, keeps and chomps block scalars as YAML does, after a document start or not', () => {
    const cases = [
      'd: >-\n  one\n  two\n\n  three\n\n\n  four\nx: 1\n',
      'd: >\n  one\n  two\n\nx: 1\n',
      'd: |\n  one\n    indented\n  # not a comment\n\n  two\n',
      'd: |-\n  one\n  two\n# a comment after the block\nx: y\n',
      'a:\n  d: >-\n    deep\n    text\n  e: f\n',
      '# a comment, then the document start\n---\nd: >-\n  text\n',
    ];
    for (const text of cases) {
      expect(readSimpleYaml(text), text).toBeDefined();
      expectAgreement(text);
    }
  });

  it('ends a plain value at a comment, and takes a comment after a quoted value or instead of one', () => {
    const text = [
      'title: Install auditd # the title CAR shows',
      'severity: 4  # high',
      'note: a#b',
      'cid: "994911" # quoted',
      "name: 'it''s' # single-quoted",
      'parameters: # below',
      '  A: x',
      'tech:',
      '  - Ubuntu 20.x # LTS',
      '',
    ].join('\n');
    expect(readSimpleYaml(text)).toEqual({ title: 'Install auditd', severity: 4, note: 'a#b', cid: '994911', name: "it's", parameters: { A: 'x' }, tech: ['Ubuntu 20.x'] });
    expectAgreement(text);
  });

  it('declines what it is not sure of, and the full parser reads it', () => {
    const declined = [
      'title: Disable TLS: 1.0\n',
      'title: "a" b\n',
      'd: >- # folded\n  text\n',
      'n: 1.0\n',
      'n: 012\n',
      'n: 0x1F\n',
      'd: 2001-12-14\n',
      'v: ~\n',
      'v: null\n',
      'tech: [a, b]\n',
      'a: &x 1\nb: *x\n',
      'title: "a\\tb"\n',
      'title: a\ntitle: b\n',
      'title: a\n  continued\n',
      'd: >2-\n   text\n',
      'd: >+\n  text\n\n',
      'd: >\n  a\n    more\n  b\n',
      'title:\tx\n',
      'title: x\r\n',
      'title: x\n---\ntitle: y\n',
      '--- title: x\n',
      '- a\n- b\n',
      'just a scalar\n',
      '',
      '# only a comment\n',
      'title: no final newline',
      '"quoted key": x\n',
      'tech:\n  - a: b\n',
    ];
    for (const text of declined) expect(readSimpleYaml(text), text).toBeUndefined();
  });

  it('never disagrees with the full parser, over thousands of mutations of real meta.yaml files', () => {
    const commented = 'title: Install auditd # shown in CAR\nseverity: 4 # high\ncid: "994911" # quoted\ntech:\n  - Ubuntu 20.x # LTS\nempty: # none\n';
    // A fixed-seed generator: the same inputs on every run, so a failure can be replayed.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = [' ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '>', '|', '-', '\n', '\n  ', '  ', 'x', '1', '0', 'true', 'null', '~', '[', '{', '&', '*', '!', '%', '@', '`', '?', ',', '.', '+'];
    let accepted = 0;
    for (let trial = 0; trial < 4000; trial++) {
      let text = trial % 2 === 0 ? META : commented;
      for (let edit = 0; edit < 1 + random(3); edit++) {
        const at = random(text.length);
        const piece = pieces[random(pieces.length)]!;
        text = random(4) === 0 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + piece + text.slice(at);
      }
      if (readSimpleYaml(text) !== undefined) accepted++;
      expectAgreement(text);
    }
    // Most single edits leave the file in the subset: the check above really compared values.
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('parseYaml over a file the simple reader read', () => {
  it('still points at lines and columns, parsing fully only when asked', () => {
    const { parsed, problems } = parseYaml(META, 'scripts/x/meta.yaml');
    expect(problems).toEqual([]);
    expect(parsed.value).toEqual(fullValue(META));
    expect(positionOf(parsed, '/severity')).toEqual({ line: 6, column: 11 });
    expect(positionOf(parsed, '/autorScriptsMetadata/tech/1')).toEqual({ line: 17, column: 7 });
    expect(positionOf(parsed, '/autorScriptsMetadata', 'policies')).toEqual({ line: 18, column: 3 });
  });
});
