import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { LoggedRequest } from './types.js';

/** One request being answered, and its entry in the request log. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  entry: LoggedRequest;
}

export class BodyTooLargeError extends Error {}

/** CAR's usual error envelope. */
export function envelope(status: number, message: string): { errorCode: string; message: string; body: null } {
  return { errorCode: String(status), message, body: null };
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // A client that went away never sends 'end' (it may have gone during the emulated latency, before
    // this listener existed); without this the call would count as running forever.
    const gone = () => reject(new Error('the client closed the connection before the request was read'));
    if (req.destroyed) gone();
    req.on('close', () => {
      if (!req.complete) gone();
    });
  });
}

/** The media type of a Content-Type or Accept value, without parameters, lower-case. */
export function mediaType(value: string | undefined): string | undefined {
  return value?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function send(exchange: Exchange, status: number, contentType: string, text: string, headers: OutgoingHttpHeaders): void {
  const { res, entry } = exchange;
  if (res.destroyed || res.headersSent) {
    entry.status = res.headersSent ? res.statusCode : 0;
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  entry.status = status;
}

export function sendJson(exchange: Exchange, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(exchange, status, 'application/json', JSON.stringify(body), headers);
}

export function sendText(exchange: Exchange, status: number, text: string, headers: OutgoingHttpHeaders = {}): void {
  send(exchange, status, 'text/plain', text, headers);
}

export function sendError(exchange: Exchange, status: number, message: string, headers: OutgoingHttpHeaders = {}): void {
  sendJson(exchange, status, envelope(status, message), headers);
}

export function sendNoContent(exchange: Exchange): void {
  exchange.res.writeHead(204).end();
  exchange.entry.status = 204;
}

/** The answer is lost after the effect: the client sees a reset connection, never a status. */
export function dropConnection(exchange: Exchange): void {
  exchange.req.socket.destroy();
  exchange.entry.status = 0;
}
