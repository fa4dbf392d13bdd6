import { describe, expect, it } from 'vitest';
import { call, create, CREATE_ACCEPT, createdId, emulator, SEED_CREATE_BODY, SEED_UPDATE_BODY, simpleBody, update, UPDATE_ACCEPT } from './helpers.js';

type Body = Record<string, unknown>;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const without = (body: Body, key: string): Body => Object.fromEntries(Object.entries(body).filter(([name]) => name !== key));
const withMeta = (changes: Body): Body => ({ ...SEED_CREATE_BODY, autorScriptsMetadata: { ...SEED_CREATE_BODY.autorScriptsMetadata, ...changes } });
const params = (list: unknown): Body => ({ ...SEED_CREATE_BODY, hasParameters: true, params: list });

/** [what is wrong, body, a fragment the message must contain] */
const INVALID_CREATES: [string, unknown, string][] = [
  ['a list instead of an object', [SEED_CREATE_BODY], 'JSON object'],
  ['no title', without(SEED_CREATE_BODY, 'title'), '"title" is required'],
  ['an empty title', { ...SEED_CREATE_BODY, title: ' ' }, '"title" must be a non-empty string'],
  ['a numeric title', { ...SEED_CREATE_BODY, title: 5 }, '"title" must be a non-empty string'],
  ['no content', without(SEED_CREATE_BODY, 'content'), '"content" is required'],
  ['empty content', { ...SEED_CREATE_BODY, content: '' }, '"content" must not be empty'],
  ['content that is not base64', { ...SEED_CREATE_BODY, content: 'ls -la; exit 2;' }, '"content" is not valid base64'],
  ['base64url content', { ...SEED_CREATE_BODY, content: 'a-_b' }, '"content" is not valid base64'],
  ['unpadded base64', { ...SEED_CREATE_BODY, content: 'ZGF0ZTsgZXhpdCAyOw' }, '"content" is not valid base64'],
  ['base64 with a line break', { ...SEED_CREATE_BODY, content: 'ZGF0ZTsg\nZXhpdCAyOw==' }, '"content" is not valid base64'],
  ['content over 512,000 bytes', { ...SEED_CREATE_BODY, content: Buffer.alloc(512_001, 65).toString('base64') }, 'at most 512000'],
  ['no platform', without(SEED_CREATE_BODY, 'platform'), '"platform" is required'],
  ['a lower-case platform', { ...SEED_CREATE_BODY, platform: 'windows' }, '"platform" must be one of WINDOWS, LINUX, UNIX, MAC'],
  ['severity as a number', { ...SEED_CREATE_BODY, severity: 3 }, '"severity" must be a string "1" to "5", got the number 3'],
  ['severity out of range', { ...SEED_CREATE_BODY, severity: '6' }, '"severity" must be a string "1" to "5"'],
  ['threshold as a string', { ...SEED_CREATE_BODY, threshold: '300' }, '"threshold" must be a positive whole number'],
  ['a fractional threshold', { ...SEED_CREATE_BODY, threshold: 1.5 }, '"threshold" must be a positive whole number'],
  ['a plural time unit', { ...SEED_CREATE_BODY, thresholdTimeUnit: 'SECONDS' }, '"thresholdTimeUnit" must be one of SECOND, MINUTE, HOUR'],
  ['typeId as a string', { ...SEED_CREATE_BODY, typeId: '6' }, '"typeId" must be a positive whole number'],
  ['languageId as a string', { ...SEED_CREATE_BODY, languageId: '4' }, '"languageId" must be a positive whole number'],
  ['categoryId as a string', { ...SEED_CREATE_BODY, categoryId: '1' }, '"categoryId" must be a positive whole number'],
  ['consent as a string', { ...SEED_CREATE_BODY, scriptApprovalUserConsent: 'true' }, '"scriptApprovalUserConsent" must be a boolean'],
  ['hasParameters as a string', { ...SEED_CREATE_BODY, hasParameters: 'false' }, '"hasParameters" must be a boolean'],
  ['a null description', { ...SEED_CREATE_BODY, description: null }, '"description" must be a string, got null'],
  ['an unknown field', { ...SEED_CREATE_BODY, severityLevel: '3' }, 'unknown field "severityLevel"'],
  ['a comment on create', { ...SEED_CREATE_BODY, comment: 'first' }, 'unknown field "comment"'],
  ['hasParameters without params', { ...SEED_CREATE_BODY, hasParameters: true }, '"params" is required when "hasParameters" is true'],
  ['params without hasParameters', { ...SEED_CREATE_BODY, params: [{ key: b64('a'), value: b64('b') }] }, '"hasParameters" is not true'],
  ['an empty params list', params([]), '"params" must not be empty'],
  ['params as an object', params({ a: 'b' }), '"params" must be a list of {key, value}'],
  ['a param key in clear', params([{ key: 'MY_PARAM', value: b64('x') }]), '"params[0].key" is not valid base64'],
  ['a param key in clear that looks like base64', params([{ key: 'NAME', value: b64('x') }]), '"params[0].key" does not decode to UTF-8'],
  ['a param value in clear', params([{ key: b64('NAME'), value: 'PATH' }]), '"params[0].value" does not decode to UTF-8'],
  ['a param without value', params([{ key: b64('NAME') }]), '"params[0].value" is required'],
  ['a param with an empty key', params([{ key: '', value: b64('x') }]), '"params[0].key" must not be empty'],
  ['a param with a stray field', params([{ key: b64('a'), value: b64('b'), name: 'a' }]), 'unknown field "params[0].name"'],
  ['metadata as a list', { ...SEED_CREATE_BODY, autorScriptsMetadata: [] }, '"autorScriptsMetadata" must be an object'],
  ['metadata without cid', { ...SEED_CREATE_BODY, autorScriptsMetadata: without(SEED_CREATE_BODY.autorScriptsMetadata, 'cid') }, '"autorScriptsMetadata.cid" is required'],
  ['a numeric cid', withMeta({ cid: 994911 }), '"autorScriptsMetadata.cid" must be a non-empty string'],
  ['metadata without tech', { ...SEED_CREATE_BODY, autorScriptsMetadata: without(SEED_CREATE_BODY.autorScriptsMetadata, 'tech') }, '"autorScriptsMetadata.tech" is required'],
  ['tech as a string', withMeta({ tech: 'Ubuntu 20.x' }), '"autorScriptsMetadata.tech" must be a list of strings'],
  ['policies with a number', withMeta({ policies: ['linux', 7] }), '"autorScriptsMetadata.policies" must be a list of strings'],
  ['a numeric displayName', withMeta({ displayName: 1 }), '"autorScriptsMetadata.displayName" must be a string'],
  ['a lower-case subType', withMeta({ subType: 'response' }), '"autorScriptsMetadata.subType" must be one of Response, Detection'],
  ['an unknown metadata field', withMeta({ cids: ['1'] }), 'unknown field "autorScriptsMetadata.cids"'],
];

describe('create body checks', () => {
  it.each(INVALID_CREATES)('refuses %s with 400 and the error envelope', async (_name, body, fragment) => {
    const car = await emulator();
    const answer = await create(car.url, car.issueToken('demo'), body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ errorCode: '400', body: null });
    expect((answer.json as { message: string }).message).toContain(fragment);
    expect(car.scripts()).toEqual([]);
  });

  it('accepts every optional field in the types the seed uses, params included', async () => {
    const car = await emulator();
    const body = {
      ...SEED_CREATE_BODY,
      categoryId: 2,
      thresholdTimeUnit: 'HOUR',
      severity: '5',
      hasParameters: true,
      params: [
        { key: b64('TARGET'), value: b64('/var/log & more') },
        { key: b64('EMPTY_DEFAULT'), value: '' },
      ],
      content: Buffer.alloc(512_000, 65).toString('base64'),
    };
    const answer = await create(car.url, car.issueToken('demo'), body);
    expect(answer.status).toBe(200);
    expect(car.scripts()[0]?.body).toEqual(body);
  });

  it('reports every problem of a body at once', async () => {
    const car = await emulator();
    const answer = await create(car.url, car.issueToken('demo'), { ...SEED_CREATE_BODY, severity: 3, threshold: '300' });
    const message = (answer.json as { message: string }).message;
    expect(message).toContain('"severity"');
    expect(message).toContain('"threshold"');
  });
});

describe('update body checks', () => {
  it.each(INVALID_CREATES.filter(([name]) => name !== 'a comment on create'))(
    'refuses %s with 400 and leaves the script as it was',
    async (_name, body, fragment) => {
      const car = await emulator();
      const token = car.issueToken('demo');
      const id = createdId(await create(car.url, token, SEED_CREATE_BODY));
      const patch = body && typeof body === 'object' && !Array.isArray(body) ? { ...body, comment: 'change' } : body;
      const answer = await update(car.url, token, id, patch);
      expect(answer.status).toBe(400);
      expect((answer.json as { message: string }).message).toContain(fragment);
      expect(car.scripts()[0]).toMatchObject({ version: 1, body: SEED_CREATE_BODY });
    },
  );

  it('needs a comment when the content changes, and only then', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const id = createdId(await create(car.url, token, SEED_CREATE_BODY));
    const changed = { ...SEED_CREATE_BODY, content: b64('date; exit 2;') };
    for (const comment of [undefined, '', '  ']) {
      const body = comment === undefined ? changed : { ...changed, comment };
      const answer = await update(car.url, token, id, body);
      expect(answer.status).toBe(400);
      expect((answer.json as { message: string }).message).toContain('"comment" is required when the content changes');
    }
    expect((await update(car.url, token, id, { ...SEED_CREATE_BODY, title: 'Renamed' })).status).toBe(200);
    expect((await update(car.url, token, id, { ...changed, comment: 'new content' })).status).toBe(200);
    expect(car.scripts()[0]?.version).toBe(3);
  });

  it('refuses a numeric comment', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const id = createdId(await create(car.url, token, SEED_CREATE_BODY));
    const answer = await update(car.url, token, id, { ...SEED_UPDATE_BODY, comment: 1 });
    expect((answer.json as { message: string }).message).toContain('"comment" must be a string');
  });

  it('answers 404 with the envelope for an id it does not hold, and 400 for an id that is not a number', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const missing = await update(car.url, token, 123, SEED_UPDATE_BODY);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errorCode: '404', message: 'Script with id 123 not found.', body: null });
    expect((await update(car.url, token, 'abc', SEED_UPDATE_BODY)).status).toBe(400);
    expect((await update(car.url, token, '0123', SEED_UPDATE_BODY)).status).toBe(400);
  });
});

describe('headers and framing', () => {
  it('wants the exact Accept of each call: 406 otherwise', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const id = createdId(await create(car.url, token, SEED_CREATE_BODY));
    const answers = [
      await create(car.url, token, SEED_CREATE_BODY, { accept: UPDATE_ACCEPT }),
      await create(car.url, token, SEED_CREATE_BODY, { accept: 'application/json' }),
      await create(car.url, token, SEED_CREATE_BODY, { accept: null }),
      await update(car.url, token, id, SEED_UPDATE_BODY, { accept: CREATE_ACCEPT }),
      await update(car.url, token, id, SEED_UPDATE_BODY, { accept: `${UPDATE_ACCEPT}, application/json` }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([406, 406, 406, 406, 406]);
    expect((answers[0]?.json as { message: string }).message).toContain(CREATE_ACCEPT);
    expect(car.scripts()).toHaveLength(1);
    expect(car.scripts()[0]?.version).toBe(1);
  });

  it('wants Content-Type application/json: 415 otherwise', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    const body = JSON.stringify(SEED_CREATE_BODY);
    expect((await create(car.url, token, body, { contentType: 'text/plain' })).status).toBe(415);
    expect((await create(car.url, token, body, { contentType: null })).status).toBe(415);
    expect((await create(car.url, token, body, { contentType: 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('answers 400 to a body that is not JSON or is empty, 413 to one far too large', async () => {
    const car = await emulator();
    const token = car.issueToken('demo');
    expect((await create(car.url, token, '{"title": ')).status).toBe(400);
    expect((await call(car.url, 'POST', '/sm/v5/script', { token, accept: CREATE_ACCEPT })).status).toBe(400);
    const huge = { ...simpleBody('huge'), content: 'A'.repeat(3 * 1024 * 1024) };
    expect((await create(car.url, token, huge)).status).toBe(413);
    expect(car.scripts()).toEqual([]);
  });

  it('stops a user at the per-user script quota', async () => {
    const car = await emulator({ maxScripts: 2, users: [{ username: 'a', password: 'a' }, { username: 'b', password: 'b' }] });
    const a = car.issueToken('a');
    expect((await create(car.url, a, simpleBody('1'))).status).toBe(200);
    expect((await create(car.url, a, simpleBody('2'))).status).toBe(200);
    const third = await create(car.url, a, simpleBody('3'));
    expect(third.status).toBe(400);
    expect((third.json as { message: string }).message).toContain('2 scripts');
    expect((await create(car.url, car.issueToken('b'), simpleBody('4'))).status).toBe(200);
  });
});
