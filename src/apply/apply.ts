import { carScriptBody, carUpdateBody } from '../car/payload.js';
import type { CarClient } from '../car/client-types.js';
import { CarError } from '../car/errors.js';
import type { Plan, PlanAction } from '../plan/plan.js';
import type { StateJournal } from './journal.js';
import type { ActionResult, ApplyResult } from './result.js';

export interface ApplyOptions {
  client: CarClient;
  journal: StateJournal;
  /** Actions worked on at once; the client caps calls in flight on its own too. */
  concurrency: number;
  maxWrites?: number;
  /** Aborted: start nothing new; calls in flight get `graceMs` to finish. */
  stop?: AbortSignal;
  graceMs?: number;
  /** The reason CAR records with an update. */
  updateComment?: (action: PlanAction) => string;
  log?: (message: string) => void;
}

const UNRESOLVED_HINT = (path: string) =>
  `the outcome of an earlier create is unknown; check CAR, then run "car-sync adopt ${path} ID" if it exists or "car-sync forget ${path}" if not`;

const SCOPE_HINT =
  'CAR does not show this script to the API user: it may have been deleted, or it lies outside the user\'s tag scope (tag-based user scoping); it was not created again';

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Interprets a plan against CAR; the only code that writes to CAR. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const { client, journal, log = () => {} } = options;
  const results = new Map<PlanAction, ActionResult>();
  const graceful = new AbortController();
  let writeCalls = 0;
  let graceTimer: NodeJS.Timeout | undefined;
  const onStop = () => {
    log('stopping: no new calls; waiting for the calls in flight');
    graceTimer = setTimeout(() => graceful.abort(), options.graceMs ?? 10_000);
    graceTimer.unref?.();
  };
  if (options.stop?.aborted) onStop();
  else options.stop?.addEventListener('abort', onStop, { once: true });

  const result = (action: PlanAction, outcome: ActionResult['outcome'], extra: Partial<ActionResult> = {}) =>
    results.set(action, { action: action.action, path: action.path, title: action.title, id: action.id, from: action.from, outcome, ...extra });

  const writes: PlanAction[] = [];
  for (const action of plan.actions) {
    switch (action.action) {
      case 'unchanged':
      case 'orphan':
        result(action, 'done');
        break;
      case 'unresolved':
        result(action, 'unresolved', { message: UNRESOLVED_HINT(action.path) });
        break;
      case 'rename':
        await journal.move(action.from!, action.path);
        result(action, 'done');
        break;
      case 'create':
      case 'update':
        writes.push(action);
        break;
    }
  }

  const create = async (action: PlanAction) => {
    const script = action.script!;
    try {
      await journal.set(action.path, { hash: script.hash, title: script.meta.title, intent: new Date().toISOString() });
    } catch (err) {
      result(action, 'failed', { message: `not created: the intent could not be written to the state file: ${describe(err)}` });
      return;
    }
    let id: number;
    try {
      id = await client.createScript(carScriptBody(script.meta, script.content), graceful.signal);
    } catch (err) {
      if (err instanceof CarError && err.provesNotProcessed) {
        // A leftover intent only asks the user to check; it can never cause a second create.
        await journal.remove(action.path).catch(() => {});
        result(action, 'failed', { message: describe(err) });
      } else {
        result(action, 'unresolved', { message: `${describe(err)}; ${UNRESOLVED_HINT(action.path)}` });
      }
      return;
    }
    try {
      await journal.set(action.path, { id, hash: script.hash, title: script.meta.title });
      log(`created ${action.path} as ${id}`);
      result(action, 'done', { id });
    } catch (err) {
      result(action, 'unresolved', {
        id,
        message: `created as ${id}, but the state file could not be written (${describe(err)}); run "car-sync adopt ${action.path} ${id}"`,
      });
    }
  };

  const update = async (action: PlanAction) => {
    const script = action.script!;
    const comment = options.updateComment?.(action) ?? `car-sync: ${action.path} changed`;
    try {
      await client.updateScript(action.id!, carUpdateBody(script, comment), graceful.signal);
      await journal.set(action.path, { id: action.id, hash: script.hash, title: script.meta.title });
      log(`updated ${action.path} (${action.id})`);
      result(action, 'done');
    } catch (err) {
      const scoped = err instanceof CarError && (err.kind === 'not-found' || err.kind === 'forbidden');
      result(action, 'failed', { message: scoped ? `${describe(err)}; ${SCOPE_HINT}` : describe(err) });
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < writes.length) {
      const action = writes[next++]!;
      if (options.stop?.aborted) {
        result(action, 'skipped', { message: 'the run was stopped before this call' });
        continue;
      }
      if (options.maxWrites !== undefined && writeCalls >= options.maxWrites) {
        result(action, 'skipped', { message: `left for the next run: max-writes ${options.maxWrites} reached` });
        continue;
      }
      writeCalls += 1;
      await (action.action === 'create' ? create(action) : update(action));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, writes.length)) }, worker));
  } finally {
    clearTimeout(graceTimer);
    options.stop?.removeEventListener('abort', onStop);
  }

  return {
    results: plan.actions.map((action) => results.get(action)!),
    writeCalls,
    stopped: options.stop?.aborted ?? false,
  };
}
