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
    When the user signs in with AdminInitiateAuth
    Then the request fails with InvalidParameterException and the message "Auth flow not enabled for this client"

  @id:auth_flows.initiate_auth.flow_not_enabled @api:InitiateAuth @doc:CODE-UPA-LOG @should
  Scenario: USER_PASSWORD_AUTH not enabled on the app client
    Given an app client that allows "REFRESH_TOKEN_AUTH"
    And a confirmed user
    When the user signs in with InitiateAuth
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
