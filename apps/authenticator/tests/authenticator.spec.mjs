// Amplify's Authenticator against mfaspec serve, in headless Chromium, as its users see it:
// fields found by their labels, buttons by their names, no test ids in Amplify's markup.
import { test, expect } from '@playwright/test';
import { readQr, codeOf, phoneCode, wrongCode } from './phone.mjs';

const shots = process.env.APP_SCREENSHOTS; // a folder: the docs' screenshots are taken there

// What the browser said: when a check fails because the browser refused serve's answers,
// the failure says so (CORS), not just that a screen never came.
let consoleErrors = [];
test.beforeEach(({ page }) => {
  consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
});
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  const cors = consoleErrors.find((e) => e.includes('CORS'));
  if (cors) console.log(`the browser refused serve's answers (CORS). ${cors}`);
});

async function signIn(page, username, password) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Username')).toBeVisible();
}

test('a user sets up TOTP from the QR code, then signs in with a code; a wrong code shows the error', async ({ page }) => {
  await page.goto('/');
  await signIn(page, 'carol', 'Carol-Passw0rd-1');

  // MFA is ON and carol has no TOTP: the Authenticator's setup screen, with its QR code.
  const qr = page.getByRole('img', { name: 'qr code' });
  await expect(qr).toBeVisible();
  const uri = await readQr(qr);
  expect(uri).toMatch(/^otpauth:\/\/totp\/mfaspec-app:carol\?/);
  const secret = new URL(uri).searchParams.get('secret');
  if (shots) {
    // The key stays out of the picture: the QR code and the printed secret are masked.
    await page.screenshot({
      path: `${shots}/authenticator-setup-totp.png`,
      mask: [qr, page.getByText(secret, { exact: true })],
    });
  }
  await page.getByLabel('Code').fill(codeOf(uri));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, carol' })).toBeVisible();
  await signOut(page);

  // Again: now the code screen. The setup spent this step's code; the phone route knows.
  await signIn(page, 'carol', 'Carol-Passw0rd-1');
  await expect(page.getByRole('heading', { name: 'Confirm TOTP Code' })).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}/authenticator-confirm-totp.png` });
  const code = await phoneCode('carol');
  await page.getByLabel('Code').fill(wrongCode(code));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Invalid code');
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, carol' })).toBeVisible();
  await signOut(page);
});

test("signInWithRedirect goes through serve's hosted UI with TOTP and comes back signed in", async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in with the hosted UI' }).click();
  // The hosted UI, over HTTPS at the pool's domain, as Amplify requires.
  await page.waitForURL(/^https:\/\/app-e2e\.auth\.us-east-1\.localhost:\d+\/login/);
  await signIn(page, 'dave', 'Dave-Passw0rd-1');
  await page.getByLabel('Code from your authenticator app').fill(await phoneCode('dave'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back at the app, which exchanged the code at the token endpoint (PKCE) from the page.
  await page.waitForURL((url) => url.origin === new URL(process.env.APP_ORIGIN).origin);
  await expect(page.getByRole('heading', { name: 'Welcome, dave' })).toBeVisible();
  await expect(page.locator('#redirect-error')).toHaveText('');
});
