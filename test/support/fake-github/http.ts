import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers; the server adds the JSON encoding and GitHub's headers. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error shape: `{ message, documentation_url }`, and `errors` for validation failures. */
export function errorReply(status: number, message: string, errors?: unknown[]): FakeReply {
  return { status, body: { message, documentation_url: DOCS, ...(errors ? { errors } : {}) } };
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function sendReply(res: ServerResponse, reply: FakeReply): void {
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    ...reply.headers,
  });
  res.end(payload);
}

/**
 * One page of a list the way GitHub pages it: `per_page` (default 30, at most 100), `page` from 1,
 * and a `Link` header whose rel="next" URL a client follows as is.
 */
export function paginate<T>(items: T[], query: URLSearchParams, selfUrl: string): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(query.get('per_page') ?? '30', 10) || 30));
  const pageNumber = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const linkTo = (n: number) => {
    const params = new URLSearchParams(query);
    params.set('per_page', String(perPage));
    params.set('page', String(n));
    return `${selfUrl}?${params.toString()}`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(`<${linkTo(pageNumber - 1)}>; rel="prev"`, `<${linkTo(1)}>; rel="first"`);
  if (pageNumber < lastPage) links.push(`<${linkTo(pageNumber + 1)}>; rel="next"`, `<${linkTo(lastPage)}>; rel="last"`);
  return { page, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

/** GitHub wraps base64 content at 60 characters; clients must cope with the newlines. */
export function wrappedBase64(content: Buffer): string {
  const lines = content.toString('base64').match(/.{1,60}/g);
  return lines ? `${lines.join('\n')}\n` : '';
}
