Feature: Choice-based sign-in (USER_AUTH) for a user with TOTP
  An app client that allows ALLOW_USER_AUTH signs users in with USER_AUTH: without a
  PREFERRED_CHALLENGE the pool answers SELECT_CHALLENGE with its AvailableChallenges, and the
  answer names the first factor with its parameters in the same response (PASSWORD with the
  password, PASSWORD_SRP with SRP_A). After a password first factor the user's MFA challenge
  follows as in every other flow: choice-based sign-in never skips TOTP (spec §2.18).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"

  @id:user_auth.initiate_auth.select_challenge @api:InitiateAuth @doc:BOTO-USER-AUTH @should @requires:auth.user_auth
  Scenario: Without a preferred challenge, the pool offers the password first factors
    When the user starts choice-based sign-in with InitiateAuth
    Then the challenge is "SELECT_CHALLENGE"
    And the available challenges include "PASSWORD, PASSWORD_SRP"

  @id:user_auth.respond_to_auth_challenge.password_then_totp @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @walkthrough:9 @requires:auth.user_auth
  Scenario: PASSWORD chosen in SELECT_CHALLENGE, then the TOTP code
    When the user starts choice-based sign-in with InitiateAuth
    And the user answers SELECT_CHALLENGE with PASSWORD and the password
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:user_auth.respond_to_auth_challenge.password_srp_then_totp @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @walkthrough:9 @requires:auth.user_auth @requires:auth.srp
  Scenario: PASSWORD_SRP chosen in SELECT_CHALLENGE, the password proven, then the TOTP code
    When the user starts choice-based sign-in with InitiateAuth
    And the user answers SELECT_CHALLENGE with PASSWORD_SRP
    Then the challenge is PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP
    When the user answers PASSWORD_VERIFIER rightly
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:user_auth.initiate_auth.preferred_password_srp @api:InitiateAuth @doc:BOTO-USER-AUTH @must @walkthrough:9 @requires:auth.user_auth @requires:auth.srp
  Scenario: PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A in the first call, as Amplify sends it
    When the user signs in with USER_AUTH through InitiateAuth, preferring PASSWORD_SRP
    Then the challenge is PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP
    When the user answers PASSWORD_VERIFIER rightly
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:user_auth.initiate_auth.preferred_password @api:InitiateAuth @doc:BOTO-USER-AUTH @must @walkthrough:9 @requires:auth.user_auth
  Scenario: PREFERRED_CHALLENGE PASSWORD with the password in the first call
    When the user signs in with USER_AUTH through InitiateAuth, preferring PASSWORD
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:user_auth.admin_initiate_auth.preferred_password @api:AdminInitiateAuth @doc:BOTO-USER-AUTH @must @walkthrough:9 @requires:auth.user_auth @requires:admin.api
  Scenario: The admin variant: AdminInitiateAuth USER_AUTH, then AdminRespondToAuthChallenge with the code
    When the user signs in with USER_AUTH through AdminInitiateAuth, preferring PASSWORD
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:user_auth.respond_to_auth_challenge.wrong_code @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @requires:auth.user_auth @requires:totp.verifies_codes
  Scenario: A wrong TOTP code after a password first factor
    When the user signs in with USER_AUTH through InitiateAuth, preferring PASSWORD
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a wrong code
    Then the request fails with CodeMismatchException

  @id:user_auth.respond_to_auth_challenge.not_offered @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @requires:auth.user_auth
  Scenario: An answer that is not among the AvailableChallenges is refused (spec §9 Q24)
    When the user starts choice-based sign-in with InitiateAuth
    Then the challenge is "SELECT_CHALLENGE"
    When the user answers SELECT_CHALLENGE with a challenge that was not offered
    Then the sign-in is refused
    And the target's answer to "Q24: a SELECT_CHALLENGE answer that was not offered" is recorded
