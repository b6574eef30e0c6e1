Feature: Sessions — single use, chained, and expiring after the client's AuthSessionValidity
  Each response's Session must be fed to the next call; a consumed session is refused, a
  session from another step is refused, and a session expires after AuthSessionValidity
  (3 minutes by default) (spec §4 B5, B6).

  Background:
    Given a user pool with MFA ON and software token MFA enabled
    And an app client that allows "ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user

  @id:sessions.associate_software_token.consumed @api:AssociateSoftwareToken @doc:I-AJS-13123 @should @walkthrough:1 @requires:totp.session_setup
  Scenario: A session that was already used is refused
    When the user signs in with InitiateAuth
    And the user calls AssociateSoftwareToken with the session
    Then the response contains a SecretCode
    When the user calls AssociateSoftwareToken again with the first session
    Then the request fails with NotAuthorizedException

  @id:sessions.verify_software_token.other_step @api:VerifySoftwareToken @doc:I-AJS-5271 @should @walkthrough:7 @requires:totp.session_setup
  Scenario: A session from another step is refused
    When the user signs in with InitiateAuth
    And the user calls VerifySoftwareToken with the first session
    Then the request fails with NotAuthorizedException and the message "Invalid session for the user."

  @id:sessions.associate_software_token.expired @api:AssociateSoftwareToken @doc:DG-AUTHFLOW @must @walkthrough:1 @slow @requires:totp.session_setup
  Scenario: A session is refused after the default three minutes
    When the user signs in with InitiateAuth
    And 3 minutes pass
    And the user calls AssociateSoftwareToken with the session
    Then the request fails with NotAuthorizedException

  @id:sessions.respond_to_auth_challenge.consumed @api:RespondToAuthChallenge @doc:I-AJS-14330 @should @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:9 @requires:totp.session_setup
  Scenario: A SOFTWARE_TOKEN_MFA session that already produced tokens is refused
    When the user signs in with InitiateAuth
    And the user calls AssociateSoftwareToken with the session
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    And the user answers the MFA_SETUP challenge with the session
    And the user signs in with InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    When the user answers the challenge with a fresh code
    Then the request fails with NotAuthorizedException

  @id:sessions.respond_to_auth_challenge.expired @api:RespondToAuthChallenge @doc:CODE-SESSION-EXPIRED @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:9 @slow @requires:totp.session_setup
  Scenario: A SOFTWARE_TOKEN_MFA session is refused after three minutes
    When the user signs in with InitiateAuth
    And the user calls AssociateSoftwareToken with the session
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    And the user answers the MFA_SETUP challenge with the session
    And the user signs in with InitiateAuth
    And 3 minutes pass
    And the user answers the challenge with a fresh code
    Then the request fails with NotAuthorizedException
