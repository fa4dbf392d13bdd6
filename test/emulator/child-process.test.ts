import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StoredScript } from '../../src/emulator/server.js';
import { call, create, login, simpleBody } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the emulator as a child process', () => {
  it('serves the inspection endpoints and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'car-emulator-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const entry = path.join(dir, 'run-emulator.mjs');
    await build({ entryPoints: [path.join(here, 'fixtures/run-emulator.ts')], outfile: entry, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });

    const child = spawn(process.execPath, [entry, '--user', 'ops:p&ss:team-a', '--first-id', '700'], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (found && output.includes('Ctrl+C')) resolve(found);
      });
      void exited.then(() => reject(new Error(`emulator exited early:\n${output}`)));
    });

    const token = (await login(url, { username: 'ops', password: 'p&ss', token: 'true' })).text;
    expect((await create(url, token, simpleBody('from a child'))).status).toBe(200);
    const scripts = (await call(url, 'GET', '/__emulator/scripts', { contentType: null })).json as StoredScript[];
    expect(scripts).toMatchObject([{ id: 700, tag: 'team-a', createdBy: 'ops', body: { title: 'from a child' } }]);
    expect(((await call(url, 'GET', '/__emulator/requests', { contentType: null })).json as unknown[]).length).toBe(2);
    expect((await call(url, 'POST', '/__emulator/reset', { contentType: null })).status).toBe(204);
    expect((await call(url, 'GET', '/__emulator/scripts', { contentType: null })).json).toEqual([]);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('CAR emulator stopped.');
    expect(output).not.toContain('p&ss');
  });
});
