/**
 * Browser tests (`npm run test:browser`): playwright-core driving Debian's chromium
 * (/usr/bin/chromium; never a downloaded browser) over the HTML report and the live dashboard.
 * Kept out of `npm test`, which stays quick; `.ci/run` runs both and counts both.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
