// Loaded with `node --import` into a measured child: on exit it writes the process's peak resident
// memory (KB) where the benchmark asked, so memory needs no /usr/bin/time and works on any OS.
import { writeFileSync } from 'node:fs';

const file = process.env.CAR_SYNC_BENCH_RSS_FILE;
if (file) {
  // The measured program must not see the variable, nor pass it on.
  delete process.env.CAR_SYNC_BENCH_RSS_FILE;
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
