import * as core from '@actions/core';
import { runAction } from './action/run.js';

runAction().catch((err: unknown) => core.setFailed(err instanceof Error ? err.message : String(err)));
