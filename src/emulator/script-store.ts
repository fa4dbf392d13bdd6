import type { StoredScript } from './types.js';

/** A configured user after defaults: the tag it stamps on scripts is known. */
export interface ScopedUser {
  username: string;
  password: string;
  scopes?: readonly string[];
  tag?: string;
}

/** Tag-based user scoping: a scoped user sees only scripts carrying one of its tags. */
export function canSee(user: ScopedUser, script: StoredScript): boolean {
  return user.scopes === undefined || (script.tag !== undefined && user.scopes.includes(script.tag));
}

export class ScriptStore {
  private readonly scripts = new Map<number, StoredScript>();
  private nextId: number;

  constructor(
    private readonly firstId: number,
    private readonly existing: readonly { id: number; body: Record<string, unknown> }[] = [],
    private readonly existingOwner?: ScopedUser,
  ) {
    this.nextId = firstId;
    this.reset();
  }

  ownedBy(username: string): number {
    let count = 0;
    for (const script of this.scripts.values()) if (script.createdBy === username) count++;
    return count;
  }

  create(body: Record<string, unknown>, user: ScopedUser): StoredScript {
    const now = new Date().toISOString();
    const script: StoredScript = {
      id: this.nextId++,
      body: structuredClone(body),
      createdBy: user.username,
      tag: user.tag,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (script.tag === undefined) delete script.tag;
    this.scripts.set(script.id, script);
    return script;
  }

  /** The script as this user sees it: one outside its scope is as absent as one never created. */
  findVisible(id: number, user: ScopedUser): StoredScript | undefined {
    const script = this.scripts.get(id);
    return script && canSee(user, script) ? script : undefined;
  }

  /** Updating moves the script into the updater's tag (car-api.md); an unscoped updater leaves it. */
  update(script: StoredScript, body: Record<string, unknown>, user: ScopedUser): void {
    script.body = structuredClone(body);
    if (user.tag !== undefined) script.tag = user.tag;
    script.version++;
    script.updatedAt = new Date().toISOString();
  }

  list(): StoredScript[] {
    return [...this.scripts.values()].sort((a, b) => a.id - b.id).map((script) => structuredClone(script));
  }

  /** Back to the tenant as configured: only the existing scripts. */
  reset(): void {
    this.scripts.clear();
    this.nextId = this.firstId;
    const now = new Date().toISOString();
    for (const { id, body } of this.existing) {
      const owner = this.existingOwner?.username ?? 'demo';
      const script: StoredScript = { id, body: structuredClone(body), createdBy: owner, tag: this.existingOwner?.tag, version: 1, createdAt: now, updatedAt: now };
      if (script.tag === undefined) delete script.tag;
      this.scripts.set(id, script);
      this.nextId = Math.max(this.nextId, id + 1);
    }
  }
}
