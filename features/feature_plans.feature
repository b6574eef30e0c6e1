Feature: Feature plans — what Lite, Essentials and Plus allow, and TOTP on each
  New pools are on Essentials. Lite lacks choice-based sign-in, email MFA and managed login;
  threat protection needs Plus. TOTP MFA works on every plan. A pool asked for a feature its
  plan lacks is refused with FeatureUnavailableInTierException (spec §2.19).

  @id:feature_plans.create_user_pool.default_essentials @api:CreateUserPool @doc:BOTO @must
  Scenario: A new pool is on the Essentials plan
    Given a new user pool
    Then the pool's plan is "ESSENTIALS"

  @id:feature_plans.create_user_pool.lite @api:CreateUserPool @doc:BOTO @must @requires:plan.lite
  Scenario: A pool made on the Lite plan reads back as Lite
    Given a new user pool on the LITE plan
    Then the pool's plan is "LITE"

  @id:feature_plans.update_user_pool.plus @api:UpdateUserPool @doc:BOTO @must @requires:plan.plus
  Scenario: UpdateUserPool moves a pool to the Plus plan
    Given a new user pool
    When the administrator moves the pool to the PLUS plan
    Then the request succeeds
    And the pool's plan is "PLUS"

  @id:feature_plans.create_user_pool.threat_protection_on_essentials @api:CreateUserPool @doc:I-TF-40734 @should
  Scenario: Threat protection on an Essentials pool is refused
    When the administrator creates a pool on the ESSENTIALS plan with threat protection enforced
    Then the request fails with FeatureUnavailableInTierException and the message "The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection"

  @id:feature_plans.create_user_pool_domain.managed_login_on_lite @api:CreateUserPoolDomain @doc:BOTO @should @requires:plan.lite @requires:hosted_ui
  Scenario: Managed login on a Lite pool is refused
    Given a new user pool on the LITE plan
    When the administrator gives the pool a domain with managed login
    Then the request fails with FeatureUnavailableInTierException

  @id:feature_plans.respond_to_auth_challenge.totp_on_lite @api:RespondToAuthChallenge @doc:DG-PLANS @must @walkthrough:9 @requires:plan.lite
  Scenario: TOTP MFA works on the Lite plan
    Given a user pool on the LITE plan with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:feature_plans.initiate_auth.user_auth_on_lite @api:InitiateAuth @doc:BOTO-USER-AUTH @probe @requires:plan.lite
  Scenario: Choice-based sign-in on a Lite pool (spec §9 Q25)
    Given a new user pool on the LITE plan
    And a confirmed user
    When the user tries USER_AUTH, preferring PASSWORD, at a new app client that allows it
    Then the target's answer to "Q25: USER_AUTH on the Lite plan" is recorded
