Feature: MFA preferences before the token is set up
  SetUserMFAPreference for TOTP needs an associated and verified token (spec §2.5).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password

  @id:mfa_preference.set_user_mfa_preference.before_association @api:SetUserMFAPreference @doc:I-AJS-944 @should @walkthrough:8
  Scenario: Preferring TOTP before AssociateSoftwareToken
    When the user sets software token MFA as enabled and preferred
    Then the request fails with InvalidParameterException and the message "User has not set up software token mfa"

  @id:mfa_preference.set_user_mfa_preference.before_verification @api:SetUserMFAPreference @doc:AMP-JS-PR407 @should @walkthrough:1 @walkthrough:8
  Scenario: Preferring TOTP before VerifySoftwareToken
    When the user calls AssociateSoftwareToken with their access token
    And the user sets software token MFA as enabled and preferred
    Then the request fails with InvalidParameterException and the message "User has not verified software token mfa"

  @id:mfa_preference.admin_get_user.no_settings @api:AdminGetUser @doc:MOTO-T @should @requires:admin.api
  Scenario: A user without MFA has no MFA settings at all
    Then the user has no MFA settings

  @id:mfa_preference.initiate_auth.verified_without_preference @api:InitiateAuth @doc:I-AJS-1226 @probe
  Scenario: Verified but no preference, in an OPTIONAL pool — is the user challenged? (spec §9 Q5)
    Given the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    Then the target's answer to "Q5: sign-in after verification, before any preference" is recorded

  @id:mfa_preference.admin_get_user.after_each_setup_step @api:AdminGetUser @doc:I-AJS-1226 @should @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:8 @requires:admin.api
  Scenario: TOTP is not among the user's MFA settings until the preference is set
    When the user calls AssociateSoftwareToken with their access token
    Then the user's MFA settings do not list "SOFTWARE_TOKEN_MFA"
    When the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with a fresh code and the friendly device name "BobPhone"
    Then the user's MFA settings do not list "SOFTWARE_TOKEN_MFA"
    When the user sets software token MFA as enabled and preferred
    Then the user's preferred MFA is "SOFTWARE_TOKEN_MFA"

  @id:mfa_preference.admin_set_user_mfa_preference.without_token @api:AdminSetUserMFAPreference @doc:I-SDKJS3-4645 @probe @walkthrough:8 @requires:admin.api
  Scenario: An administrator enables TOTP for a user without a token (spec §9 Q8)
    When an administrator sets software token MFA as enabled for the user
    Then the target's answer to "Q8: AdminSetUserMFAPreference enabling TOTP before any token" is recorded
