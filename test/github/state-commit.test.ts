import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { GitHubError } from '../../src/github/errors.js';
import { renderMergedState, StateConflictError } from '../../src/plan/merge-state.js';
import { commitStateFile, readRemoteFile } from '../../src/github/state-commit.js';
import { parseState, type StateFile } from '../../src/plan/state.js';
import { HASH_A, HASH_B, recordingSleep, startRepo, stateText, type Repo } from './setup.js';

const STATE = '.car/state.json';
const PUT_STATE = { method: 'PUT', path: `/repos/acme/scripts/contents/${STATE}` };

function state(scripts: StateFile['scripts']): StateFile {
  return { version: 1, scripts };
}

describe('readRemoteFile', () => {
  let repo: Repo;
  beforeEach(async () => {
    repo = await startRepo();
  });
  afterEach(() => repo.fake.close());

  it('is undefined for a file the branch does not have', async () => {
    expect(await readRemoteFile(repo.gh, { path: STATE, ref: 'main' })).toBeUndefined();
  });

  it('is undefined for a branch that does not exist', async () => {
    repo.fake.setFile(STATE, '{}');
    expect(await readRemoteFile(repo.gh, { path: STATE, ref: 'no-such-branch' })).toBeUndefined();
  });

  it('returns the text and the blob sha at the ref', async () => {
    const text = stateText({ 'scripts/a/script.sh': { id: 101 } });
    repo.fake.setFile(STATE, text);
    repo.fake.createBranch('older');
    repo.fake.setFile(STATE, stateText({}));
    expect(await readRemoteFile(repo.gh, { path: STATE, ref: 'older' })).toEqual({ text, sha: repo.fake.fileSha(STATE, 'older') });
  });

  it('reads a file too large to be inlined through the blobs API', async () => {
    repo.fake.state.contentsInlineLimit = 16;
    const text = stateText({ 'scripts/a/script.sh': { id: 101, title: 'ünïcode title' } });
    repo.fake.setFile(STATE, text);
    expect(await readRemoteFile(repo.gh, { path: STATE, ref: 'main' })).toEqual({ text, sha: repo.fake.fileSha(STATE) });
    expect(repo.fake.requests({ path: /\/git\/blobs\// })).toHaveLength(1);
  });

  it('refuses a directory', async () => {
    repo.fake.setFile('.car/state.json/inner', 'x');
    await expect(readRemoteFile(repo.gh, { path: STATE, ref: 'main' })).rejects.toThrow(/it is not a file/);
  });
});

describe('commitStateFile', () => {
  let repo: Repo;
  beforeEach(async () => {
    repo = await startRepo();
  });
  afterEach(() => repo.fake.close());

  const local = state({ 'scripts/a/script.sh': { id: 101, hash: HASH_A, title: 'A' } });

  it('creates the file with a [skip ci] commit when the branch has none', async () => {
    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'car-sync: record ids', render: renderMergedState(local, STATE) });

    expect(result).toEqual({ changed: true, attempts: 1, commitSha: repo.fake.branchSha('main') });
    expect(parseState(repo.fake.fileText(STATE)!, STATE)).toEqual(local);
    expect(repo.fake.commits()[0]).toMatchObject({ message: 'car-sync: record ids [skip ci]', author: 'github-actions[bot]' });
    const [put] = repo.fake.requests(PUT_STATE);
    expect(put!.body).not.toHaveProperty('sha');
  });

  it('replaces the file naming the blob sha it read (compare-and-swap)', async () => {
    repo.fake.setFile(STATE, stateText({ 'scripts/b/script.sh': { id: 202 } }));
    const readSha = repo.fake.fileSha(STATE);

    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids [skip ci]', render: renderMergedState(local, STATE) });

    expect(result.changed).toBe(true);
    const [put] = repo.fake.requests(PUT_STATE);
    expect(put!.body).toMatchObject({ sha: readSha, branch: 'main', message: 'ids [skip ci]' });
    expect(Object.keys(parseState(repo.fake.fileText(STATE)!, STATE).scripts)).toEqual(['scripts/a/script.sh', 'scripts/b/script.sh']);
  });

  it('re-reads and re-merges after another run commits between its read and its write', async () => {
    repo.fake.setFile(STATE, stateText({}));
    repo.fake.beforeNext(PUT_STATE, () => {
      repo.fake.setFile(STATE, stateText({ 'scripts/b/script.sh': { id: 202, hash: HASH_B } }), { author: 'other-run' });
    });
    const { sleep, delays } = recordingSleep();

    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE), sleep });

    expect(result).toMatchObject({ changed: true, attempts: 2 });
    expect(repo.fake.requests(PUT_STATE).map((r) => r.status)).toEqual([409, 200]);
    expect(delays).toHaveLength(1);
    expect(parseState(repo.fake.fileText(STATE)!, STATE).scripts).toEqual({
      'scripts/a/script.sh': { id: 101, hash: HASH_A, title: 'A' },
      'scripts/b/script.sh': { id: 202, hash: HASH_B },
    });
    expect(repo.fake.commits().map((c) => c.author).slice(0, 2)).toEqual(['github-actions[bot]', 'other-run']);
  });

  it('retries when the file appeared between its read and its write (422 "sha" not supplied)', async () => {
    repo.fake.beforeNext(PUT_STATE, () => {
      repo.fake.setFile(STATE, stateText({ 'scripts/b/script.sh': { id: 202 } }));
    });
    const { sleep } = recordingSleep();

    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE), sleep });

    expect(repo.fake.requests(PUT_STATE).map((r) => r.status)).toEqual([422, 200]);
    expect(result).toMatchObject({ changed: true, attempts: 2 });
    expect(Object.keys(parseState(repo.fake.fileText(STATE)!, STATE).scripts)).toEqual(['scripts/a/script.sh', 'scripts/b/script.sh']);
  });

  it('stops with an error naming both ids when the re-read state gives a path another id', async () => {
    repo.fake.setFile(STATE, stateText({}));
    repo.fake.beforeNext(PUT_STATE, () => {
      repo.fake.setFile(STATE, stateText({ 'scripts/a/script.sh': { id: 999 } }));
    });
    const { sleep } = recordingSleep();

    const error = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE), sleep }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StateConflictError);
    expect((error as Error).message).toContain('"scripts/a/script.sh" is recorded with id 101 by this run and with id 999 on GitHub');
    expect(repo.fake.requests(PUT_STATE).map((r) => r.status)).toEqual([409]);
    expect(parseState(repo.fake.fileText(STATE)!, STATE).scripts).toEqual({ 'scripts/a/script.sh': { id: 999 } });
  });

  it('commits nothing when the branch already holds the merged state', async () => {
    repo.fake.setFile(STATE, stateText(local.scripts));
    const before = repo.fake.branchSha('main');
    repo.fake.clearRequests();

    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE) });

    expect(result).toEqual({ changed: false, attempts: 1 });
    expect(repo.fake.writes()).toEqual([]);
    expect(repo.fake.branchSha('main')).toBe(before);
  });

  it('commits nothing when render has nothing to commit', async () => {
    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: () => undefined });
    expect(result).toEqual({ changed: false, attempts: 1 });
    expect(repo.fake.writes()).toEqual([]);
  });

  it('gives up after maxAttempts, backing off longer each time', async () => {
    let n = 0;
    repo.fake.before(PUT_STATE, () => {
      n += 1;
      repo.fake.setFile(STATE, stateText({ [`scripts/other${n}/script.sh`]: { id: 500 + n } }));
    });
    const { sleep, delays } = recordingSleep();

    const error = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE), sleep, backoffMs: 100 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubError);
    expect((error as Error).message).toMatch(/^Could not commit \.car\/state\.json to "main" after 5 attempts in acme\/scripts: GitHub answered 409: .*concurrency/);
    expect(repo.fake.requests(PUT_STATE)).toHaveLength(5);
    expect(delays).toHaveLength(4);
    delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('retries after a 502 and does not commit twice', async () => {
    repo.fake.failNext(PUT_STATE, 502, 'Server Error');
    const { sleep } = recordingSleep();
    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE), sleep });
    expect(result).toMatchObject({ changed: true, attempts: 2 });
    expect(repo.fake.requests(PUT_STATE).map((r) => r.status)).toEqual([502, 201]);
  });

  it('does not commit twice when a write landed but its answer was a 502', async () => {
    const render = renderMergedState(local, STATE);
    repo.fake.beforeNext(PUT_STATE, () => {
      repo.fake.setFile(STATE, render(undefined)!, { author: 'github-actions[bot]' });
      return { status: 502, body: { message: 'Server Error' } };
    });
    const commitsBefore = repo.fake.commits().length;
    const { sleep } = recordingSleep();

    const result = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render, sleep });

    expect(result).toEqual({ changed: true, attempts: 2 });
    expect(repo.fake.requests(PUT_STATE)).toHaveLength(1);
    expect(repo.fake.commits()).toHaveLength(commitsBefore + 1);
  });

  it('fails at once on a protected branch and points to commit: pull-request', async () => {
    repo.fake.protectBranch('main');
    const error = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE) }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/GitHub answered 409: Repository rule violations found Changes must be made through a pull request\. .*`commit: pull-request`/);
    expect(repo.fake.requests(PUT_STATE)).toHaveLength(1);
  });

  it('fails at once without write permission and names the permission', async () => {
    repo.fake.setReadOnly(true);
    const error = await commitStateFile(repo.gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(403);
    expect((error as Error).message).toContain('`permissions: contents: write`');
  });

  it('never puts the token in its errors', async () => {
    const token = 'ghs_secretvalue123';
    repo.fake.addToken(token, 'github-actions[bot]');
    const gh = createGitHubClient({ token, repository: repo.fake.repository, apiUrl: repo.fake.url });
    repo.fake.failNext(PUT_STATE, 400, `bad credentials for ${token}`);
    const error = await commitStateFile(gh, { path: STATE, branch: 'main', message: 'ids', render: renderMergedState(local, STATE) }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('bad credentials for ***');
    expect(`${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(token);
  });
});
