import { handleAuth } from './auth-route.js';
import { type Exchange, sendJson, sendNoContent } from './http-io.js';
import { handleScriptCall } from './script-routes.js';
import type { EmulatorState } from './state.js';

type Handler = (state: EmulatorState, exchange: Exchange) => Promise<void> | void;

/** Not part of CAR: lets tests that run the emulator as a child process see what it holds. */
export const INSPECTION_PREFIX = '/__emulator/';

interface Route {
  /** Method -> handler; any other method is answered 405. */
  methods: Record<string, Handler>;
}

const EXACT_ROUTES: Record<string, Route> = {
  '/auth': { methods: { POST: handleAuth } },
  '/sm/v5/script': { methods: { POST: (state, exchange) => handleScriptCall(state, exchange, { kind: 'create' }) } },
  '/__emulator/scripts': { methods: { GET: (state, exchange) => sendJson(exchange, 200, state.store.list()) } },
  '/__emulator/requests': { methods: { GET: (state, exchange) => sendJson(exchange, 200, state.log.list()) } },
  '/__emulator/reset': {
    methods: {
      POST: (state, exchange) => {
        state.reset();
        sendNoContent(exchange);
      },
    },
  },
};

const UPDATE_PATH = /^\/sm\/v4\/script\/([^/]+)$/;

export function findRoute(path: string): Route | undefined {
  const exact = EXACT_ROUTES[path];
  if (exact) return exact;
  const rawId = UPDATE_PATH.exec(path)?.[1];
  if (rawId === undefined) return undefined;
  return { methods: { PATCH: (state, exchange) => handleScriptCall(state, exchange, { kind: 'update', rawId }) } };
}
