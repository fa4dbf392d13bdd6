import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Exchange, sendError } from './http-io.js';
import { redactHeaders } from './request-log.js';
import { findRoute, INSPECTION_PREFIX } from './routes.js';
import { resolveSettings } from './settings.js';
import { EmulatorState } from './state.js';
import type { EmulatorOptions, LoggedRequest, RunningEmulator } from './types.js';

const HOST = '127.0.0.1';

async function handleRequest(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] as string;
  const method = req.method ?? '';
  const entry: LoggedRequest = { method, path, status: 0, headers: redactHeaders(req.headers), body: undefined, at: state.log.now(), endedAt: 0 };
  const exchange: Exchange = { req, res, entry };
  try {
    const route = findRoute(path);
    const handler = route?.methods[method];
    if (!route) {
      sendError(exchange, 404, `No API at ${path}.`);
    } else if (!handler) {
      const allowed = Object.keys(route.methods).join(', ');
      sendError(exchange, 405, `${method} is not allowed on ${path}; use ${allowed}.`, { Allow: allowed });
    } else {
      await handler(state, exchange);
    }
  } catch (error) {
    sendError(exchange, 500, `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    entry.endedAt = state.log.now();
    if (!path.startsWith(INSPECTION_PREFIX)) state.log.add(entry);
  }
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `The emulator cannot listen on ${HOST}:${port}: the port is in use; pick another with --port or use 0 for a free one.`
            : `The emulator cannot listen on ${HOST}:${port}: ${error.message}`,
        ),
      );
    });
    server.listen(port, HOST, () => resolve(server.address() as AddressInfo));
  });
}

/** Starts a CAR emulator on loopback (car-api.md and the seed, checked strictly). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(resolveSettings(options));
  const server = createServer((req, res) => void handleRequest(state, req, res));
  const address = await listen(server, state.settings.port);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${address.port}`,
    scripts: () => state.store.list(),
    requests: () => state.log.list(),
    issueToken(username) {
      if (!state.users.has(username)) throw new Error(`The emulator has no user "${username}".`);
      return state.tokens.issue(username);
    },
    running: () => state.running,
    reset: () => state.reset(),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of clients would otherwise hold the server open for seconds.
        server.closeAllConnections();
      })),
  };
}
