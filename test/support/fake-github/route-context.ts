import type { FakeReply } from './http.js';
import type { FakeRepoState, FakeUser } from './state.js';

/** One request, routed below `/repos/{owner}/{repo}/`. */
export interface RouteContext {
  state: FakeRepoState;
  method: string;
  /** The path after `/repos/{owner}/{repo}/`, percent-decoded (`git/ref/heads/car-sync/state`). */
  rest: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  user: FakeUser;
  /** The server's own base URL, for `url` fields and `Link` headers. */
  apiUrl: string;
  /** Absolute URL of this request without its query, for `Link` headers. */
  selfUrl: string;
}

export type Route = (ctx: RouteContext, match: RegExpExecArray) => FakeReply;

export interface RouteTable {
  method: string;
  pattern: RegExp;
  handle: Route;
}

export function userJson(login: string): { login: string; type: string } {
  return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

export function stringField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}
