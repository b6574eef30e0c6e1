// A minimal app as teams write them: Amplify JS v6 configured for a user pool, and
// @aws-amplify/ui-react's <Authenticator> untouched (no test ids in Amplify's markup), plus a
// button for signInWithRedirect through the hosted UI. Nothing here knows it talks to
// mfaspec serve: the configuration (config.js, written by the test run) names the pool, the
// app client, the API endpoint (userPoolEndpoint) and the hosted UI's domain.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { Amplify } from 'aws-amplify';
import { signInWithRedirect, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { Authenticator } from '@aws-amplify/ui-react';
import '@aws-amplify/ui-react/styles.css';

const cfg = window.APP_CONFIG;
const here = window.location.origin + '/';

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: cfg.userPoolId,
      userPoolClientId: cfg.userPoolClientId,
      userPoolEndpoint: cfg.userPoolEndpoint,
      loginWith: {
        username: true,
        oauth: {
          domain: cfg.oauthDomain, // host[:port]: Amplify builds https://<domain>/oauth2/...
          scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
          redirectSignIn: [here],
          redirectSignOut: [here],
          responseType: 'code',
        },
      },
    },
  },
});

// What the hosted UI's redirect came back with, for the page (and a test) to show.
Hub.listen('auth', ({ payload }) => {
  if (payload.event === 'signInWithRedirect_failure') {
    const el = document.getElementById('redirect-error');
    if (el) el.textContent = String(payload.data?.error?.message || 'the redirect sign-in failed');
  }
});

function App() {
  return (
    <main style={{ maxWidth: 480, margin: '2rem auto', fontFamily: 'sans-serif' }}>
      <Authenticator hideSignUp formFields={{ setupTotp: { QR: { totpIssuer: 'mfaspec-app' } } }}>
        {({ user }) => (
          <section>
            <h1>Welcome, {user?.username}</h1>
            <button type="button" onClick={() => signOut()}>Sign out</button>
          </section>
        )}
      </Authenticator>
      <p style={{ textAlign: 'center' }}>
        <button type="button" onClick={() => signInWithRedirect()}>Sign in with the hosted UI</button>
      </p>
      <p id="redirect-error" role="status" style={{ color: 'crimson' }} />
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
