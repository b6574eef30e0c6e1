Feature: Access tokens — revoked, or not tokens at all
  GlobalSignOut revokes the user's tokens; the token operations then answer
  NotAuthorizedException "Access Token has been revoked" (spec §2.3, §2.7). Something that is
  not an access token is "Invalid Access Token" (§2.3).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password

  @id:tokens.associate_software_token.revoked @api:AssociateSoftwareToken @doc:I-AJS-3540 @should @walkthrough:1
  Scenario: AssociateSoftwareToken with a revoked access token
    When the user signs out everywhere with GlobalSignOut
    And the user calls AssociateSoftwareToken with their access token
    Then the request fails with NotAuthorizedException and the message "Access Token has been revoked"

  @id:tokens.verify_software_token.revoked @api:VerifySoftwareToken @doc:I-AJS-3435 @should @walkthrough:7
  Scenario: VerifySoftwareToken with a revoked access token
    When the user signs out everywhere with GlobalSignOut
    And the user calls VerifySoftwareToken with their access token and the code "123456"
    Then the request fails with NotAuthorizedException and the message "Access Token has been revoked"

  @id:tokens.set_user_mfa_preference.revoked @api:SetUserMFAPreference @doc:I-JAVA-2449 @should @walkthrough:8
  Scenario: SetUserMFAPreference with a revoked access token
    When the user signs out everywhere with GlobalSignOut
    And the user sets software token MFA as enabled and preferred
    Then the request fails with NotAuthorizedException and the message "Access Token has been revoked"

  @id:tokens.associate_software_token.not_a_token @api:AssociateSoftwareToken @doc:I-MOTO-8027 @should @walkthrough:1
  Scenario: AssociateSoftwareToken with something that is not an access token
    When the user calls AssociateSoftwareToken with an access token that is not one
    Then the request fails with NotAuthorizedException and the message "Invalid Access Token"
