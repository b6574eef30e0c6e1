Feature: Remembered devices — a device the user trusts answers in place of the TOTP code
  In a pool with a DeviceConfiguration, tokens come with NewDeviceMetadata for a new device;
  ConfirmDevice gives the device a verifier; a remembered device then signs in with
  DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER instead of SOFTWARE_TOKEN_MFA (spec §2.15).

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled that remembers devices always
    And an app client that allows "USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH"
    And a confirmed user
    And the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"

  @id:devices.respond_to_auth_challenge.new_device_metadata @api:RespondToAuthChallenge @doc:AMP-DEVICE @must @walkthrough:9 @requires:auth.srp @requires:devices
  Scenario: Signing in on a new device brings NewDeviceMetadata after the TOTP challenge
    When the user signs in with SRP through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    And the access token names the device in its device_key claim

  @id:devices.admin_respond_to_auth_challenge.new_device_metadata @api:AdminRespondToAuthChallenge @doc:CLI-ARTAC-EX @should @walkthrough:9 @requires:devices @requires:admin.api
  Scenario: The admin flow brings NewDeviceMetadata too, as the AWS CLI's own example shows
    When the user signs in with AdminInitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
    When the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device

  @id:devices.describe_user_pool.device_configuration @api:DescribeUserPool @doc:API-DEVCFG @must @requires:devices
  Scenario: The pool's DeviceConfiguration is read back
    Then the pool's device configuration reads back as remembering devices always

  @id:devices.respond_to_auth_challenge.remembered_device_skips_totp @api:RespondToAuthChallenge @doc:AMP-DEVICE @must @requires:auth.srp @requires:devices
  Scenario: A confirmed device signs in with DEVICE_SRP_AUTH, with no TOTP challenge
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    Then UserConfirmationNecessary is false
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "DEVICE_SRP_AUTH"
    When the device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
    Then the user receives access, ID and refresh tokens
    And the tokens come without NewDeviceMetadata
    And the access token names the device in its device_key claim

  @id:devices.respond_to_auth_challenge.device_srp_without_sessions @api:RespondToAuthChallenge @doc:PYCOGNITO-SRP @probe @requires:auth.srp @requires:devices
  Scenario: DEVICE_SRP_AUTH answered without the Sessions, as pycognito does (spec §9 Q20)
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And the user signs in with SRP on the device through InitiateAuth
    And the device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER without the Sessions
    Then the target's answer to "Q20: DEVICE_SRP_AUTH without the Session" is recorded

  @id:devices.respond_to_auth_challenge.wrong_device_password @api:RespondToAuthChallenge @doc:AMP-DEVICE @should @requires:auth.srp @requires:devices
  Scenario: A device claim made with the wrong device password
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And the user signs in with SRP on the device through InitiateAuth
    And the device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with a wrong device password
    Then the request fails with NotAuthorizedException and the message "Incorrect username or password."

  @id:devices.forget_device.totp_is_back @api:ForgetDevice @doc:API-FORGETDEVICE @must @requires:auth.srp @requires:devices
  Scenario: After ForgetDevice the TOTP challenge is back
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And the user forgets the device
    Then the request succeeds
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"

  @id:devices.list_devices.remembered @api:ListDevices @doc:API-LISTDEVICES @must @requires:auth.srp @requires:devices
  Scenario: ListDevices and GetDevice show the remembered device, its status and name
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And the user lists the user's devices
    Then the device is listed as remembered, named "BobLaptop"
    When the user gets the device
    Then the device is remembered, named "BobLaptop"

  @id:devices.admin_list_devices.remembered @api:AdminListDevices @doc:API-LISTDEVICES @should @requires:auth.srp @requires:devices @requires:admin.api
  Scenario: AdminListDevices and AdminGetDevice show the same
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And an administrator lists the user's devices
    Then the device is listed as remembered, named "BobLaptop"
    When an administrator gets the device
    Then the device is remembered, named "BobLaptop"

  @id:devices.admin_update_device_status.not_remembered @api:AdminUpdateDeviceStatus @doc:API-UPDATEDEVICESTATUS @must @requires:auth.srp @requires:devices @requires:admin.api
  Scenario: A device an administrator marks as not remembered gets the TOTP challenge again
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And an administrator marks the device as not remembered
    Then the request succeeds
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"

  @id:devices.initiate_auth.refresh_with_device_key @api:InitiateAuth @doc:SRP-NOTES @should @requires:auth.srp @requires:devices
  Scenario: REFRESH_TOKEN_AUTH on a device pool needs the DEVICE_KEY
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user refreshes the tokens without the device key
    Then the request fails with NotAuthorizedException and the message "Invalid Refresh Token"
    When the user refreshes the tokens with the device key
    Then the user receives new access and ID tokens

  @id:devices.admin_forget_device.totp_is_back @api:AdminForgetDevice @doc:API-FORGETDEVICE @should @requires:auth.srp @requires:devices @requires:admin.api
  Scenario: After AdminForgetDevice the device is gone and the TOTP challenge is back
    When the user signs in with SRP through InitiateAuth
    And the user answers the challenge with a fresh code
    Then the user receives access, ID and refresh tokens
    And the tokens come with NewDeviceMetadata for a new device
    When the user confirms the device as BobLaptop
    And an administrator forgets the device
    Then the request succeeds
    When an administrator lists the user's devices
    Then no device is listed
    When the user gets the device
    Then the request fails with ResourceNotFoundException and the message "Device does not exist."
    When the user signs in with SRP on the device through InitiateAuth
    Then the challenge is "SOFTWARE_TOKEN_MFA"
