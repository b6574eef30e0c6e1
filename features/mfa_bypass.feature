Feature: MFA cannot be bypassed by any flow
  For a user with TOTP in a pool with MFA, every way in either asks for the code or refuses:
  the password flows, SRP, choice-based sign-in with each first factor the target offers,
  a refresh token after sign-out, a flow the pool does not know. Never tokens without the
  code. One scenario per flow, so that the matrix shows the flow a target leaks through
  (spec §2.9, §2.14, §2.18; research: emulators that issued tokens through USER_AUTH or an
  unknown flow with no credential check).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled

  @id:mfa_bypass.initiate_auth.user_password_auth @api:InitiateAuth @doc:API-IA @must @walkthrough:9
  Scenario: USER_PASSWORD_AUTH
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth using the USER_PASSWORD_AUTH flow
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.totp_enabled_not_preferred @api:InitiateAuth @doc:API-SUMP @must @walkthrough:9
  Scenario: TOTP enabled without being preferred: every sign-in still asks for it
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables software token MFA without a preference
    When the user signs in with InitiateAuth using the USER_PASSWORD_AUTH flow
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.admin_initiate_auth.admin_user_password_auth @api:AdminInitiateAuth @doc:API-IA @must @walkthrough:9 @requires:admin.api
  Scenario: ADMIN_USER_PASSWORD_AUTH
    Given an app client that allows "USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with AdminInitiateAuth using the ADMIN_USER_PASSWORD_AUTH flow
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.admin_initiate_auth.admin_no_srp_auth @api:AdminInitiateAuth @doc:BOTO @must @requires:admin.api
  Scenario: ADMIN_NO_SRP_AUTH, the admin flow's older name
    Given an app client that allows "USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with AdminInitiateAuth using the ADMIN_NO_SRP_AUTH flow
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.user_srp_auth @api:InitiateAuth @doc:API-IA @must @walkthrough:9 @requires:auth.srp
  Scenario: USER_SRP_AUTH, with the password proven
    Given an app client that allows "USER_PASSWORD_AUTH, USER_SRP_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with SRP through InitiateAuth
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.user_auth_preferring_password @api:InitiateAuth @doc:BOTO-USER-AUTH @must @requires:auth.user_auth
  Scenario: USER_AUTH, preferring PASSWORD
    Given an app client that allows "USER_PASSWORD_AUTH, USER_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with USER_AUTH, preferring PASSWORD
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.user_auth_preferring_password_srp @api:InitiateAuth @doc:BOTO-USER-AUTH @must @requires:auth.user_auth @requires:auth.srp
  Scenario: USER_AUTH, preferring PASSWORD_SRP, with the password proven
    Given an app client that allows "USER_PASSWORD_AUTH, USER_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with USER_AUTH, preferring PASSWORD_SRP
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.respond_to_auth_challenge.user_auth_choosing_password @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @requires:auth.user_auth
  Scenario: USER_AUTH, choosing PASSWORD in SELECT_CHALLENGE
    Given an app client that allows "USER_PASSWORD_AUTH, USER_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with USER_AUTH, choosing PASSWORD
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.respond_to_auth_challenge.user_auth_choosing_password_srp @api:RespondToAuthChallenge @doc:BOTO-USER-AUTH @must @requires:auth.user_auth @requires:auth.srp
  Scenario: USER_AUTH, choosing PASSWORD_SRP in SELECT_CHALLENGE, with the password proven
    Given an app client that allows "USER_PASSWORD_AUTH, USER_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with USER_AUTH, choosing PASSWORD_SRP
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.user_auth_not_allowed @api:InitiateAuth @doc:BOTO-USER-AUTH @must
  Scenario: USER_AUTH at an app client that does not allow it (spec §9 Q23)
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with USER_AUTH, preferring PASSWORD
    Then the sign-in is refused
    And the target's answer to "Q23: USER_AUTH at a client without ALLOW_USER_AUTH" is recorded

  @id:mfa_bypass.initiate_auth.refresh_after_sign_out @api:InitiateAuth @doc:API-IA @must @walkthrough:9
  Scenario: REFRESH_TOKEN_AUTH with a refresh token from before a global sign-out
    Given an app client that allows "USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    When the user signs out everywhere with GlobalSignOut
    And the user refreshes the tokens with REFRESH_TOKEN_AUTH
    Then the sign-in is refused

  @id:mfa_bypass.initiate_auth.custom_auth_without_triggers @api:InitiateAuth @doc:BOTO @must
  Scenario: CUSTOM_AUTH in a pool with no custom-challenge triggers
    Given an app client that allows "USER_PASSWORD_AUTH, CUSTOM_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth using the CUSTOM_AUTH flow
    Then the sign-in asks for the TOTP code or is refused

  @id:mfa_bypass.initiate_auth.unknown_flow @api:InitiateAuth @doc:BOTO @must
  Scenario: An AuthFlow the service does not know
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth using the MFASPEC_NO_SUCH_FLOW flow
    Then the sign-in is refused
