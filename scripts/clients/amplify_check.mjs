// Amplify JS v6 (npm `aws-amplify`), in Node, against a running `mfaspec serve`: the sign-in
// steps a web app sees — USER_SRP_AUTH underneath (Amplify's default), TOTP set up from a
// signed-in session and through CONTINUE_SIGN_IN_WITH_TOTP_SETUP, then
// CONFIRM_SIGN_IN_WITH_TOTP_CODE and tokens; choice-based sign-in (authFlowType USER_AUTH,
// with and without a preferred challenge); TOTP beside email MFA (the MFA selection, the
// emailed code read from the endpoint's outbox, MFA setup offering both). Prints
// "amplify: N passed, M failed" and exits non-zero on any deviation.
//
// Usage: node scripts/clients/amplify_check.mjs http://127.0.0.1:PORT   (with NODE_PATH or
// run from a folder whose node_modules has aws-amplify)
import { createHmac } from 'node:crypto';
import { Amplify } from 'aws-amplify';
import {
  signIn, signOut, confirmSignIn, setUpTOTP, verifyTOTPSetup, updateMFAPreference,
  fetchAuthSession, fetchMFAPreference, rememberDevice, fetchDevices, forgetDevice,
} from 'aws-amplify/auth';

// Amplify names a confirmed device after `navigator.userAgent`, which browsers (and Node 21+)
// have; Node 20 has no `navigator`, and Amplify then silently skips ConfirmDevice.
if (typeof globalThis.navigator === 'undefined') {
  globalThis.navigator = { userAgent: `Node.js/${process.version}`, userAgentData: undefined };
}

const URL = process.argv[2];
const PASSWORD = 'Correct-Horse-9';

// The pool, app client and users are an administrator's work: raw AWS JSON 1.1 calls.
async function admin(op, body) {
  const r = await fetch(URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  if (r.status !== 200) throw new Error(`${op}: ${JSON.stringify(json)}`);
  return json;
}

async function pool(mode, devices) {
  const create = { PoolName: 'amplify' };
  if (devices) create.DeviceConfiguration = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true };
  const id = (await admin('CreateUserPool', create)).UserPool.Id;
  await admin('SetUserPoolMfaConfig', { UserPoolId: id, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true } });
  const client = (await admin('CreateUserPoolClient', {
    UserPoolId: id, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  return { id, client };
}

async function user(poolId, name) {
  await admin('AdminCreateUser', { UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true });
}

// A pool with TOTP and email MFA (Essentials, the default plan) and a client that allows
// choice-based sign-in beside SRP.
async function modernPool(mode) {
  const id = (await admin('CreateUserPool', { PoolName: 'modern' })).UserPool.Id;
  await admin('SetUserPoolMfaConfig', {
    UserPoolId: id, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true },
    EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Your code' },
  });
  const client = (await admin('CreateUserPoolClient', {
    UserPoolId: id, ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient.ClientId;
  return { id, client };
}

async function userWithEmail(poolId, name) {
  await admin('AdminCreateUser', {
    UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  });
  await admin('AdminSetUserPassword', { UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true });
}

// The newest code the endpoint emailed to `address`, from its outbox (GET /_mfaspec/outbox).
async function emailedCode(address) {
  const r = await fetch(`${URL}/_mfaspec/outbox?to=${encodeURIComponent(address)}`);
  const messages = (await r.json()).messages;
  assert(messages.length > 0, `an email to ${address}`);
  const match = messages[messages.length - 1].body.match(/\d{4,10}/g);
  assert(match, 'the email carries a code');
  return match[match.length - 1];
}

function configure(p) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: p.id, userPoolClientId: p.client, userPoolEndpoint: URL } } });
}

function totp(secret, t) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function safeNow() {
  while ((Date.now() / 1000) % 30 > 26) await new Promise((r) => setTimeout(r, 500));
  return Date.now() / 1000;
}

function assert(cond, what) {
  if (!cond) throw new Error(what);
}

const checks = [];
const check = (name, f) => checks.push([name, f]);
let secret = null;
let setupTime = 0;
let optional = null;

check('signIn (USER_SRP_AUTH underneath) with no MFA yet is DONE, with tokens', async () => {
  optional = await pool('OPTIONAL');
  await user(optional.id, 'alice');
  configure(optional);
  const r = await signIn({ username: 'alice', password: PASSWORD });
  assert(r.isSignedIn && r.nextStep.signInStep === 'DONE', JSON.stringify(r));
  const s = await fetchAuthSession();
  assert(s.tokens?.idToken?.payload['cognito:username'] === 'alice', 'the ID token names alice');
});

check('setUpTOTP, verifyTOTPSetup and updateMFAPreference make TOTP preferred', async () => {
  const details = await setUpTOTP();
  secret = details.sharedSecret;
  assert(/^[A-Z2-7]{16,}$/.test(secret), 'a Base32 shared secret');
  assert(details.getSetupUri('mfaspec').href.startsWith('otpauth://totp/'), 'an otpauth:// setup URI');
  setupTime = await safeNow();
  await verifyTOTPSetup({ code: totp(secret, setupTime), options: { friendlyDeviceName: 'AmplifyPhone' } });
  await updateMFAPreference({ totp: 'PREFERRED' });
  const p = await fetchMFAPreference();
  assert(p.preferred === 'TOTP' && p.enabled?.includes('TOTP'), JSON.stringify(p));
});

check('signIn is CONFIRM_SIGN_IN_WITH_TOTP_CODE; confirmSignIn with the next code gives tokens', async () => {
  await signOut();
  const r = await signIn({ username: 'alice', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', JSON.stringify(r.nextStep));
  // The setup used its step's code; the next step's is fresh and inside the window.
  const done = await confirmSignIn({ challengeResponse: totp(secret, setupTime + 30) });
  assert(done.isSignedIn && done.nextStep.signInStep === 'DONE', JSON.stringify(done));
  const s = await fetchAuthSession();
  assert(s.tokens?.accessToken?.payload.username === 'alice', 'the access token names alice');
});

check('a wrong TOTP code is refused and the same sign-in takes the right one', async () => {
  await signOut();
  const now = await safeNow();
  // A step inside the ±1 window that neither the setup nor the last sign-in used.
  const used = [Math.floor(setupTime / 30), Math.floor(setupTime / 30) + 1];
  const fresh = [now - 30, now, now + 30].find((t) => !used.includes(Math.floor(t / 30)));
  const r = await signIn({ username: 'alice', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', JSON.stringify(r.nextStep));
  let refused = null;
  try {
    await confirmSignIn({ challengeResponse: totp(secret, fresh) === '000000' ? '111111' : '000000' });
  } catch (e) {
    refused = e.name;
  }
  assert(refused === 'CodeMismatchException', `a wrong code: ${refused}`);
  const done = await confirmSignIn({ challengeResponse: totp(secret, fresh) });
  assert(done.isSignedIn, JSON.stringify(done));
});

check('a wrong password is NotAuthorizedException', async () => {
  await signOut();
  let name = null;
  try {
    await signIn({ username: 'alice', password: 'Wrong-Pa55word!' });
  } catch (e) {
    name = `${e.name}: ${e.message}`;
  }
  assert(name === 'NotAuthorizedException: Incorrect username or password.', `got ${name}`);
});

check('in an MFA-ON pool, signIn is CONTINUE_SIGN_IN_WITH_TOTP_SETUP; confirmSignIn with a code gives tokens', async () => {
  await signOut();
  const on = await pool('ON');
  await user(on.id, 'bob');
  configure(on);
  const r = await signIn({ username: 'bob', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', JSON.stringify(r.nextStep));
  const shared = r.nextStep.totpSetupDetails.sharedSecret;
  const done = await confirmSignIn({ challengeResponse: totp(shared, await safeNow()) });
  assert(done.isSignedIn && done.nextStep.signInStep === 'DONE', JSON.stringify(done));
  const s = await fetchAuthSession();
  assert(s.tokens?.idToken?.payload['cognito:username'] === 'bob', 'the ID token names bob');
});

let devicePool = null;
let deviceSecret = null;
let deviceTime = 0;

check('on a device-tracking pool, confirmSignIn confirms the device; rememberDevice and fetchDevices show it', async () => {
  await signOut();
  devicePool = await pool('OPTIONAL', true);
  await user(devicePool.id, 'carol');
  configure(devicePool);
  await signIn({ username: 'carol', password: PASSWORD });
  const details = await setUpTOTP();
  deviceSecret = details.sharedSecret;
  deviceTime = await safeNow();
  await verifyTOTPSetup({ code: totp(deviceSecret, deviceTime) });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();
  const r = await signIn({ username: 'carol', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', JSON.stringify(r.nextStep));
  const done = await confirmSignIn({ challengeResponse: totp(deviceSecret, deviceTime + 30) });
  assert(done.isSignedIn, JSON.stringify(done));
  await rememberDevice();
  const devices = await fetchDevices();
  assert(devices.length === 1 && devices[0].attributes?.device_status === 'remembered', JSON.stringify(devices));
});

check('the next signIn on the remembered device is DONE with no TOTP step (DEVICE_SRP_AUTH underneath)', async () => {
  await signOut();
  const r = await signIn({ username: 'carol', password: PASSWORD });
  assert(r.isSignedIn && r.nextStep.signInStep === 'DONE', JSON.stringify(r.nextStep));
  const s = await fetchAuthSession();
  assert(typeof s.tokens?.accessToken?.payload.device_key === 'string', 'the access token names the device');
});

check('after forgetDevice the TOTP step is back', async () => {
  await forgetDevice();
  await signOut();
  const r = await signIn({ username: 'carol', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', JSON.stringify(r.nextStep));
});

let modern = null;
let daveSecret = null;
let daveSetup = 0;
const USER_AUTH = { authFlowType: 'USER_AUTH' };

check('USER_AUTH with preferredChallenge PASSWORD_SRP, then TOTP set up and CONFIRM_SIGN_IN_WITH_TOTP_CODE', async () => {
  await signOut();
  modern = await modernPool('OPTIONAL');
  await userWithEmail(modern.id, 'dave');
  configure(modern);
  const first = await signIn({ username: 'dave', password: PASSWORD, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } });
  assert(first.isSignedIn, JSON.stringify(first.nextStep));
  const details = await setUpTOTP();
  daveSecret = details.sharedSecret;
  daveSetup = await safeNow();
  await verifyTOTPSetup({ code: totp(daveSecret, daveSetup) });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();
  const r = await signIn({ username: 'dave', password: PASSWORD, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } });
  assert(r.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', `USER_AUTH skipped MFA: ${JSON.stringify(r.nextStep)}`);
  const done = await confirmSignIn({ challengeResponse: totp(daveSecret, daveSetup + 30) });
  assert(done.isSignedIn && done.nextStep.signInStep === 'DONE', JSON.stringify(done));
});

check('USER_AUTH without a preference is CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION; PASSWORD, then the TOTP code', async () => {
  await signOut();
  const r = await signIn({ username: 'dave', options: USER_AUTH });
  assert(r.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', JSON.stringify(r.nextStep));
  const offered = r.nextStep.availableChallenges || [];
  assert(offered.includes('PASSWORD') && offered.includes('PASSWORD_SRP'), JSON.stringify(offered));
  const chosen = await confirmSignIn({ challengeResponse: 'PASSWORD' });
  assert(chosen.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_PASSWORD', JSON.stringify(chosen.nextStep));
  const totpStep = await confirmSignIn({ challengeResponse: PASSWORD });
  assert(totpStep.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', `the password skipped MFA: ${JSON.stringify(totpStep.nextStep)}`);
  // An unused step inside the ±1 window: the setup used its own, the last sign-in the next.
  const done = await confirmSignIn({ challengeResponse: totp(daveSecret, daveSetup - 30) });
  assert(done.isSignedIn, JSON.stringify(done));
});

let frankSecret = null;
let frankSetup = 0;

check('TOTP and email enabled, none preferred: CONTINUE_SIGN_IN_WITH_MFA_SELECTION, choosing TOTP', async () => {
  await signOut();
  await userWithEmail(modern.id, 'frank');
  await signIn({ username: 'frank', password: PASSWORD });
  const details = await setUpTOTP();
  frankSecret = details.sharedSecret;
  frankSetup = await safeNow();
  await verifyTOTPSetup({ code: totp(frankSecret, frankSetup) });
  await updateMFAPreference({ totp: 'ENABLED', email: 'ENABLED' });
  const p = await fetchMFAPreference();
  assert(p.enabled?.includes('TOTP') && p.enabled?.includes('EMAIL') && !p.preferred, JSON.stringify(p));
  await signOut();
  const r = await signIn({ username: 'frank', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', JSON.stringify(r.nextStep));
  const allowed = r.nextStep.allowedMFATypes || [];
  assert(allowed.includes('TOTP') && allowed.includes('EMAIL'), JSON.stringify(allowed));
  const chosen = await confirmSignIn({ challengeResponse: 'TOTP' });
  assert(chosen.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', JSON.stringify(chosen.nextStep));
  const done = await confirmSignIn({ challengeResponse: totp(frankSecret, frankSetup + 30) });
  assert(done.isSignedIn, JSON.stringify(done));
});

check('the MFA selection choosing EMAIL: CONFIRM_SIGN_IN_WITH_EMAIL_CODE with the code from the outbox', async () => {
  await signOut();
  const r = await signIn({ username: 'frank', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', JSON.stringify(r.nextStep));
  const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert(chosen.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', JSON.stringify(chosen.nextStep));
  assert(chosen.nextStep.codeDeliveryDetails?.deliveryMedium === 'EMAIL', JSON.stringify(chosen.nextStep));
  let refused = null;
  const right = await emailedCode('frank@example.com');
  try {
    await confirmSignIn({ challengeResponse: right === '000000' ? '111111' : '000000' });
  } catch (e) {
    refused = e.name;
  }
  assert(refused === 'CodeMismatchException', `a wrong emailed code: ${refused}`);
  const done = await confirmSignIn({ challengeResponse: right });
  assert(done.isSignedIn, JSON.stringify(done));
});

check('in an MFA-ON pool with TOTP and email, CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION; email set up with its code', async () => {
  await signOut();
  const on = await modernPool('ON');
  await user(on.id, 'grace');
  configure(on);
  const r = await signIn({ username: 'grace', password: PASSWORD });
  assert(r.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', JSON.stringify(r.nextStep));
  const allowed = r.nextStep.allowedMFATypes || [];
  assert(allowed.includes('TOTP') && allowed.includes('EMAIL'), JSON.stringify(allowed));
  const setup = await confirmSignIn({ challengeResponse: 'EMAIL' });
  assert(setup.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP', JSON.stringify(setup.nextStep));
  const sent = await confirmSignIn({ challengeResponse: 'grace@example.com' });
  assert(sent.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', JSON.stringify(sent.nextStep));
  const done = await confirmSignIn({ challengeResponse: await emailedCode('grace@example.com') });
  assert(done.isSignedIn, JSON.stringify(done));
  const p = await fetchMFAPreference();
  assert(p.enabled?.includes('EMAIL'), JSON.stringify(p));
});

let passed = 0;
let failed = 0;
for (const [name, f] of checks) {
  try {
    await f();
    passed += 1;
    console.log(`amplify: ok    ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`amplify: FAIL  ${name}\n  ${e.stack || e}`);
  }
}
console.log(`amplify: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
