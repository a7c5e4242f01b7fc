import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
    pool: 'forks',
    // a loaded 2-core CI machine runs browsers beside servers: polls wait up to 10 s, not 1 s
    expect: { poll: { timeout: 10_000 } },
  },
});
