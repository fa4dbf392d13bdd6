import { afterEach, describe, expect, it } from 'vitest';
import { CREATED, SEED_CREATE_BODY, SEED_UPDATE_BODY, UPDATED, clientFor, json, startFakeCar, type FakeCar } from './fake-car.js';

let car: FakeCar | undefined;
afterEach(async () => {
  await car?.close();
  car = undefined;
});

describe('requests match the seed samples', () => {
  it('creates with POST /sm/v5/script, the v5 Accept header, a bearer token and the body as JSON', async () => {
    car = await startFakeCar((_req, res) => json(res, 200, CREATED));
    const { client } = clientFor(car.url);
    const id = await client.createScript(SEED_CREATE_BODY);
    await client.close();

    expect(id).toBe(100504);
    expect(car.requests).toHaveLength(1);
    const [request] = car.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/sm/v5/script');
    expect(request!.headers.accept).toBe('application/vnd.qualys.car.api.v5.0+json');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toBe('Bearer static-token-abc');
    const sent = JSON.parse(request!.body);
    expect(sent).toEqual(SEED_CREATE_BODY);
    // JSON types exactly as in the seed's sample.
    expect(typeof sent.severity).toBe('string');
    expect(typeof sent.threshold).toBe('number');
    expect(typeof sent.typeId).toBe('number');
    expect(typeof sent.languageId).toBe('number');
    expect(typeof sent.scriptApprovalUserConsent).toBe('boolean');
    expect(typeof sent.hasParameters).toBe('boolean');
    expect(Array.isArray(sent.autorScriptsMetadata.tech)).toBe(true);
    expect(Object.keys(sent)).toEqual(Object.keys(SEED_CREATE_BODY));
  });

  it('updates with PATCH /sm/v4/script/{id}, the v4 Accept header, and the comment in the body', async () => {
    car = await startFakeCar((_req, res) => json(res, 200, UPDATED));
    const { client } = clientFor(car.url);
    await client.updateScript(100010, SEED_UPDATE_BODY);
    await client.close();

    const [request] = car.requests;
    expect(request!.method).toBe('PATCH');
    expect(request!.url).toBe('/sm/v4/script/100010');
    expect(request!.headers.accept).toBe('application/vnd.qualys.car.api.v4.0+json');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.authorization).toBe('Bearer static-token-abc');
    const sent = JSON.parse(request!.body);
    expect(sent).toEqual(SEED_UPDATE_BODY);
    expect(typeof sent.comment).toBe('string');
    expect(typeof sent.severity).toBe('string');
    expect(typeof sent.threshold).toBe('number');
  });

  it('keeps a path prefix of the base URL (private cloud gateways)', async () => {
    car = await startFakeCar((_req, res) => json(res, 200, CREATED));
    const { client } = clientFor(`${car.url}/qualys/`);
    await client.createScript(SEED_CREATE_BODY);
    await client.close();
    expect(car.requests[0]!.url).toBe('/qualys/sm/v5/script');
  });

  it('reuses one keep-alive connection for successive calls', async () => {
    const sockets = new Set<unknown>();
    car = await startFakeCar((req, res) => {
      sockets.add(res.socket?.remotePort);
      json(res, 200, req.method === 'POST' ? CREATED : UPDATED);
    });
    const { client } = clientFor(car.url, { concurrency: 1 });
    for (let i = 0; i < 5; i++) await client.updateScript(100010, SEED_UPDATE_BODY);
    await client.close();
    expect(car.requests).toHaveLength(5);
    // undici may open a second socket while the first is handed back; five would mean no keep-alive.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });
});
