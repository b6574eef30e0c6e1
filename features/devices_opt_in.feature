Feature: Remembered devices the user opts in to
  With DeviceOnlyRememberedOnUserPrompt, ConfirmDevice says UserConfirmationNecessary, and a
  device is remembered only once UpdateDeviceStatus says so: until then it gets the TOTP
  challenge (spec §2.15).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled that remembers devices when the user opts in
    And an app client that allows "USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop

  @id:devices_opt_in.confirm_device.confirmation_necessary @api:ConfirmDevice @doc:API-CONFIRMDEVICE @must @requires:auth.srp @requires:devices
  Scenario: ConfirmDevice asks for the user's confirmation, and the device still gets the TOTP challenge
    Then UserConfirmationNecessary is true
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"

  @id:devices_opt_in.update_device_status.remembered @api:UpdateDeviceStatus @doc:API-UPDATEDEVICESTATUS @must @requires:auth.srp @requires:devices
  Scenario: Once the user marks it remembered, the device signs in with DEVICE_SRP_AUTH
    When the user marks the device as remembered
    Then the request succeeds
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "DEVICE_SRP_AUTH"
    When the device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
    Then the user receives access, ID and refresh tokens
    And the tokens come without NewDeviceMetadata

  @id:devices_opt_in.list_devices.not_remembered @api:ListDevices @doc:API-LISTDEVICES @probe @requires:auth.srp @requires:devices
  Scenario: Whether ListDevices lists a device that is not remembered (spec §9 Q19)
    When the user lists the user's devices
    Then whether a device not remembered is listed is recorded
