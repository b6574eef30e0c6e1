Feature: ID-token claims keep their JSON types, whichever flow issued the token
  An ID token carries the user's attributes as claims. Cognito stores every attribute as a
  string, but the ID token types the two verification flags: email_verified and
  phone_number_verified are JSON booleans (the developer guide's ID-token example, spec
  §2.17). An app that tests `claims.email_verified === true` breaks on a target that
  signs the string "true". These scenarios read the claim from tokens of each flow that
  ends a TOTP sign-in; the hosted UI's are in token_scopes.feature.

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user with an email address
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"

  @id:id_token_claims.respond_to_auth_challenge.email_verified_boolean @api:RespondToAuthChallenge @doc:DG-IDTOKEN @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: After InitiateAuth's TOTP challenge, email_verified is a boolean
    When the user signs in with InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the ID token's email_verified claim is the JSON boolean true

  @id:id_token_claims.admin_respond_to_auth_challenge.email_verified_boolean @api:AdminRespondToAuthChallenge @doc:DG-IDTOKEN @must @walkthrough:9 @requires:totp.verifies_codes @requires:admin.api
  Scenario: After AdminInitiateAuth's TOTP challenge, email_verified is a boolean
    When the user signs in with AdminInitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the ID token's email_verified claim is the JSON boolean true

  @id:id_token_claims.initiate_auth.refreshed_email_verified_boolean @api:InitiateAuth @doc:DG-IDTOKEN @must @requires:totp.verifies_codes
  Scenario: A refreshed ID token keeps email_verified a boolean
    When the user signs in with InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    When the user refreshes the tokens with REFRESH_TOKEN_AUTH
    Then the ID token's email_verified claim is the JSON boolean true

  @id:id_token_claims.respond_to_auth_challenge.srp_email_verified_boolean @api:RespondToAuthChallenge @doc:DG-IDTOKEN @must @walkthrough:9 @requires:auth.srp @requires:totp.verifies_codes
  Scenario: After USER_SRP_AUTH and the TOTP challenge, email_verified is a boolean
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the ID token's email_verified claim is the JSON boolean true
