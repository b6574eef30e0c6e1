Feature: The hosted UI — signing in with TOTP in a real browser
  Step 9 of the walk-through names two ways to test the setup: the Amazon Cognito hosted UI,
  and InitiateAuth/AdminInitiateAuth. These scenarios drive the first in headless Chromium:
  the pool's domain, an app client with the authorization code flow, the sign-in page, the
  TOTP code page, the TOTP setup page, and the app's side — the code exchanged at the token
  endpoint with PKCE, the ID token checked against the pool's keys (spec §2.17). Fields are
  found by their labels and buttons by their names, not by the reference endpoint's markup.

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And the pool has a hosted UI domain and an app client that signs in through it
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"

  @id:hosted_ui.totp.sign_in @api:oauth2/authorize @doc:HUI-AUTHORIZE @doc:HUI-TOTP @must @walkthrough:9 @requires:hosted_ui
  Scenario: A user with TOTP signs in through the hosted UI and the app gets verified tokens
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    Then the page asks for the code from the authenticator app
    When the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    And the ID token verifies against the pool's keys and names the app client, the pool and the nonce

  @id:hosted_ui.totp.wrong_code_then_right @api:oauth2/authorize @doc:HUI-TOTP @must @requires:hosted_ui
  Scenario: A wrong TOTP code shows an error on the page, and the right one then signs in
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters a wrong code on the page
    Then the page shows an error
    And the page asks for the code from the authenticator app
    When the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state

  @id:hosted_ui.totp.code_already_used @api:oauth2/authorize @doc:HUI-TOTP @doc:API-VST @should @requires:hosted_ui
  Scenario: The code the phone showed for the setup is refused on the TOTP page
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters the code they used last on the page
    Then the page shows an error
    And the page asks for the code from the authenticator app

  @id:hosted_ui.login.wrong_password @api:login @doc:HUI-LOGIN @must @requires:hosted_ui
  Scenario: A wrong password shows the error on the sign-in page
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with a wrong password
    Then the page shows the error "Incorrect username or password."

  @id:hosted_ui.token.wrong_pkce_verifier @api:oauth2/token @doc:HUI-TOKEN @must @requires:hosted_ui
  Scenario: A code exchanged with the wrong PKCE verifier is invalid_grant
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint with a wrong PKCE verifier
    Then the token endpoint refuses with "invalid_grant"

  @id:hosted_ui.token.code_used_twice @api:oauth2/token @doc:HUI-TOKEN @must @requires:hosted_ui
  Scenario: A code exchanged twice is invalid_grant the second time
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    When the app exchanges the code at the token endpoint again
    Then the token endpoint refuses with "invalid_grant"

  @id:hosted_ui.authorize.unregistered_redirect_uri @api:oauth2/authorize @doc:HUI-AUTHORIZE @must @requires:hosted_ui
  Scenario: A redirect_uri the app client does not have is refused before any form is shown
    When the user opens the hosted UI with a redirect_uri the app client does not have
    Then the page shows an error and no sign-in form

  @id:hosted_ui.totp.page_shape @api:oauth2/authorize @doc:HUI-TOTP @doc:SRP-NOTES @probe @requires:hosted_ui
  Scenario: What the page after the password asks a TOTP user for (spec §9 Q21)
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    Then the hosted UI's answer to "Q21: the TOTP page's fields" is recorded

  @id:hosted_ui.session.one_hour_later @api:oauth2/authorize @doc:SRP-NOTES @probe @requires:hosted_ui @requires:time.control
  Scenario: Whether the hosted UI still knows the browser 61 minutes after a sign-in (spec §9 Q22)
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state
    When 61 minutes pass for the browser's session
    And the user opens the hosted UI's sign-in page
    Then the hosted UI's answer to "Q22: the hosted UI session after 61 minutes" is recorded
