import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { CREATE_ACCEPT, SEED_CREATE_BODY } from './helpers.js';

let emulator: RunningEmulator | undefined;
afterEach(() => emulator?.close());

describe('a client that goes away mid-call', () => {
  it('does not keep counting as a running call', async () => {
    emulator = await startEmulator({ latencyMs: 100, concurrencyLimit: 1 });
    const url = new URL('/sm/v5/script', emulator.url);
    const token = emulator.issueToken('demo');
    const body = JSON.stringify(SEED_CREATE_BODY);
    const req = request(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: CREATE_ACCEPT, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('error', () => {});
    // Half the body, then hang up while the emulator is still in its latency.
    req.write(body.slice(0, 10));
    while (emulator.running() === 0) await new Promise((r) => setTimeout(r, 5));
    req.destroy();
    for (let i = 0; i < 100 && emulator.running() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(emulator.running()).toBe(0);
    expect(emulator.scripts()).toHaveLength(0);

    const ok = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, Accept: CREATE_ACCEPT, 'Content-Type': 'application/json' }, body });
    expect(ok.status).toBe(200);
  });
});
