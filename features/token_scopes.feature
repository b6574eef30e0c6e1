Feature: Access tokens are held to their scopes
  The operations a user calls with an access token (GetUser, the TOTP setup and preference,
  the device operations, GlobalSignOut) need the scope aws.cognito.signin.user.admin (spec
  §1.1). The hosted UI's token endpoint grants the scopes the app asked for and its app
  client allows, and no more (spec §2.17). An app that asked for "openid email profile" holds
  a token that can read the user's profile at userInfo, but cannot turn TOTP off. The user
  signs in with a password alone (no MFA yet), so that a target whose hosted UI has no TOTP
  page still shows whether it holds tokens to their scopes; the scenario about TOTP sets it
  up first.

  Background:
    Given a user pool with MFA OPTIONAL and software token MFA enabled
    And the pool has a hosted UI domain and an app client that signs in through it
    And a confirmed user with an email address

  @id:token_scopes.token.granted_exactly @api:oauth2/token @doc:HUI-TOKEN @doc:DG-IDTOKEN @doc:API-CUPC @must @requires:hosted_ui
  Scenario: The access token carries exactly the scopes the app asked for; the ID token types its claims
    When the user opens the hosted UI's sign-in page, the app asking for the scopes "openid email"
    And the user signs in on the page with their username and password
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    And the app's access token carries exactly the scopes "openid email"
    And the app's ID token's email_verified claim is the JSON boolean true

  @id:token_scopes.access_token_operations.without_admin @api:GetUser @api:AssociateSoftwareToken @api:VerifySoftwareToken @api:ListDevices @api:GetDevice @api:ForgetDevice @api:UpdateDeviceStatus @api:GlobalSignOut @doc:API-AST @doc:HUI-TOKEN @must @requires:hosted_ui
  Scenario Outline: A token without aws.cognito.signin.user.admin is refused by <operation>
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    When the app calls <operation> with the access token from the token endpoint
    Then the request fails with NotAuthorizedException and the message "Access Token does not have required scopes"

    Examples:
      | operation              |
      | GetUser                |
      | AssociateSoftwareToken |
      | VerifySoftwareToken    |
      | ListDevices            |
      | GetDevice              |
      | ForgetDevice           |
      | UpdateDeviceStatus     |
      | GlobalSignOut          |

  @id:token_scopes.set_user_mfa_preference.without_admin @api:SetUserMFAPreference @doc:API-AST @doc:API-SUMP @must @requires:hosted_ui
  Scenario: A token without the admin scope cannot turn TOTP off
    Given the user is signed in with their password
    And the user has set up TOTP with the friendly device name "BobPhone"
    When the user opens the hosted UI's sign-in page
    And the user signs in on the page with their username and password
    And the user enters a fresh code from their phone on the page
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    When the app calls SetUserMFAPreference with the access token from the token endpoint
    Then the request fails with NotAuthorizedException and the message "Access Token does not have required scopes"
    And the user's preferred MFA is "SOFTWARE_TOKEN_MFA"

  @id:token_scopes.get_user.with_admin @api:GetUser @api:oauth2/token @doc:API-AST @doc:HUI-TOKEN @must @requires:hosted_ui
  Scenario: A token with aws.cognito.signin.user.admin is let through
    When the user opens the hosted UI's sign-in page, the app asking for the scopes "openid aws.cognito.signin.user.admin"
    And the user signs in on the page with their username and password
    Then the browser comes back to the app with a code and the same state
    When the app exchanges the code at the token endpoint
    Then the token endpoint answers with access, ID and refresh tokens
    And the app's access token carries exactly the scopes "openid aws.cognito.signin.user.admin"
    When the app calls GetUser with the access token from the token endpoint
    Then the request succeeds
