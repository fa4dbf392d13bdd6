import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoggedRequest } from './types.js';

export const REDACTED = '[redacted]';

/** Header names lower-cased, lists joined; the bearer token never reaches the log. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    result[name] = name === 'authorization' ? redactAuthorization(text) : text;
  }
  return result;
}

function redactAuthorization(value: string): string {
  const scheme = /^(\S+)\s/.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

export class RequestLog {
  private readonly origin = performance.now();
  private entries: LoggedRequest[] = [];

  /** Milliseconds since the emulator started. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 1000) / 1000;
  }

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  list(): LoggedRequest[] {
    return structuredClone(this.entries).sort((a, b) => a.at - b.at);
  }

  clear(): void {
    this.entries = [];
  }
}
