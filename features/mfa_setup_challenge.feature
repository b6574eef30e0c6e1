Feature: MFA_SETUP — a pool that requires MFA asks a user without a factor to set one up
  InitiateAuth → MFA_SETUP + Session₁ → AssociateSoftwareToken(Session₁) → SecretCode +
  Session₂ → VerifySoftwareToken(Session₂) → SUCCESS + Session₃ →
  RespondToAuthChallenge(MFA_SETUP, Session₃) → tokens (spec §5, §4 B6, B10).

  Background:
    Given a user pool with MFA ON and software token MFA enabled
    And an app client that allows "ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user

  @id:mfa_setup.respond_to_auth_challenge.session_chain @api:RespondToAuthChallenge @doc:API-RTAC @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @requires:totp.session_setup
  Scenario: The session chain from sign-in to tokens
    When the user signs in with InitiateAuth
    Then the challenge is "MFA_SETUP"
    And the challenge parameter "MFAS_CAN_SETUP" is a JSON list of "SOFTWARE_TOKEN_MFA"
    When the user calls AssociateSoftwareToken with the session
    Then the response contains a SecretCode
    And the response includes a session
    When the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    Then the response status is "SUCCESS"
    And the response includes a session
    When the user answers the MFA_SETUP challenge with the session
    Then the user receives access, ID and refresh tokens

  @id:mfa_setup.initiate_auth.challenged_after_setup @api:InitiateAuth @doc:MOTO-T @should @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:9 @requires:totp.session_setup
  Scenario: After setting up through MFA_SETUP, the next sign-in asks for a code without a preference call
    When the user signs in with InitiateAuth
    And the user calls AssociateSoftwareToken with the session
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    And the user answers the MFA_SETUP challenge with the session
    And the user signs in with InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"

  @id:mfa_setup.admin_respond_to_auth_challenge.after_new_password @api:AdminRespondToAuthChallenge @doc:MOTO-T @should @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @requires:admin.api @requires:totp.session_setup
  Scenario: A user with a temporary password sets a new one, then sets up TOTP
    Given a user with a temporary password
    When the user signs in with AdminInitiateAuth
    Then the challenge is "NEW_PASSWORD_REQUIRED"
    When the user answers NEW_PASSWORD_REQUIRED with a new password
    Then the challenge is "MFA_SETUP"
    When the user calls AssociateSoftwareToken with the session
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    And the user answers the MFA_SETUP challenge with the session
    Then the user receives access, ID and refresh tokens

  @id:mfa_setup.srp.after_new_password @api:RespondToAuthChallenge @doc:MOTO-SRP @should @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @requires:auth.srp @requires:totp.session_setup
  Scenario: Through SRP, a user with a temporary password sets a new one, then sets up TOTP
    Given an app client that allows "USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH"
    And a user with a temporary password
    When the user signs in with SRP through InitiateAuth
    Then the challenge is "NEW_PASSWORD_REQUIRED"
    When the user answers NEW_PASSWORD_REQUIRED with a new password
    Then the challenge is "MFA_SETUP"
    When the user calls AssociateSoftwareToken with the session
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name "BobPhone"
    And the user answers the MFA_SETUP challenge with the session
    Then the user receives access, ID and refresh tokens
