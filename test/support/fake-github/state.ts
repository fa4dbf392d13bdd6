import { GitStore } from './git-store.js';

export interface FakeUser {
  login: string;
  /** A fork pull request's GITHUB_TOKEN: reads work, every write is refused with 403. */
  readOnly: boolean;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakePullRequestFields {
  /** Branch name in this repository (the fake has no forks). */
  head: string;
  base: string;
  merged: boolean;
}

/** An issue or a pull request: GitHub numbers them in one sequence and lists both as issues. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  login: string;
  createdAt: string;
  pullRequest?: FakePullRequestFields;
}

/** GitHub refuses comment and issue bodies longer than this many characters. */
export const MAX_BODY_CHARACTERS = 65_536;

/** Everything the fake knows about its one repository. */
export class FakeRepoState {
  readonly git: GitStore;
  readonly issues = new Map<number, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly protectedBranches = new Set<string>();
  /** The repository setting "Allow GitHub Actions to create and approve pull requests". */
  actionsMayCreatePullRequests = true;
  /** GitHub inlines file content up to 1 MB; above it, `encoding: "none"` and the Git blobs API. */
  contentsInlineLimit = 1024 * 1024;
  private nextNumber = 1;
  private nextCommentId = 1_000_001;
  private ticks = 0;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
    files: Record<string, string>,
    firstAuthor: string,
  ) {
    this.git = new GitStore(defaultBranch, files, firstAuthor);
  }

  /** A clock that moves one second per event, so orderings are stable and independent of the machine. */
  now(): string {
    this.ticks += 1;
    return new Date(Date.UTC(2025, 0, 1) + this.ticks * 1000).toISOString();
  }

  takeIssueNumber(wanted?: number): number {
    const number = wanted ?? this.nextNumber;
    if (this.issues.has(number)) throw new Error(`fake GitHub: issue or pull request #${number} already exists`);
    this.nextNumber = Math.max(this.nextNumber, number + 1);
    return number;
  }

  addIssue(fields: Omit<FakeIssue, 'number' | 'createdAt' | 'stateReason'> & { number?: number }): FakeIssue {
    const { number: wanted, ...rest } = fields;
    const issue: FakeIssue = { ...rest, number: this.takeIssueNumber(wanted), stateReason: null, createdAt: this.now() };
    this.issues.set(issue.number, issue);
    return issue;
  }

  addComment(issueNumber: number, body: string, login: string): FakeComment {
    const at = this.now();
    const comment: FakeComment = { id: this.nextCommentId++, issueNumber, body, login, createdAt: at, updatedAt: at };
    this.comments.push(comment);
    return comment;
  }

  htmlUrl(rest: string): string {
    return `https://github.com/${this.owner}/${this.repo}/${rest}`;
  }
}
