Feature: Choice-based sign-in (USER_AUTH) on a remembered device
  A remembered device answers DEVICE_SRP_AUTH in place of the TOTP code after USER_SRP_AUTH
  (spec §2.15); whether USER_AUTH's PASSWORD_SRP first factor leads there too is not
  documented (spec §9 Q26).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled that remembers devices always
    And an app client that allows "USER_AUTH, USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"

  @id:user_auth.respond_to_auth_challenge.remembered_device @api:RespondToAuthChallenge @doc:SRP-NOTES @probe @requires:auth.user_auth @requires:auth.srp @requires:devices
  Scenario: USER_AUTH with PASSWORD_SRP on a remembered device (spec §9 Q26)
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And the user signs in with USER_AUTH on the device, preferring PASSWORD_SRP
    Then the target's answer to "Q26: USER_AUTH with PASSWORD_SRP on a remembered device" is recorded
