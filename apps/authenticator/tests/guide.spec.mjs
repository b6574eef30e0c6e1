import { test, expect } from '@playwright/test';

// A code mfaspec serve accepts now and has never accepted (`mfaspec serve --phone`).
async function phoneCode(username) {
  const url = `${process.env.SERVE_URL}/_mfaspec/phone?pool_id=${process.env.POOL_ID}&username=${username}`;
  return (await (await fetch(url)).json()).code;
}

test('dave signs in with his password and a TOTP code', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('dave');
  await page.getByLabel('Password', { exact: true }).fill('Dave-Passw0rd-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Code').fill(await phoneCode('dave'));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, dave' })).toBeVisible();
});
