import { defineConfig } from 'vitest/config';

/**
 * Tests that time the event loop run after all the others, on their own: on a shared
 * two-core machine, another test file's work in the second worker can hold the CPU long
 * enough to show as a stall that the code under test never made (a reload test measured
 * 116 ms in a full run, and 30–55 ms on its own).
 */
const TIMED_ALONE = ['test/reliability/reload.test.ts'];

/** What every test file runs with. */
const shared = {
  // A worker keeps the modules it loaded from one test file to the next: importing the
  // platform clients and the index code again for each of forty files was half the run
  // (47 s against 20 s). No test mocks a module or leaves state behind: the suite passes
  // with its files and tests shuffled (--sequence.shuffle).
  isolate: false,
  // The end-to-end tests start real discord.js and Bolt clients against loopback fakes;
  // on a shared two-core machine they need more than the default 5 s.
  testTimeout: 30_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    // The build, once for the whole run (a project's own globalSetup would run it again).
    globalSetup: ['test/support/global-setup.ts'],
    // Two workers on a two-core machine: most tests wait on loopback sockets, not the CPU
    // (one worker, the default here, took 57 s against 41 s).
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: TIMED_ALONE } },
      { test: { ...shared, name: 'timed', include: TIMED_ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
