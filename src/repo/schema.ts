import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problem.js';
import { validators } from './validators.js';
import { positionOf, type ParsedYaml } from './yaml.js';

export type MetadataFileKind = 'meta' | 'defaults';

/** What a value at a place must be, in words; `*` stands for any parameter name or list index. */
const EXPECTED: Record<string, string> = {
  '': 'a map of fields such as "title: Enable auditd"',
  title: 'a non-empty string',
  description: 'a string',
  platform: 'one of WINDOWS, LINUX, UNIX, MAC',
  severity: 'an integer from 1 to 5',
  threshold: 'a whole number of 1 or more',
  thresholdTimeUnit: 'one of SECOND, MINUTE, HOUR',
  typeId: 'a positive integer (an id from your CAR tenant)',
  languageId: 'a positive integer (an id from your CAR tenant)',
  categoryId: 'a positive integer (an id from your CAR tenant)',
  scriptApprovalUserConsent: 'true or false',
  parameters: 'a map of parameter names to default values',
  'parameters/*': 'a string, number or boolean',
  autorScriptsMetadata: 'a map with cid and tech, and optionally policies, displayName and subType',
  'autorScriptsMetadata/cid': 'a control ID number such as "994911"',
  'autorScriptsMetadata/tech': 'a non-empty list of strings such as "Ubuntu 20.x"',
  'autorScriptsMetadata/tech/*': 'a non-empty string',
  'autorScriptsMetadata/policies': 'a list of strings',
  'autorScriptsMetadata/policies/*': 'a non-empty string',
  'autorScriptsMetadata/displayName': 'a string',
  'autorScriptsMetadata/subType': 'Response or Detection',
};

function pathSegments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function expectedAt(segments: string[]): string {
  const generic = segments.map((segment, i) => (i > 0 && (segments[0] === 'parameters' || /^\d+$/.test(segment)) ? '*' : segment));
  return EXPECTED[generic.join('/')] ?? 'a valid value';
}

/** `autorScriptsMetadata.tech[0]`, `parameters.port`: how a user would name the place. */
function fieldLabel(segments: string[]): string {
  return segments.reduce((label, segment) => (/^\d+$/.test(segment) ? `${label}[${segment}]` : label ? `${label}.${segment}` : segment), '');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function fileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function unknownFieldMessage(error: ErrorObject, kind: MetadataFileKind, file: string): string {
  const key = (error.params as { additionalProperty: string }).additionalProperty;
  if (kind === 'defaults' && error.instancePath === '' && key === 'title') {
    return 'title is not allowed in defaults.yaml: titles must be unique, so every meta.yaml sets its own';
  }
  const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
  const where = error.instancePath === '' ? '' : ` in ${fieldLabel(pathSegments(error.instancePath))}`;
  const hint = didYouMean(key, known);
  if (hint !== undefined) return `unknown field "${key}"${where}: did you mean ${hint}?`;
  return `unknown field "${key}"${where} of ${fileName(file)}; the fields are ${known.join(', ')}`;
}

function valueMessage(error: ErrorObject, file: string, kind: MetadataFileKind): string {
  const segments = pathSegments(error.instancePath);
  const value = error.data;
  if (segments.length === 0) {
    if (value === null && kind === 'meta') return 'meta.yaml is empty; it needs at least a title';
    return `${fileName(file)} must be ${EXPECTED['']}, got ${describeValue(value)}`;
  }
  let message = `${fieldLabel(segments)} must be ${expectedAt(segments)}, got ${describeValue(value)}`;
  const allowed = (error.parentSchema as { enum?: unknown[] }).enum;
  if (allowed && typeof value === 'string') {
    const hint = didYouMean(value, allowed.map(String));
    if (hint !== undefined) message += `: did you mean ${hint}?`;
  }
  return message;
}

/**
 * Checks a parsed meta.yaml or defaults.yaml against its schema. One problem per unknown or
 * missing field and one per wrong value, each at the YAML node at fault.
 */
export function schemaProblems(parsed: ParsedYaml, kind: MetadataFileKind): Problem[] {
  const validate = validators[kind];
  // An empty defaults.yaml sets nothing, which is no mistake.
  if (kind === 'defaults' && (parsed.value === null || parsed.value === undefined)) return [];
  if (validate(parsed.value)) return [];
  const problems: Problem[] = [];
  const seenValuePaths = new Set<string>();
  const at = (instancePath: string, message: string, key?: string) => {
    problems.push({ file: parsed.file, ...positionOf(parsed, instancePath, key), message });
  };
  for (const error of validate.errors ?? []) {
    if (error.propertyName !== undefined) continue;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = (error.params as { additionalProperty: string }).additionalProperty;
        at(error.instancePath, unknownFieldMessage(error, kind, parsed.file), key);
        break;
      }
      case 'required': {
        const missing = (error.params as { missingProperty: string }).missingProperty;
        const where = error.instancePath === '' ? '' : ` in ${fieldLabel(pathSegments(error.instancePath))}`;
        at(error.instancePath, `missing required field "${missing}"${where}`);
        break;
      }
      case 'propertyNames':
        at(error.instancePath, 'parameter names must not be empty', (error.params as { propertyName: string }).propertyName);
        break;
      default:
        // type, enum, minimum, pattern ... on the same value say one thing: what it must be.
        if (seenValuePaths.has(error.instancePath)) break;
        seenValuePaths.add(error.instancePath);
        at(error.instancePath, valueMessage(error, parsed.file, kind));
    }
  }
  return problems;
}
