Feature: The hosted UI — setting up TOTP on the setup page, as a phone does
  In a pool whose MFA is ON, a user without a factor is asked to set up an authenticator app
  after the password. The page shows the key as a QR code image; the harness's phone reads it
  from a picture of that image, as a phone's camera does, then the user enters a code and a
  device name and is signed in (spec §2.17).

  Background:
    Given a user pool with MFA ON and software token MFA enabled
    And the pool has a hosted UI domain and an app client that signs in through it
    And a confirmed user

  @id:hosted_ui.setup.qr_code @api:mfa-setup @doc:HUI-TOTP @doc:API-AST @must @walkthrough:9 @requires:hosted_ui
  Scenario: A user required to set up TOTP scans the QR code, signs in, and is then asked for the code
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    Then the page asks the user to set up an authenticator app with a QR code
    When the user's phone scans the QR code on the page
    And the user enters a fresh code and the device name "PagePhone" on the setup page
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    When the user signs in with AdminInitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "PagePhone"

  @id:hosted_ui.setup.wrong_code @api:mfa-setup @doc:HUI-TOTP @should @requires:hosted_ui
  Scenario: A wrong code on the setup page shows an error and keeps the page
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user's phone scans the QR code on the page
    And the user enters a wrong code on the page
    Then the page shows an error
    And the page asks the user to set up an authenticator app with a QR code
