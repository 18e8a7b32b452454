import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests start real discord.js and Bolt clients against loopback fakes;
    // on a shared two-core machine they need more than the default 5 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
