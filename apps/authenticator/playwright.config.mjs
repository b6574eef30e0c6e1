// Headless Debian Chromium (no browser download), one worker: the tests share a pool.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 60_000,
  reporter: [['list'], ['junit', { outputFile: process.env.APP_REPORT || 'report/junit.xml' }]],
  use: {
    baseURL: process.env.APP_ORIGIN,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--ignore-certificate-errors'],
    },
    trace: 'off',
    screenshot: 'off',
  },
});
