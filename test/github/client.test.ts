import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient, parseRepository } from '../../src/github/client.js';
import { getDefaultBranch } from '../../src/github/branches.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

describe('createGitHubClient', () => {
  let fake: FakeGitHub | undefined;
  const saved = process.env.GITHUB_API_URL;
  afterEach(async () => {
    await fake?.close();
    if (saved === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved;
  });

  it('reaches GITHUB_API_URL when no API URL is given, as on a runner', async () => {
    fake = await startFakeGitHub({ owner: 'corp', repo: 'remediation', defaultBranch: 'trunk' });
    process.env.GITHUB_API_URL = `${fake.url}/`;
    const gh = createGitHubClient({ token: fake.token, repository: 'corp/remediation' });
    expect(await getDefaultBranch(gh)).toBe('trunk');
    expect(fake.requests()).toMatchObject([{ method: 'GET', path: '/repos/corp/remediation', login: 'github-actions[bot]' }]);
  });

  it('refuses an empty token', () => {
    expect(() => createGitHubClient({ token: ' ', repository: 'a/b', apiUrl: 'http://127.0.0.1:1' })).toThrow(/A GitHub token is required/);
  });
});

describe('parseRepository', () => {
  it('splits owner/name', () => {
    expect(parseRepository('acme/scripts')).toEqual({ owner: 'acme', repo: 'scripts' });
  });

  it('names the expected form when the value is wrong', () => {
    expect(() => parseRepository('acme')).toThrow('Repository "acme" is not of the form "owner/name" (as in GITHUB_REPOSITORY).');
  });
});
