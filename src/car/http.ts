import type { Dispatcher } from 'undici';
import { describeProxy, proxyFor } from './proxy.js';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** An HTTP answer, whatever its status; the body is read whole (CAR's answers are small). */
export interface HttpAnswer {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

export interface HttpCall {
  method: 'POST' | 'PATCH';
  /** Below the base URL, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/**
 * Why no answer came: `timeout` (ours), `aborted` (the caller's signal), `network` (refused, reset,
 * proxy refused the tunnel ...). `notSent` only when the request provably never reached the server.
 */
export class TransportError extends Error {
  constructor(
    readonly reason: 'timeout' | 'aborted' | 'network',
    message: string,
    readonly notSent: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

// Failures before a connection exists: the request cannot have reached CAR.
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: { code?: unknown }[]; cause?: { code?: unknown } };
  const code = e?.code ?? e?.errors?.[0]?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeNetworkError(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message || code || 'unknown error';
}

/**
 * One keep-alive connection pool to the CAR gateway, through a proxy when the environment asks for
 * one. Redirects are never followed: the token must not leave the gateway's origin.
 */
export class CarTransport {
  /** Loaded on the first call: a plan, or an apply with nothing to change, never pays undici's ~50 ms load. */
  private dispatcher: Promise<Dispatcher> | undefined;
  private readonly createDispatcher: () => Promise<Dispatcher>;
  private readonly origin: string;
  private readonly basePath: string;
  /** For messages: "via http://proxy:3128", never the proxy's credentials. */
  readonly route: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs: number,
    env: NodeJS.ProcessEnv,
  ) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    const options = {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 30_000) },
    };
    const proxy = proxyFor(url, env);
    this.createDispatcher = async () => {
      const { Agent, ProxyAgent } = await import('undici');
      return proxy ? new ProxyAgent({ ...options, uri: proxy }) : new Agent(options);
    };
    this.route = proxy ? ` via ${describeProxy(proxy)}` : '';
  }

  async send(call: HttpCall): Promise<HttpAnswer> {
    if (call.signal?.aborted) throw new TransportError('aborted', 'cancelled before it was sent', true);
    let dispatcher: Dispatcher;
    try {
      dispatcher = await (this.dispatcher ??= this.createDispatcher());
    } catch (err) {
      this.dispatcher = undefined;
      throw new TransportError('network', describeNetworkError(err), true);
    }
    if (call.signal?.aborted) throw new TransportError('aborted', 'cancelled before it was sent', true);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await dispatcher.request({
        origin: this.origin,
        path: this.basePath + call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: controller.signal,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    } catch (err) {
      const code = errorCode(err);
      if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw new TransportError('timeout', `no answer within ${Math.round(this.timeoutMs / 1000)} s`, false);
      }
      if (call.signal?.aborted) throw new TransportError('aborted', 'cancelled while in flight', false);
      // undici's words when the proxy refuses the CONNECT tunnel: nothing reached CAR.
      const tunnelRefused = code === 'UND_ERR_ABORTED' && /Tunneling/i.test((err as Error).message);
      const notSent = tunnelRefused || (code !== undefined && NOT_CONNECTED_CODES.has(code));
      throw new TransportError('network', describeNetworkError(err), notSent);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    const dispatcher = await this.dispatcher?.catch(() => undefined);
    await dispatcher?.close();
  }
}
