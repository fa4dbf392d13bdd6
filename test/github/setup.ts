import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js';
import { serializeState, type StateEntry } from '../../src/plan/state.js';

export interface Repo {
  fake: FakeGitHub;
  gh: GitHubClient;
}

/** A fake GitHub with one repository, and a facade client pointed at it with the bot's token. */
export async function startRepo(options: FakeGitHubOptions = {}): Promise<Repo> {
  const fake = await startFakeGitHub(options);
  const gh = createGitHubClient({ token: fake.token, repository: fake.repository, apiUrl: fake.url });
  return { fake, gh };
}

export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function stateText(scripts: Record<string, StateEntry>): string {
  return serializeState({ version: 1, scripts });
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}
