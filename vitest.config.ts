import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Two workers on a two-core machine: most tests wait on loopback sockets, not the CPU
    // (one worker, the default here, took 57 s against 41 s).
    maxWorkers: 2,
    // A worker keeps the modules it loaded from one test file to the next: importing the
    // platform clients and the index code again for each of forty files was half the run
    // (47 s against 20 s). No test mocks a module or leaves state behind: the suite passes
    // with its files and tests shuffled (--sequence.shuffle).
    isolate: false,
    // The end-to-end tests start real discord.js and Bolt clients against loopback fakes;
    // on a shared two-core machine they need more than the default 5 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
