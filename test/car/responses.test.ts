import { afterEach, describe, expect, it } from 'vitest';
import { CarError } from '../../src/car/errors.js';
import { SEED_CREATE_BODY, SEED_UPDATE_BODY, clientFor, json, startFakeCar, type FakeCar } from './fake-car.js';

let car: FakeCar | undefined;
afterEach(async () => {
  await car?.close();
  car = undefined;
});

async function answerCreate(status: number, body: unknown, contentType = 'application/json') {
  car = await startFakeCar((_req, res) => {
    res.writeHead(status, { 'Content-Type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  const { client } = clientFor(car.url);
  try {
    return await client.createScript(SEED_CREATE_BODY);
  } finally {
    await client.close();
  }
}

async function answerUpdate(status: number, body: unknown) {
  car = await startFakeCar((_req, res) => json(res, status, body));
  const { client } = clientFor(car.url);
  try {
    await client.updateScript(100010, SEED_UPDATE_BODY);
  } finally {
    await client.close();
  }
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err as CarError);

describe('create answers', () => {
  it.each([
    ['the seed envelope', { errorCode: '0', message: 'Script created successfully', body: { id: 100504 } }],
    ['errorCode null', { errorCode: null, message: 'ok', body: { id: 100504 } }],
    ['errorCode absent', { message: 'ok', body: { id: 100504 } }],
    ['errorCode the number 0', { errorCode: 0, body: { id: 100504 } }],
    ['the id as a numeric string', { errorCode: '0', body: { id: '100504' } }],
    ['the id at the top level', { id: 100504, message: 'Created' }],
    ['a field CAR added later', { errorCode: '0', message: 'ok', body: { id: 100504, version: 2 }, traceId: 'abc', newThing: { x: 1 } }],
  ])('reads the id from %s', async (_name, body) => {
    expect(await answerCreate(200, body)).toBe(100504);
  });

  it('accepts 201 as well', async () => {
    expect(await answerCreate(201, { errorCode: '0', body: { id: 7 } })).toBe(7);
  });

  it('treats a 2xx without a readable id as an unknown outcome: the script may exist', async () => {
    const err = await failure(answerCreate(200, { errorCode: '0', message: 'Script created successfully' }));
    expect(err).toBeInstanceOf(CarError);
    expect(err!.kind).toBe('unknown-outcome');
    expect(err!.provesNotProcessed).toBe(false);
    expect(err!.message).toContain('Script created successfully');
  });

  it('treats a 2xx that is not JSON as an unknown outcome', async () => {
    const err = await failure(answerCreate(200, '<html>gateway</html>', 'text/html'));
    expect(err!.kind).toBe('unknown-outcome');
  });

  it('takes an id as proof of the create even beside a non-zero errorCode', async () => {
    expect(await answerCreate(200, { errorCode: 'W-1', message: 'created with warnings', body: { id: 42 } })).toBe(42);
  });

  it('treats a 2xx envelope with a non-zero errorCode as a rejection with CAR\'s message', async () => {
    const err = await failure(answerCreate(200, { errorCode: 'SM-4001', message: 'Title already exists', body: null }));
    expect(err!.kind).toBe('rejected');
    expect(err!.message).toContain('Title already exists');
    expect(err!.message).toContain('SM-4001');
  });
});

describe('update answers', () => {
  it.each([
    ['the seed answer without envelope', { id: 100010, message: 'Updated Successfully.' }],
    ['the envelope', { errorCode: '0', message: 'Updated', body: { id: 100010 } }],
    ['errorCode null and an unknown field', { errorCode: null, message: 'ok', extra: [1, 2] }],
    ['an empty object', {}],
  ])('succeeds on %s', async (_name, body) => {
    await expect(answerUpdate(200, body)).resolves.toBeUndefined();
  });

  it('fails on an envelope with a non-zero errorCode', async () => {
    const err = await failure(answerUpdate(200, { errorCode: '1', message: 'Invalid languageId' }));
    expect(err!.kind).toBe('rejected');
    expect(err!.message).toContain('Invalid languageId');
  });
});

describe('refusals carry CAR\'s message verbatim', () => {
  it('a 400 is rejected with the envelope message and the status', async () => {
    const message = 'Field "severity" must be between 1 and 5 <&> "quoted"';
    const err = await failure(answerCreate(400, { errorCode: '400', message, body: null }));
    expect(err!.kind).toBe('rejected');
    expect(err!.status).toBe(400);
    expect(err!.provesNotProcessed).toBe(true);
    expect(err!.message).toContain(message);
  });

  it('a 4xx without an envelope carries the body text, shortened', async () => {
    const text = `bad request: ${'x'.repeat(2000)}`;
    const err = await failure(answerCreate(422, text, 'text/plain'));
    expect(err!.kind).toBe('rejected');
    expect(err!.message).toContain('bad request: xxx');
    expect(err!.message.length).toBeLessThan(700);
  });

  it('404 on an update is not-found, 403 is forbidden', async () => {
    const notFound = await failure(answerUpdate(404, { message: 'Script not found' }));
    expect(notFound!.kind).toBe('not-found');
    expect(notFound!.status).toBe(404);
    expect(notFound!.message).toContain('Script not found');
    await car!.close();
    const forbidden = await failure(answerUpdate(403, { message: 'Access denied for script' }));
    expect(forbidden!.kind).toBe('forbidden');
    expect(forbidden!.message).toContain('Access denied for script');
  });
});
