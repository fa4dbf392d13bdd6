import type { StateEntry, StateFile } from '../plan/state.js';

/** Where the journal persists the state; the local file system in the CLI, plus GitHub in the action. */
export type PersistState = (state: StateFile) => Promise<void>;

/**
 * The state as apply changes it, persisted after every change. Writes are coalesced: while one
 * is in flight, later changes wait and go out together in the next, so a burst of successes costs
 * two writes, not one each. Every change resolves only once a write containing it has finished:
 * an intent is durable before its create is sent, an id before the run moves on.
 */
export class StateJournal {
  private state: StateFile;
  private writing: Promise<void> | undefined;
  private pending: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(
    initial: StateFile,
    private readonly persist: PersistState,
  ) {
    this.state = { version: 1, scripts: { ...initial.scripts } };
  }

  current(): StateFile {
    return { version: 1, scripts: { ...this.state.scripts } };
  }

  set(path: string, entry: StateEntry): Promise<void> {
    this.state.scripts[path] = entry;
    return this.save();
  }

  remove(path: string): Promise<void> {
    delete this.state.scripts[path];
    return this.save();
  }

  move(from: string, to: string): Promise<void> {
    const entry = this.state.scripts[from];
    if (entry) {
      delete this.state.scripts[from];
      this.state.scripts[to] = entry;
    }
    return this.save();
  }

  private save(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject }));
    if (!this.writing) this.writing = this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const waiting = this.pending;
      this.pending = [];
      try {
        await this.persist(this.current());
        for (const w of waiting) w.resolve();
      } catch (err) {
        for (const w of waiting) w.reject(err);
      }
    }
    this.writing = undefined;
  }
}
