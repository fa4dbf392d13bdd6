import { createHash } from 'node:crypto';

/** A commit of the fake repository: a flat tree of path -> blob sha. */
export interface FakeCommit {
  sha: string;
  parents: string[];
  tree: ReadonlyMap<string, string>;
  message: string;
  /** The login that made the commit (the token's identity, or whoever a test says). */
  author: string;
}

/** Git's blob id, so the fake's shas have the shape and meaning of GitHub's. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Blobs, commits and branches of one repository, in memory. */
export class GitStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly commits = new Map<string, FakeCommit>();
  private readonly branches = new Map<string, string>();
  private counter = 0;

  constructor(defaultBranch: string, files: Record<string, string>, author: string) {
    const tree = new Map<string, string>();
    for (const [path, text] of Object.entries(files)) tree.set(path, this.putBlob(Buffer.from(text, 'utf8')));
    const root = this.makeCommit([], tree, 'Initial commit', author);
    this.branches.set(defaultBranch, root.sha);
  }

  putBlob(content: Buffer): string {
    const sha = gitBlobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  blob(sha: string): Buffer | undefined {
    return this.blobs.get(sha);
  }

  commit(sha: string): FakeCommit | undefined {
    return this.commits.get(sha);
  }

  branchSha(branch: string): string | undefined {
    return this.branches.get(branch);
  }

  branchNames(): string[] {
    return [...this.branches.keys()].sort();
  }

  setBranch(branch: string, sha: string): void {
    this.branches.set(branch, sha);
  }

  deleteBranch(branch: string): boolean {
    return this.branches.delete(branch);
  }

  /** A branch name, `refs/heads/<name>`, or a commit sha, as the Contents API accepts in `ref`. */
  resolve(ref: string): FakeCommit | undefined {
    const name = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    const sha = this.branches.get(name) ?? ref;
    return this.commits.get(sha);
  }

  /** Commits `changes` (path -> text, or null to delete) on top of the branch tip. */
  commitOnBranch(branch: string, changes: Record<string, string | null>, message: string, author: string): FakeCommit {
    const tipSha = this.branches.get(branch);
    const tip = tipSha === undefined ? undefined : this.commits.get(tipSha);
    if (!tip) throw new Error(`fake GitHub: branch "${branch}" does not exist`);
    const tree = new Map(tip.tree);
    for (const [path, text] of Object.entries(changes)) {
      if (text === null) tree.delete(path);
      else tree.set(path, this.putBlob(Buffer.from(text, 'utf8')));
    }
    const commit = this.makeCommit([tip.sha], tree, message, author);
    this.branches.set(branch, commit.sha);
    return commit;
  }

  /** Commits a prepared tree with the given parents (a merge commit when there are two). */
  makeCommit(parents: string[], tree: ReadonlyMap<string, string>, message: string, author: string): FakeCommit {
    this.counter += 1;
    const hash = createHash('sha1').update(`commit ${this.counter}\0${parents.join(',')}\0${message}\0`);
    for (const [path, sha] of [...tree].sort()) hash.update(`${path}\0${sha}\n`);
    const commit: FakeCommit = { sha: hash.digest('hex'), parents, tree: new Map(tree), message, author };
    this.commits.set(commit.sha, commit);
    return commit;
  }

  /** Every commit reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.ancestors(descendant).has(ancestor);
  }

  /** The newest commit reachable from both (enough for the fake's linear-ish histories). */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (fromA.has(next)) return next;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return undefined;
  }

  /** Merges `head` into `base`: the files head changed since the merge base, laid over base's tree. */
  merge(baseBranch: string, headSha: string, message: string, author: string): FakeCommit {
    const baseSha = this.branches.get(baseBranch);
    const base = baseSha === undefined ? undefined : this.commits.get(baseSha);
    const head = this.commits.get(headSha);
    if (!base || !head) throw new Error(`fake GitHub: cannot merge ${headSha} into "${baseBranch}"`);
    const ancestorSha = this.mergeBase(base.sha, head.sha);
    const ancestorTree = (ancestorSha && this.commits.get(ancestorSha)?.tree) || new Map<string, string>();
    const tree = new Map(base.tree);
    const paths = new Set([...head.tree.keys(), ...ancestorTree.keys()]);
    for (const path of paths) {
      const before = ancestorTree.get(path);
      const after = head.tree.get(path);
      if (before === after) continue;
      if (after === undefined) tree.delete(path);
      else tree.set(path, after);
    }
    const commit = this.makeCommit([base.sha, head.sha], tree, message, author);
    this.branches.set(baseBranch, commit.sha);
    return commit;
  }

  /** Commits from the tip back along first parents, newest first. */
  history(branch: string): FakeCommit[] {
    const out: FakeCommit[] = [];
    let sha = this.branches.get(branch);
    while (sha !== undefined) {
      const commit = this.commits.get(sha);
      if (!commit) break;
      out.push(commit);
      sha = commit.parents[0];
    }
    return out;
  }
}
