Feature: SELECT_MFA_TYPE — several factors enabled, none preferred
  "If multiple options are activated and no preference is set, a challenge to choose an MFA
  option will be returned during sign-in" (spec §2.5); MFAS_CAN_CHOOSE is a JSON-array
  string, and answering SOFTWARE_TOKEN_MFA leads to the SOFTWARE_TOKEN_MFA challenge (§2.9,
  §2.11).

  @id:select_mfa_type.respond_to_auth_challenge.choose_totp @api:RespondToAuthChallenge @doc:API-SUMP @must @walkthrough:9 @requires:challenge.select_mfa_type
  Scenario: The user chooses the authenticator app
    Given a user pool with MFA OPTIONAL and both software token MFA and SMS MFA enabled
    And an app client that allows "USER_PASSWORD_AUTH"
    And a confirmed user with a phone number
    And the user is signed in with their password
    And the user has set up TOTP without a preference, with the friendly device name "BobPhone"
    And the user enables software token MFA and SMS MFA, preferring neither
    When the user signs in with InitiateAuth
    Then the challenge is "SELECT_MFA_TYPE"
    And the challenge parameter "MFAS_CAN_CHOOSE" is a JSON list of "SMS_MFA, SOFTWARE_TOKEN_MFA"
    When the user answers SELECT_MFA_TYPE with SOFTWARE_TOKEN_MFA
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
