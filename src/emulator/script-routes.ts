import type { OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTooLargeError, dropConnection, type Exchange, mediaType, readBody, sendError, sendJson } from './http-io.js';
import { missingCommentProblem, scriptBodyProblem } from './script-body-rules.js';
import type { ScopedUser } from './script-store.js';
import type { EmulatorState } from './state.js';

/** The seed's samples send exactly these; CAR picks the API version from Accept. */
export const CREATE_ACCEPT = 'application/vnd.qualys.car.api.v5.0+json';
export const UPDATE_ACCEPT = 'application/vnd.qualys.car.api.v4.0+json';

/** Room for 512,000 bytes of content in base64 plus the other fields; above it the gateway refuses. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;

export type ScriptCall = { kind: 'create' } | { kind: 'update'; rawId: string };

type Authentication = { user: ScopedUser } | { problem: string };

function authenticate(state: EmulatorState, header: string | undefined): Authentication {
  if (!header) return { problem: 'Authorization header missing: send "Authorization: Bearer <token>" with a token from /auth.' };
  const token = /^Bearer ([^\s]+)$/.exec(header)?.[1];
  if (!token) return { problem: 'Authorization header must be "Bearer <token>".' };
  const check = state.tokens.check(token);
  if (!check.ok) {
    return { problem: check.reason === 'expired' ? 'The token has expired: ask /auth for a new one.' : 'The token is not valid.' };
  }
  const user = state.users.get(check.username);
  return user ? { user } : { problem: 'The token is not valid.' };
}

/** CAR sends these on every response so clients can pace themselves. */
function limitHeaders(state: EmulatorState): OutgoingHttpHeaders {
  return {
    'X-RateLimit-Limit': String(state.window.limit),
    'X-RateLimit-Window-Sec': String(state.window.windowSec),
    'X-RateLimit-Remaining': String(state.window.remaining(performance.now())),
    'X-Concurrency-Limit-Limit': String(state.settings.concurrencyLimit),
    'X-Concurrency-Limit-Running': String(state.running),
  };
}

function sendBlocked(state: EmulatorState, exchange: Exchange, waitMs: number, message: string): void {
  const waitSec = String(Math.ceil(waitMs / 1000));
  sendError(exchange, state.settings.rateLimitStatus, message, {
    ...limitHeaders(state),
    'X-RateLimit-ToWait-Sec': waitSec,
    'Retry-After': waitSec,
  });
}

/** `POST /sm/v5/script` and `PATCH /sm/v4/script/{id}`: auth, limits, latency, then the call itself. */
export async function handleScriptCall(state: EmulatorState, exchange: Exchange, call: ScriptCall): Promise<void> {
  const auth = authenticate(state, exchange.req.headers.authorization);
  if ('problem' in auth) return sendError(exchange, 401, auth.problem, limitHeaders(state));

  const { rateLimit, concurrencyLimit, latencyMs } = state.settings;
  const now = performance.now();
  const waitMs = state.window.waitMs(now);
  // A blocked call is neither processed nor counted, so sending it again later is safe even for a create.
  if (waitMs > 0) {
    return sendBlocked(state, exchange, waitMs, `Rate limit exceeded: ${rateLimit.calls} calls per ${rateLimit.windowSec} seconds. Retry later.`);
  }
  if (state.running >= concurrencyLimit) {
    return sendBlocked(state, exchange, 1000, `Concurrency limit exceeded: ${concurrencyLimit} calls at once. Retry later.`);
  }
  state.window.record(now);
  state.running++;
  try {
    if (latencyMs > 0) await sleep(latencyMs);
    await processScriptCall(state, exchange, call, auth.user);
  } finally {
    state.running--;
  }
}

async function readJson(state: EmulatorState, exchange: Exchange, accept: string): Promise<{ body: unknown } | undefined> {
  const { req } = exchange;
  const headers = limitHeaders(state);
  const given = req.headers.accept?.trim();
  if (given !== accept) {
    sendError(exchange, 406, `This call expects "Accept: ${accept}", got ${given ? `"${given}"` : 'none'}.`, headers);
    return undefined;
  }
  const type = mediaType(req.headers['content-type']);
  if (type !== 'application/json') {
    sendError(exchange, 415, `This call expects "Content-Type: application/json", got ${type ? `"${type}"` : 'none'}.`, headers);
    return undefined;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_JSON_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendError(exchange, 413, `The body is larger than ${MAX_JSON_BYTES} bytes.`, { ...headers, Connection: 'close' });
    return undefined;
  }
  const text = raw.toString('utf8');
  try {
    const body: unknown = JSON.parse(text);
    exchange.entry.body = body;
    return { body };
  } catch {
    exchange.entry.body = text === '' ? undefined : text.slice(0, 2000);
    sendError(exchange, 400, text === '' ? 'The body is empty; expected a JSON object.' : 'The body is not valid JSON.', headers);
    return undefined;
  }
}

async function processScriptCall(state: EmulatorState, exchange: Exchange, call: ScriptCall, user: ScopedUser): Promise<void> {
  const read = await readJson(state, exchange, call.kind === 'create' ? CREATE_ACCEPT : UPDATE_ACCEPT);
  if (!read) return;
  const problem = scriptBodyProblem(read.body, call.kind === 'update');
  if (problem) return sendError(exchange, 400, problem, limitHeaders(state));
  const body = read.body as Record<string, unknown>;
  if (call.kind === 'create') return createScript(state, exchange, body, user);
  return updateScript(state, exchange, call.rawId, body, user);
}

function injectedFailure(state: EmulatorState, exchange: Exchange): boolean {
  if (state.random() >= state.settings.failRate) return false;
  sendError(exchange, 500, 'Internal server error (injected by the emulator; nothing was stored).', limitHeaders(state));
  return true;
}

function answerLost(state: EmulatorState, exchange: Exchange): boolean {
  if (state.random() >= state.settings.lostAnswerRate) return false;
  dropConnection(exchange);
  return true;
}

function createScript(state: EmulatorState, exchange: Exchange, body: Record<string, unknown>, user: ScopedUser): void {
  const { maxScripts } = state.settings;
  if (state.store.ownedBy(user.username) >= maxScripts) {
    return sendError(exchange, 400, `User "${user.username}" already has ${maxScripts} scripts, the most CAR allows per user.`, limitHeaders(state));
  }
  if (injectedFailure(state, exchange)) return;
  const script = state.store.create(body, user);
  exchange.entry.scriptId = script.id;
  if (answerLost(state, exchange)) return;
  sendJson(exchange, 200, { errorCode: '0', message: 'Script created successfully', body: { id: script.id } }, limitHeaders(state));
}

function updateScript(state: EmulatorState, exchange: Exchange, rawId: string, body: Record<string, unknown>, user: ScopedUser): void {
  const id = /^[1-9][0-9]{0,14}$/.test(rawId) ? Number(rawId) : undefined;
  if (id === undefined) return sendError(exchange, 400, `Script id "${rawId}" is not a positive whole number.`, limitHeaders(state));
  // Tag-based user scoping: a script outside the caller's scope answers exactly like a missing one.
  const script = state.store.findVisible(id, user);
  if (!script) return sendError(exchange, 404, `Script with id ${id} not found.`, limitHeaders(state));
  const commentProblem = missingCommentProblem(script.body, body);
  if (commentProblem) return sendError(exchange, 400, commentProblem, limitHeaders(state));
  if (injectedFailure(state, exchange)) return;
  state.store.update(script, body, user);
  exchange.entry.scriptId = id;
  if (answerLost(state, exchange)) return;
  sendJson(exchange, 200, { id, message: 'Updated Successfully.' }, limitHeaders(state));
}
