/**
 * What CAR accepts in the body of `POST /sm/v5/script` and `PATCH /sm/v4/script/{id}` (car-api.md and
 * the seed), checked strictly: the emulator exists to catch a client that drifts from the seed's types.
 */

/** car-api.md: refuse above 512,000 bytes of content before base64. */
export const MAX_CONTENT_BYTES = 512_000;

const PLATFORMS = ['WINDOWS', 'LINUX', 'UNIX', 'MAC'];
const TIME_UNITS = ['SECOND', 'MINUTE', 'HOUR'];
const SUB_TYPES = ['Response', 'Detection'];
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Rule = (value: unknown, field: string) => string | undefined;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
}

/** Strict base64: only the standard alphabet, padding exactly as the encoder writes it. */
export function isStrictBase64(text: string): boolean {
  return STRICT_BASE64.test(text) && Buffer.from(text, 'base64').toString('base64') === text;
}

const string: Rule = (value, field) => (typeof value === 'string' ? undefined : `"${field}" must be a string, got ${describe(value)}`);

const nonEmptyString: Rule = (value, field) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : `"${field}" must be a non-empty string, got ${describe(value)}`;

const boolean: Rule = (value, field) => (typeof value === 'boolean' ? undefined : `"${field}" must be a boolean, got ${describe(value)}`);

const positiveInteger: Rule = (value, field) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? undefined
    : `"${field}" must be a positive whole number, got ${describe(value)}`;

const oneOf =
  (allowed: readonly string[]): Rule =>
  (value, field) =>
    typeof value === 'string' && allowed.includes(value)
      ? undefined
      : `"${field}" must be one of ${allowed.join(', ')}, got ${describe(value)}`;

/** The seed sends severity as a string ("3"); a number is the classic client bug. */
const severity: Rule = (value, field) =>
  typeof value === 'string' && /^[1-5]$/.test(value) ? undefined : `"${field}" must be a string "1" to "5", got ${describe(value)}`;

const base64String: Rule = (value, field) => {
  if (typeof value !== 'string') return `"${field}" must be a base64 string, got ${describe(value)}`;
  if (value === '') return `"${field}" must not be empty`;
  return isStrictBase64(value) ? undefined : `"${field}" is not valid base64 (standard alphabet, with = padding)`;
};

const content: Rule = (value, field) => {
  const problem = base64String(value, field);
  if (problem) return problem;
  const bytes = Buffer.from(value as string, 'base64').length;
  return bytes > MAX_CONTENT_BYTES ? `"${field}" is ${bytes} bytes once decoded; CAR accepts at most ${MAX_CONTENT_BYTES}` : undefined;
};

const stringList: Rule = (value, field) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
    ? undefined
    : `"${field}" must be a list of strings, got ${describe(value)}`;

const nonEmptyStringList: Rule = (value, field) =>
  stringList(value, field) ?? ((value as unknown[]).length === 0 ? `"${field}" must list at least one entry` : undefined);

function objectProblems(value: unknown, field: string, fields: Readonly<Record<string, FieldRule>>): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`"${field}" must be an object, got ${describe(value)}`];
  const record = value as Record<string, unknown>;
  const prefix = field === '' ? '' : `${field}.`;
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!(key in fields)) problems.push(`unknown field "${prefix}${key}"`);
  }
  for (const [key, rule] of Object.entries(fields)) {
    if (!(key in record)) {
      if (rule.required) problems.push(`"${prefix}${key}" is required`);
      continue;
    }
    const problem = rule.check(record[key], `${prefix}${key}`);
    if (problem) problems.push(problem);
  }
  return problems;
}

interface FieldRule {
  required?: boolean;
  check: Rule;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// C0 controls other than tab, line feed and carriage return.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function decodesToText(base64: string): boolean {
  try {
    return !CONTROL_CHARACTER.test(utf8.decode(Buffer.from(base64, 'base64')));
  } catch {
    return false;
  }
}

/**
 * Parameter names and values are text, so their base64 must decode to UTF-8 text: this also catches
 * a name sent in clear that happens to use only base64 letters ("NAME" decodes to control bytes).
 */
const base64Text =
  (allowEmpty: boolean): Rule =>
  (value, field) => {
    if (allowEmpty && value === '') return undefined;
    const problem = base64String(value, field);
    if (problem) return problem;
    return decodesToText(value as string) ? undefined : `"${field}" does not decode to UTF-8 text; was it sent without base64 encoding?`;
  };

const PARAM_FIELDS: Record<string, FieldRule> = {
  key: { required: true, check: base64Text(false) },
  // A parameter may default to the empty string, whose base64 is empty too.
  value: { required: true, check: base64Text(true) },
};

const params: Rule = (value, field) => {
  if (!Array.isArray(value)) return `"${field}" must be a list of {key, value}, got ${describe(value)}`;
  if (value.length === 0) return `"${field}" must not be empty (send hasParameters false and no params instead)`;
  const problems = value.flatMap((item, index) => objectProblems(item, `${field}[${index}]`, PARAM_FIELDS));
  return problems.length > 0 ? problems.join('; ') : undefined;
};

const CONTROL_ID_FIELDS: Record<string, FieldRule> = {
  cid: { required: true, check: nonEmptyString },
  tech: { required: true, check: nonEmptyStringList },
  policies: { check: stringList },
  displayName: { check: string },
  subType: { check: oneOf(SUB_TYPES) },
};

const controlIdMetadata: Rule = (value, field) => {
  const problems = objectProblems(value, field, CONTROL_ID_FIELDS);
  return problems.length > 0 ? problems.join('; ') : undefined;
};

const CREATE_FIELDS: Record<string, FieldRule> = {
  title: { required: true, check: nonEmptyString },
  content: { required: true, check: content },
  description: { check: string },
  platform: { required: true, check: oneOf(PLATFORMS) },
  severity: { check: severity },
  threshold: { check: positiveInteger },
  thresholdTimeUnit: { check: oneOf(TIME_UNITS) },
  typeId: { check: positiveInteger },
  languageId: { check: positiveInteger },
  categoryId: { check: positiveInteger },
  scriptApprovalUserConsent: { check: boolean },
  hasParameters: { check: boolean },
  params: { check: params },
  autorScriptsMetadata: { check: controlIdMetadata },
};

const UPDATE_FIELDS: Record<string, FieldRule> = { ...CREATE_FIELDS, comment: { check: string } };

/** Every problem with a create (`update` false) or update body, as one message; undefined when fine. */
export function scriptBodyProblem(body: unknown, update: boolean): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `The body must be a JSON object, got ${describe(body)}.`;
  const problems = objectProblems(body, '', update ? UPDATE_FIELDS : CREATE_FIELDS);
  if (problems.length === 0) {
    const record = body as Record<string, unknown>;
    const hasParams = 'params' in record;
    if (record.hasParameters === true && !hasParams) problems.push('"params" is required when "hasParameters" is true');
    if (record.hasParameters !== true && hasParams) problems.push('"params" is sent but "hasParameters" is not true');
  }
  if (problems.length === 0) return undefined;
  return `Invalid script body: ${problems.join('; ')}.`;
}

/** Qualys asks for the reason of a change whenever the content changes. */
export function missingCommentProblem(previous: Record<string, unknown>, next: Record<string, unknown>): string | undefined {
  if (previous.content === next.content) return undefined;
  const comment = next.comment;
  return typeof comment === 'string' && comment.trim() !== '' ? undefined : '"comment" is required when the content changes.';
}
