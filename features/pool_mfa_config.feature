Feature: The pool's MFA configuration
  SetUserPoolMfaConfig takes OFF, ON or OPTIONAL; ON or OPTIONAL need a factor, and OFF
  cannot come with one (spec §2.1). Without TOTP in the pool, the TOTP operations answer
  SoftwareTokenMFANotFoundException (spec §2.3).

  Background:
    Given a user pool without MFA

  @id:pool_mfa_config.set_user_pool_mfa_config.on_without_factor @api:SetUserPoolMfaConfig @doc:I-SDKJS-4186 @should
  Scenario: MFA required with no factor enabled is refused
    When the administrator sets the pool's MFA configuration to ON with no factor enabled
    Then the request fails with InvalidParameterException and the message "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."

  @id:pool_mfa_config.set_user_pool_mfa_config.off_with_factor @api:SetUserPoolMfaConfig @doc:I-CDKD-1923 @should
  Scenario: MFA off together with software token MFA is refused
    When the administrator sets the pool's MFA configuration to OFF with software token MFA enabled
    Then the request fails with InvalidParameterException and the message "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."

  @id:pool_mfa_config.set_user_pool_mfa_config.optional_with_totp @api:SetUserPoolMfaConfig @doc:BOTO @must
  Scenario: MFA optional with software token MFA is accepted
    When the administrator sets the pool's MFA configuration to OPTIONAL with software token MFA enabled
    Then the request succeeds
    And the pool's MFA configuration is OPTIONAL

  @id:pool_mfa_config.get_user_pool_mfa_config.software_token_round_trip @api:GetUserPoolMfaConfig @doc:BOTO @must
  Scenario: Software token MFA, once enabled, reads back enabled
    When the administrator sets the pool's MFA configuration to OPTIONAL with software token MFA enabled
    Then the request succeeds
    And the pool's software token MFA is enabled

  @id:pool_mfa_config.set_user_pool_mfa_config.on_with_totp @api:SetUserPoolMfaConfig @doc:I-CFN-1176 @should
  Scenario: MFA required with software token MFA is accepted after the pool was created
    When the administrator sets the pool's MFA configuration to ON with software token MFA enabled
    Then the request succeeds
    And the pool's MFA configuration is ON

  @id:pool_mfa_config.set_user_pool_mfa_config.off_alone @api:SetUserPoolMfaConfig @doc:I-CDKD-1923 @should
  Scenario: MFA off, alone, is accepted
    When the administrator sets the pool's MFA configuration to OPTIONAL with software token MFA enabled
    And the administrator sets the pool's MFA configuration to OFF alone
    Then the request succeeds
    And the pool's MFA configuration is OFF

  @id:pool_mfa_config.associate_software_token.totp_disabled @api:AssociateSoftwareToken @doc:DG-TOTP-2018 @must @walkthrough:1
  Scenario: Without TOTP in the pool, AssociateSoftwareToken is refused
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    When the user calls AssociateSoftwareToken with their access token
    Then the request fails with SoftwareTokenMFANotFoundException and a message starting "Software Token MFA has not been enabled by the userPool"

  @id:pool_mfa_config.verify_software_token.totp_disabled @api:VerifySoftwareToken @doc:DG-TOTP @must @walkthrough:7
  Scenario: Without TOTP in the pool, VerifySoftwareToken is refused
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    And the user is signed in with their password
    When the user calls VerifySoftwareToken with their access token and the code "123456"
    Then the request fails with SoftwareTokenMFANotFoundException and a message starting "Software Token MFA has not been enabled by the userPool"
