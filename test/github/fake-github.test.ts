import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

/** The fake's own contract, spoken to over plain HTTP the way any client would. */
describe('fake GitHub server', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub({ files: { 'a.txt': 'one\n' } });
  });
  afterEach(() => fake.close());

  const call = async (method: string, path: string, body?: unknown, token = fake.token) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, link: res.headers.get('link') };
  };
  const put = (sha?: string) =>
    call('PUT', '/repos/acme/scripts/contents/a.txt', { message: 'm', content: Buffer.from('two\n').toString('base64'), ...(sha ? { sha } : {}) });

  it('answers compare-and-swap writes with GitHub status codes', async () => {
    const current = fake.fileSha('a.txt')!;
    expect(await put()).toMatchObject({ status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } });
    expect(await put('0'.repeat(40))).toMatchObject({ status: 409, body: { message: `a.txt does not match ${'0'.repeat(40)}` } });
    const ok = await put(current);
    expect(ok.status).toBe(200);
    expect(ok.body.content.sha).toBe(fake.fileSha('a.txt'));
    expect(ok.body.commit.sha).toBe(fake.branchSha('main'));
    expect(fake.fileText('a.txt')).toBe('two\n');
    const created = await call('PUT', '/repos/acme/scripts/contents/b.txt', { message: 'm', content: 'eA==', sha: 'ignored' });
    expect(created.status).toBe(201);
  });

  it('serves file content as wrapped base64 with the git blob sha', async () => {
    const res = await call('GET', '/repos/acme/scripts/contents/a.txt?ref=main');
    expect(res.body).toMatchObject({ type: 'file', encoding: 'base64', sha: fake.fileSha('a.txt') });
    expect(Buffer.from(res.body.content, 'base64').toString()).toBe('one\n');
    // The sha git itself would give `printf 'one\n' | git hash-object --stdin`.
    expect(fake.fileSha('a.txt')).toBe('5626abf0f72e58d7a153368ba57db4c673c0e171');
  });

  it('pages lists with absolute rel="next" links', async () => {
    const pr = fake.addPullRequest();
    fake.addComments(pr.number, 5);
    const first = await call('GET', `/repos/acme/scripts/issues/${pr.number}/comments?per_page=2`);
    expect(first.body).toHaveLength(2);
    expect(first.link).toContain(`<${fake.url}/repos/acme/scripts/issues/${pr.number}/comments?per_page=2&page=2>; rel="next"`);
    const last = await call('GET', `/repos/acme/scripts/issues/${pr.number}/comments?per_page=2&page=3`);
    expect(last.body.map((c: { body: string }) => c.body)).toEqual(['comment 5']);
    expect(last.link).not.toContain('rel="next"');
  });

  it('refuses unknown tokens, and writes by a read-only token', async () => {
    expect((await call('GET', '/repos/acme/scripts', undefined, 'nope')).status).toBe(401);
    fake.setReadOnly(true);
    expect((await call('GET', '/repos/acme/scripts')).body).toMatchObject({ default_branch: 'main' });
    expect(await put(fake.fileSha('a.txt'))).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } });
  });

  it('has no user behind the bot token, as GitHub has none behind GITHUB_TOKEN', async () => {
    expect((await call('GET', '/user')).status).toBe(403);
    fake.addToken('pat', 'alice');
    expect((await call('GET', '/user', undefined, 'pat')).body).toMatchObject({ login: 'alice' });
  });

  it('creates, finds and fast-forward-checks branches', async () => {
    const base = fake.branchSha('main')!;
    expect((await call('POST', '/repos/acme/scripts/git/refs', { ref: 'refs/heads/x/y', sha: base })).status).toBe(201);
    expect((await call('POST', '/repos/acme/scripts/git/refs', { ref: 'refs/heads/x/y', sha: base })).body.message).toBe('Reference already exists');
    expect((await call('GET', '/repos/acme/scripts/git/ref/heads%2Fx%2Fy')).body.object.sha).toBe(base);
    fake.setFile('a.txt', 'moved on', { branch: 'x/y' });
    expect((await call('PATCH', '/repos/acme/scripts/git/refs/heads/x/y', { sha: base })).body.message).toBe('Update is not a fast forward');
    expect((await call('PATCH', '/repos/acme/scripts/git/refs/heads/x/y', { sha: base, force: true })).status).toBe(200);
    expect(fake.branchSha('x/y')).toBe(base);
  });

  it('refuses a second open pull request for one head, and one without commits', async () => {
    fake.createBranch('feature');
    expect((await call('POST', '/repos/acme/scripts/pulls', { title: 't', head: 'feature', base: 'main' })).body.errors[0].message).toBe('No commits between main and feature');
    fake.setFile('a.txt', 'x', { branch: 'feature' });
    expect((await call('POST', '/repos/acme/scripts/pulls', { title: 't', head: 'feature', base: 'main' })).status).toBe(201);
    const again = await call('POST', '/repos/acme/scripts/pulls', { title: 't', head: 'acme:feature', base: 'main' });
    expect(again.body.errors[0].message).toBe('A pull request already exists for acme:feature.');
    const listed = await call('GET', '/repos/acme/scripts/pulls?head=acme%3Afeature&state=open');
    expect(listed.body).toHaveLength(1);
  });

  it('logs every request with its identity and answer, and lets hooks answer in its place', async () => {
    fake.failNext({ method: 'GET', path: '/repos/acme/scripts' }, 503, 'down');
    expect((await call('GET', '/repos/acme/scripts')).status).toBe(503);
    expect((await call('GET', '/repos/acme/scripts')).status).toBe(200);
    expect(fake.requests()).toEqual([
      { method: 'GET', path: '/repos/acme/scripts', query: {}, body: undefined, login: 'github-actions[bot]', status: 503 },
      { method: 'GET', path: '/repos/acme/scripts', query: {}, body: undefined, login: 'github-actions[bot]', status: 200 },
    ]);
  });

  it('refuses bodies over 65,536 characters', async () => {
    const pr = fake.addPullRequest();
    const res = await call('POST', `/repos/acme/scripts/issues/${pr.number}/comments`, { body: 'x'.repeat(65_537) });
    expect(res.status).toBe(422);
    expect(fake.comments(pr.number)).toEqual([]);
  });
});
