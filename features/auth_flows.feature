Feature: Auth flows and passwords
  A flow not in the app client's ExplicitAuthFlows is refused, an admin flow sent to
  InitiateAuth is refused, and a wrong password is NotAuthorizedException (spec §2.9, §2.10,
  §2.13).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled

  @id:auth_flows.admin_initiate_auth.flow_not_enabled @api:AdminInitiateAuth @doc:CODE-AUTHFLOW-ADMIN @should @requires:admin.api
  Scenario: ADMIN_USER_PASSWORD_AUTH not enabled on the app client
    Given an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with AdminInitiateAuth using the ADMIN_USER_PASSWORD_AUTH flow
    Then the request fails with InvalidParameterException and the message "Auth flow not enabled for this client"

  @id:auth_flows.initiate_auth.flow_not_enabled @api:InitiateAuth @doc:CODE-UPA-LOG @should
  Scenario: USER_PASSWORD_AUTH not enabled on the app client
    Given an app client that allows "REFRESH_TOKEN_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth using the USER_PASSWORD_AUTH flow
    Then the request fails with InvalidParameterException and the message "USER_PASSWORD_AUTH flow not enabled for this client"

  @id:auth_flows.initiate_auth.admin_flow @api:InitiateAuth @doc:I-DOCEX-5289 @should
  Scenario: The admin flow sent to InitiateAuth
    Given an app client that allows "ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth using the ADMIN_USER_PASSWORD_AUTH flow
    Then the request fails with InvalidParameterException and the message "Initiate Auth method not supported."

  @id:auth_flows.admin_initiate_auth.wrong_password @api:AdminInitiateAuth @doc:DG-ERRORS @must @requires:admin.api
  Scenario: A wrong password
    Given an app client that allows "ADMIN_USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with AdminInitiateAuth and the wrong password
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:auth_flows.admin_initiate_auth.unknown_user @api:AdminInitiateAuth @doc:I-ACIJ-192 @should @requires:admin.api
  Scenario: An unknown user, with the client's default PreventUserExistenceErrors
    Given an app client that allows "ADMIN_USER_PASSWORD_AUTH"
    When someone signs in with AdminInitiateAuth as a user that does not exist
    Then the request fails with UserNotFoundException and the message "User does not exist."

  @id:auth_flows.initiate_auth.secret_hash_missing @api:InitiateAuth @doc:I-DART-249 @should
  Scenario: An app client with a secret, and no SECRET_HASH
    Given an app client with a secret that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth without a SECRET_HASH
    Then the request fails with NotAuthorizedException
    And the message names the app client

  @id:auth_flows.initiate_auth.secret_hash_wrong @api:InitiateAuth @doc:I-LARAVEL-26 @should
  Scenario: An app client with a secret, and a wrong SECRET_HASH
    Given an app client with a secret that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth with a wrong SECRET_HASH
    Then the request fails with NotAuthorizedException
    And the message names the app client

  @id:auth_flows.initiate_auth.secret_hash_right @api:InitiateAuth @doc:API-RTAC @must
  Scenario: An app client with a secret, and the right SECRET_HASH
    Given an app client with a secret that allows "USER_PASSWORD_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth with the right SECRET_HASH
    Then the user receives access, ID and refresh tokens

  @id:auth_flows.admin_initiate_auth.disabled_user @api:AdminInitiateAuth @doc:CODE-ERRTABLE-2 @should @requires:admin.api
  Scenario: A disabled user
    Given an app client that allows "ADMIN_USER_PASSWORD_AUTH"
    And a confirmed user
    When the administrator disables the user
    And the user signs in with AdminInitiateAuth
    Then the request fails with NotAuthorizedException and the message "User is disabled."
