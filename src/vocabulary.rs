//! Cognito's own words, each in one place: operation names, exception names and the message
//! texts `docs/behaviour.md` is sure of. The reference endpoint answers with
//! them and the harness asserts them; neither spells one out anywhere else.
//!
//! Owns: every operation, exception, challenge and flow name and every message text. Uses
//! nothing of the crate.

use std::fmt;
use std::str::FromStr;

/// The `X-Amz-Target` prefix of every Cognito user-pool operation (spec §1).
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService";

/// The media type of AWS JSON 1.1 (spec §1).
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// A placeholder SigV4 `Authorization` header for targets that only require its presence
/// (the reference endpoint and the emulators). Real AWS gets real signatures ([`crate::cognito::Signer`]).
pub const PLACEHOLDER_SIGNATURE: &str = "AWS4-HMAC-SHA256 Credential=mfaspec/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000";

macro_rules! names {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident $(= $text:literal)?),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $(#[doc = concat!("`", names!(@text $variant $($text)?), "`")] $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name as it appears on the wire.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => names!(@text $variant $($text)?)),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                $name::ALL.iter().copied().find(|v| v.name() == s).ok_or(())
            }
        }
    };
    (@text $variant:ident $text:literal) => { $text };
    (@text $variant:ident) => { stringify!($variant) };
}

names! {
    /// A Cognito user-pool operation (the part of `X-Amz-Target` after the dot).
    pub enum Operation {
        CreateUserPool, DeleteUserPool, DescribeUserPool, ListUserPools, UpdateUserPool,
        SetUserPoolMfaConfig, GetUserPoolMfaConfig,
        CreateUserPoolClient, UpdateUserPoolClient, DescribeUserPoolClient, DeleteUserPoolClient,
        AdminCreateUser, AdminSetUserPassword, AdminDeleteUser, AdminGetUser, GetUser,
        AdminDisableUser, AdminEnableUser, ListUsers, GlobalSignOut, AdminUserGlobalSignOut,
        GetUserAuthFactors,
        AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference, AdminSetUserMFAPreference,
        InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
        ConfirmDevice, UpdateDeviceStatus, ListDevices, GetDevice, ForgetDevice,
        AdminListDevices, AdminGetDevice, AdminUpdateDeviceStatus, AdminForgetDevice,
        CreateUserPoolDomain, DescribeUserPoolDomain, DeleteUserPoolDomain,
    }
}

impl Operation {
    /// Whether the operation arrives SigV4-signed (spec §1.1): everything but the token and
    /// sign-in operations, which Cognito leaves unauthenticated at the HTTP layer.
    #[must_use]
    pub const fn is_signed(self) -> bool {
        !matches!(
            self,
            Operation::GetUser
                | Operation::GetUserAuthFactors
                | Operation::GlobalSignOut
                | Operation::AssociateSoftwareToken
                | Operation::VerifySoftwareToken
                | Operation::SetUserMFAPreference
                | Operation::InitiateAuth
                | Operation::RespondToAuthChallenge
                | Operation::ConfirmDevice
                | Operation::UpdateDeviceStatus
                | Operation::ListDevices
                | Operation::GetDevice
                | Operation::ForgetDevice
        )
    }
}

names! {
    /// An error's `__type` (spec §3), plus the protocol-level errors every AWS JSON service
    /// shares.
    pub enum Exception {
        CodeMismatch = "CodeMismatchException",
        EnableSoftwareTokenMfa = "EnableSoftwareTokenMFAException",
        ExpiredCode = "ExpiredCodeException",
        SoftwareTokenMfaNotFound = "SoftwareTokenMFANotFoundException",
        NotAuthorized = "NotAuthorizedException",
        InvalidParameter = "InvalidParameterException",
        InvalidPassword = "InvalidPasswordException",
        UserNotFound = "UserNotFoundException",
        UserNotConfirmed = "UserNotConfirmedException",
        UsernameExists = "UsernameExistsException",
        ResourceNotFound = "ResourceNotFoundException",
        TooManyRequests = "TooManyRequestsException",
        LimitExceeded = "LimitExceededException",
        InternalError = "InternalErrorException",
        Serialization = "SerializationException",
        UnknownOperation = "UnknownOperationException",
        MissingAuthenticationToken = "MissingAuthenticationTokenException",
        Throttling = "ThrottlingException",
        UnrecognizedClient = "UnrecognizedClientException",
        InvalidSignature = "InvalidSignatureException",
        IncompleteSignature = "IncompleteSignatureException",
        ExpiredToken = "ExpiredTokenException",
        AccessDenied = "AccessDeniedException",
        InvalidOAuthFlow = "InvalidOAuthFlowException",
        ScopeDoesNotExist = "ScopeDoesNotExistException",
        FeatureUnavailableInTier = "FeatureUnavailableInTierException",
    }
}

impl Exception {
    /// The HTTP status: 400 for every modelled exception but InternalErrorException (spec §1).
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            Exception::InternalError => 500,
            _ => 400,
        }
    }
}

names! {
    /// A sign-in challenge (`ChallengeName`).
    pub enum Challenge {
        SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
        SmsMfa = "SMS_MFA",
        MfaSetup = "MFA_SETUP",
        SelectMfaType = "SELECT_MFA_TYPE",
        NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
        PasswordVerifier = "PASSWORD_VERIFIER",
        DeviceSrpAuth = "DEVICE_SRP_AUTH",
        DevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER",
        SelectChallenge = "SELECT_CHALLENGE",
        Password = "PASSWORD",
        PasswordSrp = "PASSWORD_SRP",
        EmailOtp = "EMAIL_OTP",
    }
}

names! {
    /// An `AuthFlow` value (spec §2.9, §2.10).
    pub enum AuthFlow {
        UserPasswordAuth = "USER_PASSWORD_AUTH",
        AdminUserPasswordAuth = "ADMIN_USER_PASSWORD_AUTH",
        AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH",
        RefreshTokenAuth = "REFRESH_TOKEN_AUTH",
        RefreshToken = "REFRESH_TOKEN",
        UserSrpAuth = "USER_SRP_AUTH",
        CustomAuth = "CUSTOM_AUTH",
        UserAuth = "USER_AUTH",
    }
}

/// Message texts, where the spec is sure of them. Punctuation the spec marks uncertain (§9
/// Q12) is kept as most often observed.
pub mod message {
    /// Declares the fixed message texts and [`ALL`], the list of them.
    macro_rules! messages {
        ($($(#[$doc:meta])* $name:ident = $text:expr;)*) => {
            $($(#[$doc])* pub const $name: &str = $text;)*
            /// Every fixed message text: what a feature may quote (the features lint checks).
            pub const ALL: &[&str] = &[$($name),*];
        };
    }

    messages! {
        /// Create/UpdateUserPoolClient: a token lifetime outside its documented range (five
        /// minutes to a day; an hour to ten years for refresh tokens). Observed wording.
        INVALID_TOKEN_VALIDITY = "Invalid range for token validity.";
        /// SetUserPoolMfaConfig: ON/OPTIONAL with no factor (spec §2.1).
        MFA_CONFIG_NO_FACTOR = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";
        /// SetUserPoolMfaConfig: OFF together with a factor configuration (spec §2.1).
        MFA_CONFIG_OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.";
        /// TOTP not enabled in the pool (spec §2.3; the trailing period varies, §9 Q12).
        TOTP_NOT_ENABLED_BY_POOL = "Software Token MFA has not been enabled by the userPool.";
        /// SOFTWARE_TOKEN_MFA answered for a user without TOTP (spec §2.11).
        TOTP_NOT_FOUND_FOR_USER = "Software Token MFA does not exist for the user.";
        /// Wrong code at VerifySoftwareToken (spec §2.4).
        ENABLE_TOTP_MISMATCH = "Code mismatch and fail enable Software Token MFA";
        /// Wrong code at sign-in (spec §2.11; period uncertain).
        CODE_MISMATCH = "Invalid code received for user";
        /// A code that was already accepted once (spec §4 B2).
        CODE_ALREADY_USED = "Your software token has already been used once.";
        /// A session that is unknown or from another step (spec §4 B6).
        SESSION_INVALID = "Invalid session for the user.";
        /// A session past its AuthSessionValidity (spec §4 B5).
        SESSION_EXPIRED = "Invalid session for the user, session is expired.";
        /// A session presented a second time (spec §4 B6).
        SESSION_USED = "Invalid session for the user, session can only be used once.";
        /// Wrong password, or unknown user with PreventUserExistenceErrors (spec §2.9).
        INCORRECT_CREDENTIALS = "Incorrect username or password.";
        /// Disabled user (spec §2.9).
        USER_DISABLED = "User is disabled.";
        /// Unknown user (spec §2.8).
        USER_DOES_NOT_EXIST = "User does not exist.";
        /// An access token issued before a global sign-out (spec §2.7).
        ACCESS_TOKEN_REVOKED = "Access Token has been revoked";
        /// An access token past its expiry (spec §2.7).
        ACCESS_TOKEN_EXPIRED = "Access Token has expired";
        /// An access token without the scope `aws.cognito.signin.user.admin` (spec §1.1).
        ACCESS_TOKEN_SCOPES = "Access Token does not have required scopes";
        /// Not an access token of this endpoint (spec §2.3).
        ACCESS_TOKEN_INVALID = "Invalid Access Token";
        /// A refresh token that is unknown, revoked or expired.
        REFRESH_TOKEN_INVALID = "Invalid Refresh Token";
        /// USER_PASSWORD_AUTH not in the client's ExplicitAuthFlows (spec §2.9).
        USER_PASSWORD_AUTH_NOT_ENABLED = "USER_PASSWORD_AUTH flow not enabled for this client";
        /// InitiateAuth / AdminInitiateAuth USER_SRP_AUTH at a client without
        /// ALLOW_USER_SRP_AUTH (spec §2.14).
        USER_SRP_AUTH_NOT_ENABLED = "USER_SRP_AUTH is not enabled for the client.";
        /// CreateUserPoolDomain with a prefix another pool has (wording: a behaviour choice,
        /// spec §2.16).
        DOMAIN_TAKEN = "Domain already associated with another user pool.";
        /// Create/UpdateUserPoolClient allowing OAuth without flows or scopes (spec §2.17).
        OAUTH_FLOWS_AND_SCOPES_REQUIRED = "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.";
        /// `client_credentials` beside `code` or `implicit` (spec §2.17).
        CLIENT_CREDENTIALS_ALONE = "client_credentials flow can not be selected along with code flow or implicit flow.";
        /// `client_credentials` for a client without a secret (spec §2.17).
        CLIENT_CREDENTIALS_SECRET = "client_credentials flow can not be selected if client does not have a client secret.";
        /// `code` or `implicit` allowed without CallbackURLs (wording: a behaviour choice, spec §2.17).
        CALLBACK_URLS_REQUIRED = "CallbackURLs are required for the code and implicit flows.";
        /// CreateUserPoolDomain for a pool that has a domain (wording: a behaviour choice).
        POOL_HAS_DOMAIN = "The user pool already has a domain.";
        /// DeleteUserPoolDomain of a domain the pool does not have (wording: a behaviour choice).
        NO_SUCH_DOMAIN = "No such domain or user pool exists.";
        /// GetDevice / UpdateDeviceStatus / ForgetDevice (and the Admin ones) with a device key
        /// the user does not have (spec §2.15).
        DEVICE_NOT_FOUND = "Device does not exist.";
        /// A sign-in while the user is locked out after repeated wrong passwords (spec §2.14).
        PASSWORD_ATTEMPTS_EXCEEDED = "Password attempts exceeded";
        /// An admin flow not in the client's ExplicitAuthFlows (spec §2.10).
        AUTH_FLOW_NOT_ENABLED = "Auth flow not enabled for this client";
        /// A flow sent to the wrong operation (spec §2.9, §2.10).
        AUTH_METHOD_NOT_SUPPORTED = "Initiate Auth method not supported.";
        /// SetUserMFAPreference for TOTP before AssociateSoftwareToken (spec §2.5).
        TOTP_NOT_SET_UP = "User has not set up software token mfa";
        /// SetUserMFAPreference for TOTP before VerifySoftwareToken (spec §2.5).
        TOTP_NOT_VERIFIED = "User has not verified software token mfa";
        /// AdminSetUserMFAPreference enabling TOTP without a verified token (spec §2.6, §9 Q8).
        TOTP_NO_DELIVERY_CONFIG = "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA";
        /// SMS MFA settings for a user without a phone number (spec §2.5).
        SMS_NO_PHONE = "User does not have a phone_number set to turn on SMS MFA";
        /// A pagination token the endpoint did not hand out.
        INVALID_PAGINATION_TOKEN = "Invalid pagination token";
        /// REFRESH_TOKEN_AUTH with a refresh token that was revoked (GlobalSignOut).
        REFRESH_TOKEN_REVOKED = "Refresh Token has been revoked";
        /// AdminCreateUser with a username that is taken.
        USERNAME_EXISTS = "User account already exists";
        /// Associate/VerifySoftwareToken with both an access token and a session.
        TOKEN_AND_SESSION = "The request takes an access token or a session string, but not both.";
        /// Associate/VerifySoftwareToken with neither.
        TOKEN_OR_SESSION = "The request needs an access token or a session string.";
        /// A throttled request (the endpoint's injected faults).
        RATE_EXCEEDED = "Rate exceeded";
        /// A handler that failed inside the endpoint.
        INTERNAL_ERROR = "Internal error";
        /// Password policy: too short.
        PASSWORD_TOO_SHORT = "Password not long enough";
        /// Password policy: no upper-case letter.
        PASSWORD_NO_UPPER = "Password must have uppercase characters";
        /// Password policy: no lower-case letter.
        PASSWORD_NO_LOWER = "Password must have lowercase characters";
        /// Password policy: no digit.
        PASSWORD_NO_DIGIT = "Password must have numeric characters";
        /// Password policy: no symbol.
        PASSWORD_NO_SYMBOL = "Password must have symbol characters";
        /// InitiateAuth / AdminInitiateAuth USER_AUTH at a client without ALLOW_USER_AUTH
        /// (wording: a behaviour choice, spec §2.18; the suite probes it, §9 Q23).
        USER_AUTH_NOT_ENABLED = "USER_AUTH is not enabled for the client.";
        /// Threat protection on a pool below the Plus plan (spec §2.19; observed).
        THREAT_PROTECTION_NEEDS_PLUS = "The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection";
        /// A wrong EMAIL_OTP code (spec §2.20: the answer observed for a wrong SMS code).
        CODE_MISMATCH_OTP = "Invalid code or auth state for the user.";
        /// EmailMfaSettings for a user without an email address (wording: a behaviour
        /// choice, patterned on the TOTP and SMS texts, spec §2.20).
        EMAIL_NO_DELIVERY_CONFIG = "User does not have delivery config set to turn on EMAIL_OTP";
        /// "User is not confirmed." (spec §3).
        USER_NOT_CONFIRMED = "User is not confirmed.";
    }

    /// A password the pool's policy refuses (`problem`: one of the `PASSWORD_…` texts).
    #[must_use]
    pub fn password_policy(problem: &str) -> String {
        format!("Password did not conform with policy: {problem}")
    }

    /// An auth parameter the flow needs is missing (`USERNAME`, `PASSWORD`, …).
    #[must_use]
    pub fn missing_parameter(name: &str) -> String {
        format!("Missing required parameter {name}")
    }

    /// A wrong SECRET_HASH (spec §2.9).
    #[must_use]
    pub fn secret_hash_mismatch(client_id: &str) -> String {
        format!("Unable to verify secret hash for client {client_id}")
    }

    /// A missing SECRET_HASH for a client with a secret (spec §2.9).
    #[must_use]
    pub fn secret_hash_missing(client_id: &str) -> String {
        format!("Client {client_id} is configured with secret but SECRET_HASH was not received")
    }

    /// A feature the pool's plan does not include (spec §2.19: the shape AWS was seen to
    /// answer; `tier` is `LITE`, `ESSENTIALS` or `PLUS`).
    #[must_use]
    pub fn feature_unavailable_in_tier(tier: &str, features: &str) -> String {
        format!(
            "The following features need to be disabled for the {tier} pricing tier configured: {features}"
        )
    }

    /// An unknown pool (spec §3).
    #[must_use]
    pub fn pool_not_found(pool_id: &str) -> String {
        format!("User pool {pool_id} does not exist.")
    }

    /// An unknown app client (spec §3).
    #[must_use]
    pub fn client_not_found(client_id: &str) -> String {
        format!("User pool client {client_id} does not exist.")
    }
}
