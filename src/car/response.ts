/**
 * Reading CAR's answers. CAR uses an envelope `{errorCode, message, body}` for create but answers an
 * update with `{id, message}`; errorCode has been seen as "0", null and absent. Fields CAR adds later
 * are ignored: a success is never refused because of something unknown.
 */

const MESSAGE_LIMIT = 500;

type Json = Record<string, unknown>;

export function parseJsonObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** CAR's own words for a failure: the envelope's message, else the body itself, shortened. */
export function carMessage(text: string): string {
  const message = parseJsonObject(text)?.message;
  if (typeof message === 'string' && message.trim()) return message.trim();
  const body = text.trim();
  if (!body) return '(empty answer)';
  return body.length > MESSAGE_LIMIT ? `${body.slice(0, MESSAGE_LIMIT)}...` : body;
}

/** A 2xx whose envelope reports an error: the message, else undefined. */
export function envelopeError(json: Json | undefined): string | undefined {
  const code = json?.errorCode;
  if (code === undefined || code === null || code === 0 || code === '') return undefined;
  if (typeof code === 'string' && /^\s*0?\s*$/.test(code)) return undefined;
  const message = typeof json?.message === 'string' && json.message.trim() ? json.message.trim() : 'no message';
  return `${message} (errorCode ${typeof code === 'string' || typeof code === 'number' ? code : JSON.stringify(code)})`;
}

function asId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }
  return undefined;
}

/** The new script's id: `body.id` as in the seed, or a top-level `id`; a number or a numeric string. */
export function createdId(json: Json | undefined): number | undefined {
  const body = json?.body;
  const nested = body && typeof body === 'object' ? asId((body as Json).id) : undefined;
  return nested ?? asId(json?.id);
}
