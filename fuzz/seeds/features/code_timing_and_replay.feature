Feature: Codes — the ±30-second window, single use, wrong codes
  Cognito accepts codes from the previous, current and next 30-second step (spec §4 B1), a
  code only once (B2), and answers a wrong code at setup with EnableSoftwareTokenMFAException
  (B3) and at sign-in with CodeMismatchException (§2.11).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And an app client that allows "ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password

  @id:codes.verify_software_token.wrong_then_right @api:VerifySoftwareToken @doc:AMP-SWIFT-TOTP-AUTH @must @walkthrough:1 @walkthrough:2 @walkthrough:3 @walkthrough:4 @walkthrough:5 @walkthrough:6 @walkthrough:7 @requires:totp.verifies_codes
  Scenario: A wrong setup code is refused and the setup can be retried
    When the user calls AssociateSoftwareToken with their access token
    And the user adds the SecretCode to their authenticator app as a time-based key
    And the user calls VerifySoftwareToken with a wrong code
    Then the request fails with EnableSoftwareTokenMFAException and the message "Code mismatch and fail enable Software Token MFA"
    When the user calls VerifySoftwareToken with a fresh code and the friendly device name "BobPhone"
    Then the response status is "SUCCESS"

  @id:codes.verify_software_token.malformed @api:VerifySoftwareToken @doc:CODE-VALIDATION-MSG @must @walkthrough:1 @walkthrough:7
  Scenario Outline: A malformed setup code is a validation error
    When the user calls AssociateSoftwareToken with their access token
    And the user calls VerifySoftwareToken with the code "<code>"
    Then the request fails with InvalidParameterException

    Examples:
      | code   |
      | 12345  |
      | abcdef |

  @id:codes.respond_to_auth_challenge.previous_step @api:RespondToAuthChallenge @doc:DG-TOTP @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: The previous step's code is accepted
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with the code of the previous step
    Then the user receives access, ID and refresh tokens

  @id:codes.respond_to_auth_challenge.next_step @api:RespondToAuthChallenge @doc:DG-TOTP @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: The next step's code is accepted
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with the code of the next step
    Then the user receives access, ID and refresh tokens

  @id:codes.respond_to_auth_challenge.three_steps_old @api:RespondToAuthChallenge @doc:DG-TOTP @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: A code three steps old is refused
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with the code of 3 steps ago
    Then the request fails with CodeMismatchException

  @id:codes.respond_to_auth_challenge.wrong_code @api:RespondToAuthChallenge @doc:CODE-INVALID-CODE @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: A wrong sign-in code is refused
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with a wrong code
    Then the request fails with CodeMismatchException and a message starting "Invalid code received for user"

  @id:codes.respond_to_auth_challenge.setup_code_reused @api:RespondToAuthChallenge @doc:CODE-EXPIRED-400 @must @walkthrough:9 @requires:totp.verifies_codes
  Scenario: The code used to verify the software token is refused at sign-in
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with the code they used last
    Then the request fails with ExpiredCodeException and the message "Your software token has already been used once."

  @id:codes.admin_respond_to_auth_challenge.sign_in_code_reused @api:AdminRespondToAuthChallenge @doc:MOTO-T @must @walkthrough:9 @requires:admin.api @requires:totp.verifies_codes
  Scenario: A code accepted at one sign-in is refused at the next
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with AdminInitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    When the user signs in with AdminInitiateAuth
    And the user answers the challenge with the code they used last
    Then the request fails with ExpiredCodeException and the message "Your software token has already been used once."

  @id:codes.respond_to_auth_challenge.retry_after_wrong_code @api:RespondToAuthChallenge @doc:I-TOKAPI-27 @probe @walkthrough:9 @requires:totp.verifies_codes
  Scenario: A right code on the same session after a wrong one (spec §9 Q1)
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with a wrong code
    And the user answers the challenge with a fresh code
    Then the target's answer to "Q1: the same session after one wrong code" is recorded

  @id:codes.respond_to_auth_challenge.unused_previous_step_after_current @api:RespondToAuthChallenge @doc:MOTO-T @probe @walkthrough:9 @requires:totp.verifies_codes
  Scenario: An unused previous-step code after the current step's code was accepted (spec §9 Q2)
    Given the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with InitiateAuth
    And the user answers the challenge with the code of the next step
    And the user signs in with InitiateAuth
    And the user answers the challenge with the code of the previous step
    Then the target's answer to "Q2: an unused earlier step after a later one was accepted" is recorded
