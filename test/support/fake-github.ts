/**
 * A fake of the GitHub REST API: a real HTTP server on 127.0.0.1, one repository in memory, and a
 * log of every request for tests to assert on. It implements the calls car-sync makes (contents,
 * refs, pull requests, issues and their comments), answers with GitHub's status codes and messages,
 * and lets a test preload state, make a token read-only, or act between two requests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorReply, readJsonBody, sendReply, type FakeReply } from './fake-github/http.js';
import { issueRoutes } from './fake-github/issue-routes.js';
import { pullRoutes } from './fake-github/pull-routes.js';
import { repoRoutes } from './fake-github/repo-routes.js';
import type { RouteContext, RouteTable } from './fake-github/route-context.js';
import { FakeRepoState, type FakeComment, type FakeIssue, type FakeUser } from './fake-github/state.js';
import type { FakeCommit } from './fake-github/git-store.js';

export type { FakeReply } from './fake-github/http.js';
export type { FakeComment, FakeIssue } from './fake-github/state.js';
export type { FakeCommit } from './fake-github/git-store.js';

/** The login GitHub shows for writes made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
export const FAKE_TOKEN = 'ghs_fakeGitHubToken0123456789';

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Files of the first commit on the default branch, path -> text. */
  files?: Record<string, string>;
  /** The token the fake accepts as the bot (more with `addToken`). Default FAKE_TOKEN. */
  token?: string;
  /** The identity of `token`. Default `github-actions[bot]`. */
  botLogin?: string;
}

/** One request as the fake received it; `status` is what it answered. */
export interface RecordedRequest {
  method: string;
  /** Percent-decoded path, e.g. `/repos/acme/scripts/contents/.car/state.json`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The token's identity; absent when the token was missing or unknown. */
  login?: string;
  status: number;
}

export interface RequestMatch {
  method?: string;
  /** Exact decoded path, or a pattern tested against it. */
  path?: string | RegExp;
}

/** Runs before the fake handles a matching request; returning a reply answers in its place. */
export type RequestHook = (request: Omit<RecordedRequest, 'status'>) => void | FakeReply | Promise<void | FakeReply>;

export interface FakePullRequest {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
  base: string;
  login: string;
}

interface Hook {
  match: RequestMatch;
  run: RequestHook;
  once: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ROUTES: RouteTable[] = [...repoRoutes, ...issueRoutes, ...pullRoutes];

function matches(match: RequestMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? match.path === path : match.path.test(path);
}

function toPullRequest(issue: FakeIssue): FakePullRequest {
  const pr = issue.pullRequest!;
  return { number: issue.number, title: issue.title, body: issue.body, state: issue.state, merged: pr.merged, head: pr.head, base: pr.base, login: issue.login };
}

export class FakeGitHub {
  /** Base URL to hand to clients as GITHUB_API_URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly owner: string;
  readonly repo: string;
  /** `owner/repo`, as in GITHUB_REPOSITORY. */
  readonly repository: string;
  readonly defaultBranch: string;
  readonly token: string;
  readonly botLogin: string;
  /** The repository itself; tests may read or change it directly. */
  readonly state: FakeRepoState;
  private readonly users = new Map<string, FakeUser>();
  private readonly log: RecordedRequest[] = [];
  private hooks: Hook[] = [];

  constructor(
    private readonly server: Server,
    url: string,
    options: FakeGitHubOptions,
  ) {
    this.url = url;
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'scripts';
    this.repository = `${this.owner}/${this.repo}`;
    this.defaultBranch = options.defaultBranch ?? 'main';
    this.token = options.token ?? FAKE_TOKEN;
    this.botLogin = options.botLogin ?? ACTIONS_BOT_LOGIN;
    this.users.set(this.token, { login: this.botLogin, readOnly: false });
    this.state = new FakeRepoState(this.owner, this.repo, this.defaultBranch, options.files ?? {}, 'octocat');
  }

  /** Stops the server and drops open connections; calling it again does nothing. */
  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** Every request so far, oldest first, optionally only those matching. */
  requests(match: RequestMatch = {}): RecordedRequest[] {
    return this.log.filter((r) => matches(match, r.method, r.path)).map((r) => ({ ...r }));
  }

  /** Requests that could change something (POST, PUT, PATCH, DELETE). */
  writes(): RecordedRequest[] {
    return this.log.filter((r) => WRITE_METHODS.has(r.method)).map((r) => ({ ...r }));
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  /** Runs `hook` before the next matching request only (e.g. a concurrent commit before a PUT). */
  beforeNext(match: RequestMatch, hook: RequestHook): void {
    this.hooks.push({ match, run: hook, once: true });
  }

  /** Runs `hook` before every matching request until the returned function is called. */
  before(match: RequestMatch, hook: RequestHook): () => void {
    const entry: Hook = { match, run: hook, once: false };
    this.hooks.push(entry);
    return () => {
      this.hooks = this.hooks.filter((h) => h !== entry);
    };
  }

  /** Answers the next matching request with this status and GitHub-shaped error message. */
  failNext(match: RequestMatch, status: number, message: string): void {
    this.beforeNext(match, () => errorReply(status, message));
  }

  addToken(token: string, login: string, options: { readOnly?: boolean } = {}): void {
    this.users.set(token, { login, readOnly: options.readOnly ?? false });
  }

  /** A read-only token is what a pull request from a fork gets: every write answers 403. */
  setReadOnly(readOnly = true, token = this.token): void {
    const user = this.users.get(token);
    if (!user) throw new Error('fake GitHub: unknown token');
    user.readOnly = readOnly;
  }

  /** Commits a file (or deletes it, with null) on a branch, as another actor's push would. */
  setFile(path: string, text: string | null, options: { branch?: string; message?: string; author?: string } = {}): { commitSha: string; blobSha?: string } {
    const commit = this.state.git.commitOnBranch(options.branch ?? this.defaultBranch, { [path]: text }, options.message ?? `Update ${path}`, options.author ?? 'octocat');
    return { commitSha: commit.sha, blobSha: commit.tree.get(path) };
  }

  /** The file's text at a branch or commit (default branch when omitted), or undefined. */
  fileText(path: string, ref = this.defaultBranch): string | undefined {
    const sha = this.fileSha(path, ref);
    return sha === undefined ? undefined : this.state.git.blob(sha)!.toString('utf8');
  }

  fileSha(path: string, ref = this.defaultBranch): string | undefined {
    return this.state.git.resolve(ref)?.tree.get(path);
  }

  branchSha(branch: string): string | undefined {
    return this.state.git.branchSha(branch);
  }

  branches(): string[] {
    return this.state.git.branchNames();
  }

  createBranch(branch: string, from = this.defaultBranch): string {
    const commit = this.state.git.resolve(from);
    if (!commit) throw new Error(`fake GitHub: no commit for "${from}"`);
    this.state.git.setBranch(branch, commit.sha);
    return commit.sha;
  }

  /** Commits on a branch along first parents, newest first (the first commit included). */
  commits(branch = this.defaultBranch): FakeCommit[] {
    return this.state.git.history(branch);
  }

  /** Makes contents writes to the branch answer 409 "Repository rule violations found". */
  protectBranch(branch = this.defaultBranch, isProtected = true): void {
    if (isProtected) this.state.protectedBranches.add(branch);
    else this.state.protectedBranches.delete(branch);
  }

  /** The repository setting "Allow GitHub Actions to create and approve pull requests". */
  allowActionsToCreatePullRequests(allowed: boolean): void {
    this.state.actionsMayCreatePullRequests = allowed;
  }

  addIssue(fields: { title: string; body?: string; labels?: string[]; login?: string; state?: 'open' | 'closed'; number?: number }): FakeIssue {
    return this.state.addIssue({
      title: fields.title,
      body: fields.body ?? '',
      labels: fields.labels ?? [],
      login: fields.login ?? this.botLogin,
      state: fields.state ?? 'open',
      ...(fields.number !== undefined ? { number: fields.number } : {}),
    });
  }

  /** Issues only (not pull requests), oldest first. */
  issues(filter: { label?: string; state?: 'open' | 'closed' } = {}): FakeIssue[] {
    return [...this.state.issues.values()]
      .filter((i) => !i.pullRequest)
      .filter((i) => filter.label === undefined || i.labels.includes(filter.label))
      .filter((i) => filter.state === undefined || i.state === filter.state)
      .map((i) => ({ ...i, labels: [...i.labels] }));
  }

  /** A pull request as a test's setup: the head branch need not exist (it may be a fork's). */
  addPullRequest(fields: { head?: string; base?: string; title?: string; body?: string; login?: string; number?: number } = {}): FakePullRequest {
    const issue = this.state.addIssue({
      title: fields.title ?? 'Add a script',
      body: fields.body ?? '',
      labels: [],
      login: fields.login ?? 'octocat',
      state: 'open',
      pullRequest: { head: fields.head ?? 'feature', base: fields.base ?? this.defaultBranch, merged: false },
      ...(fields.number !== undefined ? { number: fields.number } : {}),
    });
    return toPullRequest(issue);
  }

  pullRequests(filter: { head?: string; state?: 'open' | 'closed' } = {}): FakePullRequest[] {
    return [...this.state.issues.values()]
      .filter((i) => i.pullRequest !== undefined)
      .filter((i) => filter.head === undefined || i.pullRequest!.head === filter.head)
      .filter((i) => filter.state === undefined || i.state === filter.state)
      .map(toPullRequest);
  }

  /** Merges a pull request the way the merge button does, optionally deleting its head branch. */
  mergePullRequest(number: number, options: { deleteBranch?: boolean } = {}): string {
    const issue = this.state.issues.get(number);
    const pr = issue?.pullRequest;
    if (!issue || !pr || issue.state !== 'open') throw new Error(`fake GitHub: #${number} is not an open pull request`);
    const headSha = this.state.git.branchSha(pr.head);
    if (headSha === undefined) throw new Error(`fake GitHub: head branch "${pr.head}" does not exist`);
    const commit = this.state.git.merge(pr.base, headSha, `Merge pull request #${number} from ${this.owner}/${pr.head}`, 'octocat');
    issue.state = 'closed';
    pr.merged = true;
    if (options.deleteBranch) this.state.git.deleteBranch(pr.head);
    return commit.sha;
  }

  closePullRequest(number: number): void {
    const issue = this.state.issues.get(number);
    if (!issue?.pullRequest) throw new Error(`fake GitHub: #${number} is not a pull request`);
    issue.state = 'closed';
  }

  /** Adds a comment to an issue or pull request; the issue must exist (as on GitHub). */
  addComment(issueNumber: number, body: string, options: { login?: string } = {}): FakeComment {
    if (!this.state.issues.has(issueNumber)) throw new Error(`fake GitHub: no issue or pull request #${issueNumber}`);
    return { ...this.state.addComment(issueNumber, body, options.login ?? 'octocat') };
  }

  /** Adds `count` comments, e.g. 150 to make a client read more than one page. */
  addComments(issueNumber: number, count: number, options: { login?: string; body?: (index: number) => string } = {}): FakeComment[] {
    const out: FakeComment[] = [];
    for (let i = 0; i < count; i += 1) {
      out.push(this.addComment(issueNumber, options.body?.(i) ?? `comment ${i + 1}`, options.login !== undefined ? { login: options.login } : {}));
    }
    return out;
  }

  /** The comments of an issue or pull request, oldest first. */
  comments(issueNumber: number): FakeComment[] {
    return this.state.comments.filter((c) => c.issueNumber === issueNumber).map((c) => ({ ...c }));
  }

  /** @internal called by the server for every request. */
  async handle(req: IncomingMessage): Promise<FakeReply> {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = new URL(req.url ?? '/', this.url);
    let path: string;
    try {
      path = decodeURIComponent(raw.pathname);
    } catch {
      path = raw.pathname;
    }
    const body = await readJsonBody(req);
    const user = this.authenticate(req.headers.authorization);
    const entry: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(raw.searchParams),
      body,
      ...(user ? { login: user.login } : {}),
      status: 0,
    };
    this.log.push(entry);
    const reply = await this.answer(entry, raw, body, user);
    entry.status = reply.status;
    return reply;
  }

  private async answer(entry: RecordedRequest, raw: URL, body: unknown, user: FakeUser | undefined): Promise<FakeReply> {
    for (const hook of [...this.hooks]) {
      if (!matches(hook.match, entry.method, entry.path)) continue;
      if (hook.once) this.hooks = this.hooks.filter((h) => h !== hook);
      const { status: _status, ...request } = entry;
      const override = await hook.run(request);
      if (override) return override;
    }
    if (!user) return errorReply(401, 'Bad credentials');
    if (entry.method === 'GET' && entry.path === '/user') {
      // An installation token (GITHUB_TOKEN) has no user behind it.
      return user.login.endsWith('[bot]') ? errorReply(403, 'Resource not accessible by integration') : { status: 200, body: { login: user.login, type: 'User' } };
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (entry.path !== prefix && !entry.path.startsWith(`${prefix}/`)) return errorReply(404, 'Not Found');
    if (WRITE_METHODS.has(entry.method) && user.readOnly) return errorReply(403, 'Resource not accessible by integration');
    const rest = entry.path.slice(prefix.length + 1);
    const ctx: RouteContext = {
      state: this.state,
      method: entry.method,
      rest,
      query: raw.searchParams,
      body: body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {},
      user,
      apiUrl: this.url,
      selfUrl: `${this.url}${raw.pathname}`,
    };
    for (const route of ROUTES) {
      if (route.method !== entry.method) continue;
      const match = route.pattern.exec(rest);
      if (match) return route.handle(ctx, match);
    }
    return errorReply(404, 'Not Found');
  }

  private authenticate(header: string | undefined): FakeUser | undefined {
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')?.[1];
    return token === undefined ? undefined : this.users.get(token);
  }
}

/** Starts the fake on 127.0.0.1 and a free port. Close it in `afterEach`/`afterAll`. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  let fake: FakeGitHub | undefined;
  const server = createServer((req, res) => {
    fake!
      .handle(req)
      .then((reply) => sendReply(res, reply))
      .catch((err: unknown) => sendReply(res, errorReply(500, `fake GitHub failed: ${(err as Error).message}`)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, options);
  return fake;
}
