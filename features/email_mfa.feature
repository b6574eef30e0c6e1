Feature: Email MFA beside TOTP — EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP with two factors
  A pool with EmailMfaConfiguration sends codes by email (its message carries them in
  `{####}`); a user with TOTP and email MFA and no preference chooses in SELECT_MFA_TYPE, a
  preference goes straight to that factor, and EMAIL_OTP is answered with EMAIL_OTP_CODE. An
  ON pool offers both factors in MFA_SETUP (spec §2.20). Codes come from the target's inbox:
  `mfaspec serve`'s outbox, or a profile's mail command; without one these scenarios are n/a.

  @id:email_mfa.set_user_pool_mfa_config.reads_back @api:GetUserPoolMfaConfig @doc:API-EMAILMFA @must
  Scenario: The pool's email MFA configuration is read back
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    Then the pool's email MFA message reads back

  @id:email_mfa.set_user_pool_mfa_config.off_with_email @api:SetUserPoolMfaConfig @doc:I-CDKD-1923 @should
  Scenario: MFA OFF together with email MFA is refused
    Given a user pool without MFA
    When the administrator sets the pool's MFA configuration to OFF with email MFA
    Then the request fails with InvalidParameterException and the message "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."

  @id:email_mfa.set_user_pool_mfa_config.no_placeholder @api:SetUserPoolMfaConfig @doc:API-EMAILMFA @must
  Scenario: An email message without the {####} placeholder is refused
    Given a user pool without MFA
    When the administrator sets the pool's email MFA message to one without the {####} placeholder
    Then the request fails with InvalidParameterException

  @id:email_mfa.respond_to_auth_challenge.choose_totp @api:RespondToAuthChallenge @doc:API-SUMP @must @walkthrough:9
  Scenario: TOTP and email, no preference: SELECT_MFA_TYPE, and the user chooses TOTP
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables software token MFA without a preference
    And the user enables email MFA without a preference
    When the user signs in with InitiateAuth
    Then the challenge is "SELECT_MFA_TYPE"
    And the challenge parameter "MFAS_CAN_CHOOSE" includes "SOFTWARE_TOKEN_MFA"
    When the user answers SELECT_MFA_TYPE with SOFTWARE_TOKEN_MFA
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:email_mfa.initiate_auth.email_factor_name @api:InitiateAuth @doc:BOTO-USER-AUTH @probe
  Scenario: The email factor's name in MFAS_CAN_CHOOSE (spec §9 Q27)
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables software token MFA without a preference
    And the user enables email MFA without a preference
    When the user signs in with InitiateAuth
    Then the email factor's name in MFAS_CAN_CHOOSE is recorded

  @id:email_mfa.respond_to_auth_challenge.choose_email @api:RespondToAuthChallenge @doc:AMP-JS-SIGNIN @must
  Scenario: TOTP and email, no preference: the user chooses email and answers with the emailed code
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables software token MFA without a preference
    And the user enables email MFA without a preference
    When the user signs in with InitiateAuth
    And the user answers SELECT_MFA_TYPE with the email factor it offered
    Then the challenge is "EMAIL_OTP"
    And the code went to the user's email address
    When the user answers EMAIL_OTP with the code from their email
    Then the user receives access, ID and refresh tokens

  @id:email_mfa.initiate_auth.email_preferred @api:InitiateAuth @doc:API-SUMP @must
  Scenario: Email preferred: EMAIL_OTP comes at once, and the emailed code signs the user in
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables email MFA, preferring it
    When the user signs in with InitiateAuth
    Then the challenge is "EMAIL_OTP"
    And the code went to the user's email address
    When the user answers EMAIL_OTP with the code from their email
    Then the user receives access, ID and refresh tokens

  @id:email_mfa.initiate_auth.totp_preferred @api:InitiateAuth @doc:API-SUMP @must @walkthrough:9
  Scenario: TOTP preferred beside email: SOFTWARE_TOKEN_MFA comes at once
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user enables email MFA without a preference
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:email_mfa.respond_to_auth_challenge.wrong_email_code @api:RespondToAuthChallenge @doc:CODE-OTP-SPIKE @must
  Scenario: A wrong emailed code is refused
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user enables email MFA, preferring it
    When the user signs in with InitiateAuth
    And the user answers EMAIL_OTP with a wrong code
    Then the request fails with CodeMismatchException

  @id:email_mfa.respond_to_auth_challenge.reused_email_code @api:RespondToAuthChallenge @doc:CODE-OTP-SPIKE @should
  Scenario: The code of an earlier sign-in does not answer a later one
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user enables email MFA, preferring it
    When the user signs in with InitiateAuth
    And the user answers EMAIL_OTP with the code from their email
    Then the user receives access, ID and refresh tokens
    When the user signs in with InitiateAuth
    And the user answers EMAIL_OTP with the code they used last
    Then the request fails with CodeMismatchException

  @id:email_mfa.initiate_auth.mfa_setup_offers_both @api:InitiateAuth @doc:AMP-SWIFT-MFA @should @requires:totp.session_setup
  Scenario: MFA ON with TOTP and email: MFA_SETUP offers both
    Given a user pool with MFA ON and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    When the user signs in with InitiateAuth
    Then the challenge is "MFA_SETUP"
    And the challenge parameter "MFAS_CAN_SETUP" includes "SOFTWARE_TOKEN_MFA, EMAIL_OTP"

  @id:email_mfa.respond_to_auth_challenge.mfa_setup_with_email @api:RespondToAuthChallenge @doc:AMP-JS-SIGNIN @should @requires:totp.session_setup
  Scenario: MFA_SETUP answered with an email address, as Amplify sets up email MFA
    Given a user pool with MFA ON and software token and email MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    When the user signs in with InitiateAuth
    Then the challenge is "MFA_SETUP"
    When the user answers MFA_SETUP with their email address
    Then the challenge is "EMAIL_OTP"
    When the user answers EMAIL_OTP with the code from their email
    Then the user receives access, ID and refresh tokens

  @id:email_mfa.set_user_mfa_preference.email @api:SetUserMFAPreference @doc:API-SUMP @must
  Scenario: SetUserMFAPreference turns email MFA on and prefers it; GetUser and GetUserAuthFactors list it
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    When the user turns on email MFA for the user, preferring it
    Then the request succeeds
    And the user's preferred MFA is "EMAIL_OTP"
    And GetUser lists EMAIL_OTP among the user's MFA settings, preferred
    And GetUserAuthFactors lists EMAIL_OTP among the user's MFA settings, preferred
    And GetUserAuthFactors lists PASSWORD among the user's sign-in factors

  @id:email_mfa.admin_set_user_mfa_preference.email @api:AdminSetUserMFAPreference @doc:KT-ASUMP @must @requires:admin.api
  Scenario: AdminSetUserMFAPreference turns email MFA on and prefers it
    Given a user pool with MFA OPTIONAL and software token and email MFA enabled, whose mail is not read
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with an email address
    When an administrator turns on email MFA for the user, preferring it
    Then the request succeeds
    And the user's preferred MFA is "EMAIL_OTP"

  @id:email_mfa.set_user_pool_mfa_config.lite @api:SetUserPoolMfaConfig @doc:BOTO @should @requires:plan.lite
  Scenario: Email MFA on a Lite pool is refused
    Given a new user pool on the LITE plan
    When the administrator sets the pool's MFA configuration to OPTIONAL with email MFA
    Then the request fails with FeatureUnavailableInTierException
