import * as core from '@actions/core';
import { runPost } from './action/post.js';

runPost().catch((err: unknown) => core.setFailed(`Committing the state file failed: ${err instanceof Error ? err.message : String(err)}`));
