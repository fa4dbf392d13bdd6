import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CarHttpClient } from '../../src/car/client.js';
import { CarError } from '../../src/car/errors.js';
import { describeProxy, proxyFor } from '../../src/car/proxy.js';
import { SEED_CREATE_BODY } from './fake-car.js';

const CAR = 'https://gateway.qg1.apps.qualys.com';

describe('proxyFor', () => {
  it('uses https_proxy / HTTPS_PROXY for https targets, lower case first', () => {
    expect(proxyFor(CAR, { HTTPS_PROXY: 'http://proxy.corp:3128' })).toBe('http://proxy.corp:3128');
    expect(proxyFor(CAR, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toBe('http://lower:1');
    expect(proxyFor(CAR, { https_proxy: '  ', HTTPS_PROXY: 'http://upper:2' })).toBe('http://upper:2');
    expect(proxyFor(CAR, {})).toBeUndefined();
  });

  it('does not use HTTP_PROXY for https targets, nor HTTPS_PROXY for http ones', () => {
    expect(proxyFor(CAR, { HTTP_PROXY: 'http://proxy.corp:3128' })).toBeUndefined();
    expect(proxyFor('http://car.internal', { HTTPS_PROXY: 'http://proxy.corp:3128' })).toBeUndefined();
    expect(proxyFor('http://car.internal', { http_proxy: 'http://proxy.corp:80' })).toBe('http://proxy.corp:80');
  });

  it('reads a proxy without a scheme as http', () => {
    expect(proxyFor(CAR, { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128');
  });

  it('never proxies loopback', () => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' };
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:1', 'https://localhost', 'http://[::1]:3000', 'http://127.1.2.3', 'http://car.localhost']) {
      expect(proxyFor(url, env)).toBeUndefined();
    }
  });

  it.each([
    ['*', true],
    ['qualys.com', true],
    ['.qualys.com', true],
    ['*.qualys.com', true],
    ['apps.qualys.com', true],
    ['gateway.qg1.apps.qualys.com', true],
    ['GATEWAY.QG1.APPS.QUALYS.COM', true],
    ['gateway.qg1.apps.qualys.com:443', true],
    ['gateway.qg1.apps.qualys.com:8443', false],
    ['ualys.com', false],
    ['qualys.eu', false],
    ['example.com, qualys.com', true],
    ['example.com qualys.com', true],
    ['example.com,,', false],
  ])('NO_PROXY=%s bypasses the proxy: %s', (noProxy, bypassed) => {
    const proxy = proxyFor(CAR, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy });
    expect(proxy === undefined).toBe(bypassed);
  });

  it('matches IP addresses and IPv4 ranges in NO_PROXY, and no_proxy wins over NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128' };
    expect(proxyFor('https://10.20.30.40', { ...env, NO_PROXY: '10.0.0.0/8' })).toBeUndefined();
    expect(proxyFor('https://11.20.30.40', { ...env, NO_PROXY: '10.0.0.0/8' })).toBe('http://proxy.corp:3128');
    expect(proxyFor('https://10.20.30.40', { ...env, NO_PROXY: '10.20.30.40' })).toBeUndefined();
    expect(proxyFor('https://[fd00::1]', { ...env, NO_PROXY: '[fd00::1]' })).toBeUndefined();
    expect(proxyFor(CAR, { ...env, no_proxy: 'example.com', NO_PROXY: 'qualys.com' })).toBe('http://proxy.corp:3128');
  });

  it('describes a proxy without its credentials', () => {
    expect(describeProxy('http://user:secret@proxy.corp:3128')).toBe('http://proxy.corp:3128');
  });
});

describe('through a proxy', () => {
  it('tunnels to the gateway with CONNECT, and the proxy never sees the token', async () => {
    const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
    const proxy = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(405);
      res.end();
    });
    proxy.on('connect', (req, socket) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      // A corporate proxy refusing the destination.
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const logs: string[] = [];
    const client = new CarHttpClient({
      settings: { baseUrl: CAR, token: 'tok-in-tunnel-only', timeoutMs: 5000 },
      concurrency: 1,
      env: { HTTPS_PROXY: `http://corp:pr0xy-pass@127.0.0.1:${port}` },
      log: (line) => logs.push(line),
      sleep: async () => {},
    });
    const err = (await client.createScript(SEED_CREATE_BODY).catch((e: unknown) => e)) as CarError;
    await client.close();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.method === 'CONNECT' && r.url === 'gateway.qg1.apps.qualys.com:443')).toBe(true);
    expect(seen[0]!.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('corp:pr0xy-pass').toString('base64')}`);
    expect(JSON.stringify(seen)).not.toContain('tok-in-tunnel-only');
    expect(err).toBeInstanceOf(CarError);
    expect(err.provesNotProcessed).toBe(true);
    expect(err.message).toContain(`via http://127.0.0.1:${port}`);
    for (const line of [err.message, ...logs]) expect(line).not.toContain('pr0xy-pass');
  });
});
