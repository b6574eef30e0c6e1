Feature: Enable TOTP MFA for a user — AWS's walk-through
  AWS Knowledge Center, "How do I enable TOTP as a multi-factor authentication for Amazon
  Cognito user pools?" (spec §5): add MFA to the pool, associate a software token, set up
  the authenticator app, verify, set the MFA preference, and sign in answering the
  SOFTWARE_TOKEN_MFA challenge.

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password

  @id:walkthrough.admin_initiate_auth.end_to_end @api:AdminInitiateAuth @doc:KC-REPOST @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:8 @walkthrough:9 @requires:admin.api
  Scenario: The walk-through end to end, signing in with AdminInitiateAuth
    When the user calls AssociateSoftwareToken with their access token
    Then the response contains a SecretCode
    When the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with a fresh code and the friendly device name "BobPhone"
    Then the response status is "SUCCESS"
    When the user sets software token MFA as enabled and preferred
    Then the request succeeds
    And the user's preferred MFA is "SOFTWARE_TOKEN_MFA"
    When the user signs in with AdminInitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"
    And the challenge parameter "USER_ID_FOR_SRP" is the username
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:walkthrough.associate_software_token.unique_per_user @api:AssociateSoftwareToken @doc:API-AST @must @walkthrough:1
  Scenario: Each user is given a secret key of their own
    When the user calls AssociateSoftwareToken with their access token
    Then the response contains a SecretCode
    When another confirmed user signs in and calls AssociateSoftwareToken
    Then the two users' SecretCodes differ

  @id:walkthrough.initiate_auth.end_to_end @api:InitiateAuth @doc:KC-REPOST @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:8 @walkthrough:9
  Scenario: The walk-through end to end, signing in with InitiateAuth
    When the user calls AssociateSoftwareToken with their access token
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with a fresh code and the friendly device name "BobPhone"
    Then the response status is "SUCCESS"
    When the user sets software token MFA as enabled and preferred
    And the user signs in with InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    And the challenge parameter "FRIENDLY_DEVICE_NAME" is "BobPhone"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens

  @id:walkthrough.admin_set_user_mfa_preference.end_to_end @api:AdminSetUserMFAPreference @doc:KC-REPOST @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @walkthrough:8 @walkthrough:9 @requires:admin.api
  Scenario: An administrator sets the MFA preference (step 8, admin variant)
    When the user calls AssociateSoftwareToken with their access token
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with a fresh code and the friendly device name "BobPhone"
    And an administrator sets software token MFA as enabled and preferred for the user
    Then the request succeeds
    And the user's preferred MFA is "SOFTWARE_TOKEN_MFA"
    When the user signs in with AdminInitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
