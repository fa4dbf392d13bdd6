import { createHash } from 'node:crypto';
import type { ControlIdMetadata, Script, ScriptMeta } from '../repo/script.js';

/** The JSON body of `POST /sm/v5/script`, field for field and type for type as in the seed. */
export interface CarScriptBody {
  title: string;
  content: string;
  description?: string;
  platform: string;
  /** The seed sends severity as a string ("3"). */
  severity?: string;
  threshold?: number;
  thresholdTimeUnit?: string;
  typeId?: number;
  languageId?: number;
  categoryId?: number;
  scriptApprovalUserConsent?: boolean;
  hasParameters: boolean;
  params?: { key: string; value: string }[];
  autorScriptsMetadata?: ControlIdMetadata;
}

/** The body of `PATCH /sm/v4/script/{id}`: the create body plus the reason for the change. */
export interface CarScriptUpdateBody extends CarScriptBody {
  comment: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function carScriptBody(meta: ScriptMeta, content: Buffer): CarScriptBody {
  const params = meta.parameters ? Object.entries(meta.parameters) : [];
  const body: CarScriptBody = {
    title: meta.title,
    content: content.toString('base64'),
    description: meta.description,
    platform: meta.platform,
    severity: meta.severity === undefined ? undefined : String(meta.severity),
    threshold: meta.threshold,
    thresholdTimeUnit: meta.thresholdTimeUnit,
    typeId: meta.typeId,
    languageId: meta.languageId,
    categoryId: meta.categoryId,
    scriptApprovalUserConsent: meta.scriptApprovalUserConsent,
    hasParameters: params.length > 0,
    params: params.length > 0 ? params.map(([key, value]) => ({ key: b64(key), value: b64(value) })) : undefined,
    autorScriptsMetadata: meta.autorScriptsMetadata,
  };
  for (const key of Object.keys(body) as (keyof CarScriptBody)[]) {
    if (body[key] === undefined) delete body[key];
  }
  return body;
}

/**
 * Key order fixed so the hash does not depend on how the YAML was written. Loops rather than
 * entries/filter/sort/map: a plan of 10,000 scripts calls it 10,000 times, and this halves its
 * cost. `sort()` orders by UTF-16 code units, as a `<` comparison does, so the text is unchanged.
 */
function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== undefined) text += `${text === '' ? '' : ','}${quotedKey(key)}:${canonicalJson(object[key])}`;
  }
  return `{${text}}`;
}

/** Field names are few and repeat for every script. */
const QUOTED_KEYS = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) QUOTED_KEYS.set(key, (quoted = JSON.stringify(key)));
  return quoted;
}

const NO_CONTENT = Buffer.alloc(0);

/** The hash the planner compares: the content and every field CAR receives, nothing else. */
export function scriptHash(meta: ScriptMeta, content: Buffer): string {
  // The content is hashed as bytes below: its base64 would only be thrown away, and an undefined
  // field is left out of the JSON (cheaper than `{ content, ...fields }`, a slow copy in V8).
  const fields: Omit<CarScriptBody, 'content'> & { content?: string } = carScriptBody(meta, NO_CONTENT);
  fields.content = undefined;
  return createHash('sha256')
    .update(canonicalJson(fields))
    .update('\0')
    .update(content)
    .digest('hex');
}

export function carUpdateBody(script: Script, comment: string): CarScriptUpdateBody {
  return { ...carScriptBody(script.meta, script.content), comment };
}
