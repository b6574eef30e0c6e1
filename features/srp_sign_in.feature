Feature: Signing in as Amplify and the mobile SDKs do — USER_SRP_AUTH
  InitiateAuth (or AdminInitiateAuth) with USER_SRP_AUTH and SRP_A → PASSWORD_VERIFIER {SALT,
  SRP_B, SECRET_BLOCK, USERNAME, USER_ID_FOR_SRP} → RespondToAuthChallenge with the password
  claim's signature and TIMESTAMP → whatever a right password leads to. Every wrong claim is
  NotAuthorizedException "Incorrect username or password." (spec §2.14).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password

  @id:srp.initiate_auth.walkthrough_totp @api:InitiateAuth @doc:KC-REPOST @must @walkthrough:9 @requires:auth.srp
  Scenario: Step 9 of the walk-through, signing in with USER_SRP_AUTH
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with SRP through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"
    And the challenge parameter "USER_ID_FOR_SRP" is the username
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:srp.admin_initiate_auth.walkthrough_totp @api:AdminInitiateAuth @doc:KC-REPOST @must @walkthrough:9 @requires:auth.srp @requires:admin.api
  Scenario: Step 9 of the walk-through, signing in with USER_SRP_AUTH through AdminInitiateAuth
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with SRP through AdminInitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:srp.initiate_auth.password_verifier @api:InitiateAuth @doc:FLOCI-SRP @must @requires:auth.srp
  Scenario: The PASSWORD_VERIFIER challenge carries what a client needs
    When the user starts SRP through InitiateAuth
    Then the challenge is PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP
    And the challenge parameter "USER_ID_FOR_SRP" is the username

  @id:srp.initiate_auth.no_mfa_tokens @api:RespondToAuthChallenge @doc:AMP-SRP @must @requires:auth.srp
  Scenario: A user without MFA gets tokens after the password claim
    When the user signs in with SRP through InitiateAuth
    Then the user receives access, ID and refresh tokens

  @id:srp.respond_to_auth_challenge.wrong_password @api:RespondToAuthChallenge @doc:MINISTACK-SRP @must @requires:auth.srp
  Scenario: A claim made with the wrong password
    When the user starts SRP through InitiateAuth
    And the user answers PASSWORD_VERIFIER with the wrong password
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:srp.respond_to_auth_challenge.wrong_signature @api:RespondToAuthChallenge @doc:MINISTACK-SRP @must @requires:auth.srp
  Scenario: A claim with a wrong signature
    When the user starts SRP through InitiateAuth
    And the user answers PASSWORD_VERIFIER with a wrong signature
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:srp.respond_to_auth_challenge.zero_padded_day @api:RespondToAuthChallenge @doc:WARRANT-TS @must @requires:auth.srp
  Scenario: A TIMESTAMP whose day is zero-padded
    When the user starts SRP through InitiateAuth
    And the user answers PASSWORD_VERIFIER with a zero-padded day in TIMESTAMP
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:srp.respond_to_auth_challenge.wrong_weekday @api:RespondToAuthChallenge @doc:MINISTACK-SRP @must @requires:auth.srp
  Scenario: A TIMESTAMP with the wrong weekday
    When the user starts SRP through InitiateAuth
    And the user answers PASSWORD_VERIFIER with the wrong weekday in TIMESTAMP
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:srp.respond_to_auth_challenge.hour_old_timestamp @api:RespondToAuthChallenge @doc:BOTO @probe @requires:auth.srp
  Scenario: A well-formed TIMESTAMP an hour old (spec §9 Q17)
    When the user starts SRP through InitiateAuth
    And the user answers PASSWORD_VERIFIER with a TIMESTAMP an hour old
    Then the target's answer to "Q17: a TIMESTAMP an hour old" is recorded

  @id:srp.initiate_auth.session_on_password_verifier @api:InitiateAuth @doc:FLOCI-SRP @probe @requires:auth.srp
  Scenario: Whether PASSWORD_VERIFIER carries a Session (spec §9 Q18)
    When the user starts SRP through InitiateAuth
    Then whether the PASSWORD_VERIFIER challenge carried a Session is recorded

  @id:srp.initiate_auth.flow_not_enabled @api:InitiateAuth @doc:AMP-SRP @should @requires:auth.srp
  Scenario: USER_SRP_AUTH not enabled on the app client
    Given an app client that allows "USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH" and not USER_SRP_AUTH
    When the user starts SRP through InitiateAuth
    Then the request fails with InvalidParameterException and the message "USER_SRP_AUTH is not enabled for the client."

  @id:srp.initiate_auth.unknown_user @api:InitiateAuth @doc:MINISTACK-SRP @should @requires:auth.srp
  Scenario: An unknown user, with the client's default PreventUserExistenceErrors
    When someone starts SRP through InitiateAuth as a user that does not exist
    Then the request fails with UserNotFoundException and the message "User does not exist."

  @id:srp.initiate_auth.disabled_user @api:InitiateAuth @doc:MINISTACK-SRP @should @requires:auth.srp @requires:admin.api
  Scenario: A disabled user
    When the administrator disables the user
    And the user signs in with SRP through InitiateAuth
    Then the request fails with NotAuthorizedException and the message "User is disabled."

  @id:srp.initiate_auth.secret_hash @api:InitiateAuth @doc:API-RTAC @must @requires:auth.srp
  Scenario: An app client with a secret: SECRET_HASH on the initiate and on the claim
    Given an app client with a secret that allows "USER_SRP_AUTH, USER_PASSWORD_AUTH"
    When the user signs in with SRP through InitiateAuth
    Then the user receives access, ID and refresh tokens
