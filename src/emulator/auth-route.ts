import { timingSafeEqual } from 'node:crypto';
import { type Exchange, mediaType, readBody, sendError, sendText } from './http-io.js';
import { REDACTED } from './request-log.js';
import type { EmulatorState } from './state.js';

const MAX_FORM_BYTES = 64 * 1024;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `POST /auth`: form-encoded username, password and token=true; 201 with the bare JWT as text.
 * Not rate limited, as at Qualys.
 */
export async function handleAuth(state: EmulatorState, exchange: Exchange): Promise<void> {
  const type = mediaType(exchange.req.headers['content-type']);
  const raw = await readBody(exchange.req, MAX_FORM_BYTES);
  if (type !== 'application/x-www-form-urlencoded') {
    return sendError(exchange, 415, `/auth expects Content-Type application/x-www-form-urlencoded, got ${type ?? 'none'}.`);
  }
  // URLSearchParams decodes exactly as a form does ("+" is a space, %XX escapes), so a client that
  // forgets to encode a password containing &, + or % sends a different password and is refused.
  const form = new URLSearchParams(raw.toString('utf8'));
  const logged: Record<string, string> = Object.fromEntries(form);
  if ('password' in logged) logged.password = REDACTED;
  exchange.entry.body = logged;

  const username = form.get('username');
  const password = form.get('password');
  if (form.get('token') !== 'true') return sendError(exchange, 400, '/auth needs token=true in the form to answer with a token.');
  if (!username || password === null) return sendError(exchange, 400, '/auth needs both username and password in the form.');
  const user = state.users.get(username);
  if (!user || !sameSecret(user.password, password)) return sendError(exchange, 401, 'Invalid username or password.');
  sendText(exchange, 201, state.tokens.issue(user.username));
}
