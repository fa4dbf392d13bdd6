import { describe, expect, it } from 'vitest';
import defaultsSchema from '../../src/repo/defaults.schema.json' with { type: 'json' };
import metaSchema from '../../src/repo/meta.schema.json' with { type: 'json' };
import { didYouMean, levenshtein } from '../../src/repo/did-you-mean.js';
import { schemaProblems, type MetadataFileKind } from '../../src/repo/schema.js';
import { parseYaml } from '../../src/repo/yaml.js';

function check(text: string, kind: MetadataFileKind = 'meta') {
  const { parsed, problems } = parseYaml(text, kind === 'meta' ? 'scripts/x/meta.yaml' : 'scripts/defaults.yaml');
  expect(problems).toEqual([]);
  return schemaProblems(parsed, kind).map((p) => `${p.line}:${p.column} ${p.message}`);
}

describe('meta.yaml schema', () => {
  it('accepts every field CAR takes, with the names CAR gives them', () => {
    const full = [
      'title: Install auditd',
      'description: Installs the audit package',
      'platform: UNIX',
      'severity: 5',
      'threshold: 2',
      'thresholdTimeUnit: HOURS',
      'typeId: 6',
      'languageId: 4',
      'categoryId: 12',
      'scriptApprovalUserConsent: true',
      'parameters: { port: 22, name: root, verbose: false, ratio: 1.5 }',
      'autorScriptsMetadata:',
      '  cid: 994911',
      '  tech: [Ubuntu 20.x]',
      '  policies: [linux]',
      '  displayName: Install the audit package',
      '  subType: Detection',
    ].join('\n');
    expect(check(full)).toEqual([]);
    expect(check('title: Only a title')).toEqual([]);
  });

  it('requires a title and points at the map that lacks it', () => {
    expect(check('# comment\n\nseverity: 2\n')).toEqual(['3:1 missing required field "title"']);
  });

  it('says what a value must be and what it got', () => {
    expect(check('title: t\nseverity: high')).toEqual(['2:11 severity must be an integer from 1 to 5, got "high"']);
    expect(check('title: t\nseverity: 2.5')).toEqual(['2:11 severity must be an integer from 1 to 5, got 2.5']);
    expect(check('title: t\nseverity:')).toEqual(['2:10 severity must be an integer from 1 to 5, got an empty value']);
    expect(check('title: [a]')).toEqual(['1:8 title must be a non-empty string, got a list']);
    expect(check('title: "   "')).toEqual(['1:8 title must be a non-empty string, got "   "']);
    expect(check('title: t\ndescription: {a: 1}')).toEqual(['2:14 description must be a string, got a map']);
  });

  it('gives one message per wrong value, not one per failed keyword', () => {
    expect(check('title: t\nautorScriptsMetadata:\n  cid: "-1"\n  tech: [x]')).toEqual([
      '3:8 autorScriptsMetadata.cid must be a control ID number such as "994911", got "-1"',
    ]);
  });

  it('requires cid and tech in autorScriptsMetadata, and tech non-empty', () => {
    expect(check('title: t\nautorScriptsMetadata:\n  displayName: d')).toEqual([
      '3:3 missing required field "cid" in autorScriptsMetadata',
      '3:3 missing required field "tech" in autorScriptsMetadata',
    ]);
    expect(check('title: t\nautorScriptsMetadata: {cid: "1", tech: []}')).toEqual([
      '2:40 autorScriptsMetadata.tech must be a non-empty list of strings such as "Ubuntu 20.x", got a list',
    ]);
  });

  it('refuses unknown fields, with a hint for near misses and the list otherwise', () => {
    expect(check('title: t\nserverity: 3')).toEqual(['2:1 unknown field "serverity": did you mean severity?']);
    expect(check('title: t\nthresholdtimeunit: SECOND')).toEqual(['2:1 unknown field "thresholdtimeunit": did you mean thresholdTimeUnit?']);
    expect(check('title: t\nautorScriptMetadata: {}')).toEqual(['2:1 unknown field "autorScriptMetadata": did you mean autorScriptsMetadata?']);
    expect(check('title: t\nowner: me')[0]).toBe(
      '2:1 unknown field "owner" of meta.yaml; the fields are title, description, platform, severity, threshold, thresholdTimeUnit, typeId, languageId, categoryId, scriptApprovalUserConsent, parameters, autorScriptsMetadata',
    );
  });

  it('hints at the right case of an enum value', () => {
    expect(check('title: t\nplatform: Windows')).toEqual(['2:11 platform must be one of WINDOWS, LINUX, UNIX, MAC, got "Windows": did you mean WINDOWS?']);
    expect(check('title: t\nplatform: SOLARIS')).toEqual(['2:11 platform must be one of WINDOWS, LINUX, UNIX, MAC, got "SOLARIS"']);
  });

  it('refuses empty parameter names and nested parameter values', () => {
    expect(check('title: t\nparameters:\n  "": 1\n  ok: [1]')).toEqual([
      '3:3 parameter names must not be empty',
      '4:7 parameters.ok must be a string, number or boolean, got a list',
    ]);
  });

  it('calls an empty meta.yaml empty', () => {
    expect(check('')).toEqual(['1:1 meta.yaml is empty; it needs at least a title']);
    expect(check('just text')).toEqual(['1:1 meta.yaml must be a map of fields such as "title: Enable auditd", got "just text"']);
  });
});

describe('defaults.yaml schema', () => {
  it('has the fields of meta.yaml but title, and requires none', () => {
    const { title: _title, ...withoutTitle } = metaSchema.properties;
    expect(defaultsSchema.properties).toEqual(withoutTitle);
    expect('required' in defaultsSchema).toBe(false);
    expect(defaultsSchema.additionalProperties).toBe(false);
  });

  it('accepts shared fields and an empty file', () => {
    expect(check('typeId: 1\nlanguageId: 2\nplatform: LINUX\nthreshold: 5\nthresholdTimeUnit: MINUTE', 'defaults')).toEqual([]);
    expect(check('', 'defaults')).toEqual([]);
    expect(check('# only a comment\n', 'defaults')).toEqual([]);
  });

  it('refuses a title, since titles must be unique', () => {
    expect(check('typeId: 1\ntitle: Shared', 'defaults')).toEqual([
      '2:1 title is not allowed in defaults.yaml: titles must be unique, so every meta.yaml sets its own',
    ]);
  });

  it('checks values and unknown keys as in meta.yaml', () => {
    expect(check('langageId: 2\nseverity: 0', 'defaults')).toEqual([
      '1:1 unknown field "langageId": did you mean languageId?',
      '2:11 severity must be an integer from 1 to 5, got 0',
    ]);
  });
});

describe('did you mean', () => {
  it('measures edits', () => {
    expect(levenshtein('serverity', 'severity')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
  });

  it('suggests a case-insensitive match or one within two edits, nothing further', () => {
    const fields = ['title', 'typeId', 'languageId', 'severity'];
    expect(didYouMean('TYPEID', fields)).toBe('typeId');
    expect(didYouMean('tittle', fields)).toBe('title');
    expect(didYouMean('langaugeId', fields)).toBe('languageId');
    expect(didYouMean('owner', fields)).toBeUndefined();
    expect(didYouMean('id', fields)).toBeUndefined();
  });
});
