/** The CAR emulator's public face: `car-sync emulator`, the demo, the benchmark and the tests use this. */
export { startEmulator } from './start-emulator.js';
export { emulatorOptionsFromArgs, parseEmulatorUser, runEmulatorCli } from './cli.js';
export type { EmulatorOptions, EmulatorUser, LoggedRequest, RunningEmulator, StoredScript } from './types.js';
