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

/** Key order fixed so the hash does not depend on how the YAML was written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash the planner compares: the content and every field CAR receives, nothing else. */
export function scriptHash(meta: ScriptMeta, content: Buffer): string {
  const { content: _content, ...fields } = carScriptBody(meta, content);
  return createHash('sha256')
    .update(canonicalJson(fields))
    .update('\0')
    .update(content)
    .digest('hex');
}

export function carUpdateBody(script: Script, comment: string): CarScriptUpdateBody {
  return { ...carScriptBody(script.meta, script.content), comment };
}
