import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { applyOnce, resetForCreates, writeCalls } from '../apply-run.js';
import type { BenchContext } from '../context.js';
import { generateRepository } from '../generate.js';
import type { Row } from '../table.js';

const SCRIPTS = 50;
const EDITED = 3;
const ADDED = 2;

function describe(requests: { path: string }[]): string {
  const auth = requests.filter((request) => request.path === '/auth').length;
  const writes = writeCalls(requests).length;
  return `${writes} write${writes === 1 ? '' : 's'} + ${auth} /auth`;
}

/** The fewest calls: nothing to change costs nothing, k changes cost k writes and one token. */
export async function callCounts(context: BenchContext): Promise<Row[]> {
  const root = path.join(context.work, `calls-${SCRIPTS}`);
  context.progress(`calls: ${SCRIPTS} scripts synced, then synced again, then ${EDITED} edited and ${ADDED} added`);
  const scripts = await generateRepository(root, SCRIPTS);
  const emulator = await startEmulator({ concurrencyLimit: 2 });
  try {
    await resetForCreates(emulator, root);
    await applyOnce(context, emulator, root);
    const idle = await applyOnce(context, emulator, root);

    for (const script of scripts.slice(0, EDITED)) await appendFile(path.join(root, script.path), '# edited for the benchmark\n');
    await generateRepository(root, ADDED, 50_000);
    const changed = await applyOnce(context, emulator, root);
    const k = EDITED + ADDED;
    const changedWrites = writeCalls(changed.requests).length;
    const changedAuth = changed.requests.filter((request) => request.path === '/auth').length;
    const others = changed.requests.length - changedWrites - changedAuth;
    return [
      {
        figure: 'calls, nothing to change',
        measured: `${idle.requests.length} requests`,
        reference: '-',
        ratio: '-',
        goal: '0 requests (no /auth)',
        pass: idle.requests.length === 0,
      },
      {
        figure: `calls, k = ${k} changed scripts (${EDITED} edited, ${ADDED} new)`,
        measured: describe(changed.requests) + (others > 0 ? ` + ${others} other` : ''),
        reference: '-',
        ratio: '-',
        goal: `${k} writes + 1 /auth`,
        pass: changedWrites === k && changedAuth === 1 && others === 0,
      },
    ];
  } finally {
    await emulator.close();
  }
}
