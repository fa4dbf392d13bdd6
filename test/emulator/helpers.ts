import { onTestFinished } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../src/emulator/server.js';

export const CREATE_ACCEPT = 'application/vnd.qualys.car.api.v5.0+json';
export const UPDATE_ACCEPT = 'application/vnd.qualys.car.api.v4.0+json';

export { SEED_CREATE_BODY, SEED_UPDATE_BODY } from '../support/seed-samples.js';

/** A minimal valid create body, with a distinct title. */
export function simpleBody(title: string, content = 'echo hello'): Record<string, unknown> {
  return { title, content: Buffer.from(content).toString('base64'), platform: 'LINUX', hasParameters: false };
}

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const running = await startEmulator(options);
  onTestFinished(() => running.close());
  return running;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  accept?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
}

export async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.accept) headers.Accept = options.accept;
  if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const response = await fetch(`${url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function create(url: string, token: string, body: unknown, options: CallOptions = {}): Promise<Answer> {
  return call(url, 'POST', '/sm/v5/script', { accept: CREATE_ACCEPT, token, body, ...options });
}

export function update(url: string, token: string, id: number | string, body: unknown, options: CallOptions = {}): Promise<Answer> {
  return call(url, 'PATCH', `/sm/v4/script/${id}`, { accept: UPDATE_ACCEPT, token, body, ...options });
}

export function login(url: string, form: Record<string, string>): Promise<Answer> {
  return call(url, 'POST', '/auth', {
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(form).toString(),
  });
}

/** The id of a successful create. */
export function createdId(answer: Answer): number {
  const id = (answer.json as { body?: { id?: unknown } } | undefined)?.body?.id;
  if (answer.status !== 200 || typeof id !== 'number') throw new Error(`create failed: ${answer.status} ${answer.text}`);
  return id;
}
