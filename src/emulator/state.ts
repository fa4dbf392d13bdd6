import { seededRandom } from './prng.js';
import { RollingWindow } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { ScriptStore, type ScopedUser } from './script-store.js';
import type { EmulatorSettings } from './settings.js';
import { TokenIssuer } from './tokens.js';

/** Everything the routes share: one emulated CAR subscription. */
export class EmulatorState {
  readonly users: ReadonlyMap<string, ScopedUser>;
  readonly tokens: TokenIssuer;
  readonly store: ScriptStore;
  readonly window: RollingWindow;
  readonly log = new RequestLog();
  /** /sm calls admitted and not yet answered. */
  running = 0;
  random: () => number;

  constructor(readonly settings: EmulatorSettings) {
    this.users = new Map(settings.users.map((user) => [user.username, user]));
    this.tokens = new TokenIssuer(settings.tokenTtlSec, settings.tokens);
    this.store = new ScriptStore(settings.firstId, settings.existingScripts, settings.users[0]);
    this.window = new RollingWindow(settings.rateLimit.calls, settings.rateLimit.windowSec);
    this.random = seededRandom(settings.seed);
  }

  reset(): void {
    this.store.reset();
    this.log.clear();
    this.window.reset();
    this.random = seededRandom(this.settings.seed);
  }
}
