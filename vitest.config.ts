import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Two workers on a two-core machine: most tests wait on loopback sockets, not the CPU
    // (one worker, the default here, took 57 s against 41 s).
    maxWorkers: 2,
    // The end-to-end tests start real discord.js and Bolt clients against loopback fakes;
    // on a shared two-core machine they need more than the default 5 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
