//! The AWS JSON operations of the reference endpoint: one row per operation — the members its
//! request may carry and its handler — and one file per area of `docs/behaviour.md`: pools,
//! app clients, users, domains, sign-in (auth, srp), MFA, devices.
//!
//! Owns: the operation table and the handlers. Uses: the sign-in rules, sessions, the store,
//! the wire, the context. Never the hosted UI.

mod auth;
mod clients;
mod devices;
mod domains;
mod mfa;
mod pools;
mod srp;
mod users;

use serde_json::Value;

use super::context::Ctx;
use super::store::Store;
use super::wire::{ApiResult, Input};
use crate::vocabulary::Operation;

pub(super) use clients::STANDARD_SCOPES;
pub(super) use srp::{peek, prework};

/// An operation's handler: the store (locked), the request's context, the request.
type Handler = fn(&mut Store, &Ctx<'_>, &Input) -> ApiResult<Value>;

/// One operation: the members its request may carry, and what answers it.
struct Spec {
    members: &'static [&'static str],
    /// Members of `members` this operation refuses (operations that share a member list but
    /// one or two of its members).
    refused: &'static [&'static str],
    handler: Handler,
}

impl Spec {
    fn new(members: &'static [&'static str], handler: Handler) -> Spec {
        Spec {
            members,
            refused: &[],
            handler,
        }
    }

    fn without(self, refused: &'static [&'static str]) -> Spec {
        Spec { refused, ..self }
    }
}

/// The table: every operation the endpoint answers.
fn spec(op: Operation) -> Spec {
    use Operation as O;
    match op {
        O::CreateUserPool => Spec::new(CREATE_POOL_MEMBERS, pools::create_user_pool),
        O::DeleteUserPool => Spec::new(&["UserPoolId"], pools::delete_user_pool),
        O::UpdateUserPool => Spec::new(UPDATE_POOL_MEMBERS, pools::update_user_pool),
        O::DescribeUserPool => Spec::new(&["UserPoolId"], pools::describe_user_pool),
        O::ListUserPools => Spec::new(&["MaxResults", "NextToken"], pools::list_user_pools),
        O::SetUserPoolMfaConfig => Spec::new(
            &[
                "UserPoolId",
                "MfaConfiguration",
                "SoftwareTokenMfaConfiguration",
                "SmsMfaConfiguration",
                "EmailMfaConfiguration",
                "WebAuthnConfiguration",
            ],
            pools::set_user_pool_mfa_config,
        ),
        O::GetUserPoolMfaConfig => Spec::new(&["UserPoolId"], pools::get_user_pool_mfa_config),
        O::CreateUserPoolClient => {
            Spec::new(CLIENT_MEMBERS, clients::create_user_pool_client).without(&["ClientId"])
        }
        O::UpdateUserPoolClient => {
            Spec::new(CLIENT_MEMBERS, clients::update_user_pool_client).without(&["GenerateSecret"])
        }
        O::DescribeUserPoolClient => Spec::new(
            &["UserPoolId", "ClientId"],
            clients::describe_user_pool_client,
        ),
        O::DeleteUserPoolClient => Spec::new(
            &["UserPoolId", "ClientId"],
            clients::delete_user_pool_client,
        ),
        O::AdminCreateUser => Spec::new(
            &[
                "UserPoolId",
                "Username",
                "UserAttributes",
                "ValidationData",
                "TemporaryPassword",
                "ForceAliasCreation",
                "MessageAction",
                "DesiredDeliveryMediums",
                "ClientMetadata",
            ],
            users::admin_create_user,
        ),
        O::AdminSetUserPassword => Spec::new(
            &["UserPoolId", "Username", "Password", "Permanent"],
            users::admin_set_user_password,
        ),
        O::AdminDeleteUser => Spec::new(&["UserPoolId", "Username"], users::admin_delete_user),
        O::AdminGetUser => Spec::new(&["UserPoolId", "Username"], users::admin_get_user),
        O::AdminDisableUser => Spec::new(&["UserPoolId", "Username"], |s, c, i| {
            users::admin_set_enabled(s, c, i, false)
        }),
        O::AdminEnableUser => Spec::new(&["UserPoolId", "Username"], |s, c, i| {
            users::admin_set_enabled(s, c, i, true)
        }),
        O::ListUsers => Spec::new(
            &[
                "UserPoolId",
                "AttributesToGet",
                "Limit",
                "PaginationToken",
                "Filter",
            ],
            users::list_users,
        ),
        O::GetUser => Spec::new(&["AccessToken"], users::get_user),
        O::GetUserAuthFactors => Spec::new(&["AccessToken"], users::get_user_auth_factors),
        O::GlobalSignOut => Spec::new(&["AccessToken"], auth::global_sign_out),
        O::AdminUserGlobalSignOut => Spec::new(
            &["UserPoolId", "Username"],
            auth::admin_user_global_sign_out,
        ),
        O::AssociateSoftwareToken => {
            Spec::new(&["AccessToken", "Session"], mfa::associate_software_token)
        }
        O::VerifySoftwareToken => Spec::new(
            &["AccessToken", "Session", "UserCode", "FriendlyDeviceName"],
            mfa::verify_software_token,
        ),
        O::SetUserMFAPreference => Spec::new(
            &[
                "AccessToken",
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "EmailMfaSettings",
                "WebAuthnMfaSettings",
            ],
            mfa::set_user_mfa_preference,
        ),
        O::AdminSetUserMFAPreference => Spec::new(
            &[
                "UserPoolId",
                "Username",
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "EmailMfaSettings",
                "WebAuthnMfaSettings",
            ],
            mfa::admin_set_user_mfa_preference,
        ),
        O::InitiateAuth => Spec::new(
            &[
                "AuthFlow",
                "AuthParameters",
                "ClientMetadata",
                "ClientId",
                "AnalyticsMetadata",
                "UserContextData",
                "Session",
            ],
            auth::initiate_auth,
        ),
        O::AdminInitiateAuth => Spec::new(
            &[
                "UserPoolId",
                "ClientId",
                "AuthFlow",
                "AuthParameters",
                "ClientMetadata",
                "AnalyticsMetadata",
                "ContextData",
                "Session",
            ],
            auth::admin_initiate_auth,
        ),
        O::RespondToAuthChallenge => Spec::new(
            &[
                "ClientId",
                "ChallengeName",
                "Session",
                "ChallengeResponses",
                "AnalyticsMetadata",
                "UserContextData",
                "ClientMetadata",
            ],
            auth::respond_to_auth_challenge,
        ),
        O::AdminRespondToAuthChallenge => Spec::new(
            &[
                "UserPoolId",
                "ClientId",
                "ChallengeName",
                "ChallengeResponses",
                "Session",
                "AnalyticsMetadata",
                "ContextData",
                "ClientMetadata",
            ],
            auth::admin_respond_to_auth_challenge,
        ),
        O::ConfirmDevice => Spec::new(
            &[
                "AccessToken",
                "DeviceKey",
                "DeviceSecretVerifierConfig",
                "DeviceName",
            ],
            devices::confirm_device,
        ),
        O::UpdateDeviceStatus => Spec::new(
            &["AccessToken", "DeviceKey", "DeviceRememberedStatus"],
            devices::update_device_status,
        ),
        O::ListDevices => Spec::new(
            &["AccessToken", "Limit", "PaginationToken"],
            devices::list_devices,
        ),
        O::GetDevice => Spec::new(&["AccessToken", "DeviceKey"], devices::get_device),
        O::ForgetDevice => Spec::new(&["AccessToken", "DeviceKey"], devices::forget_device),
        O::AdminListDevices => Spec::new(
            &["UserPoolId", "Username", "Limit", "PaginationToken"],
            devices::admin_list_devices,
        ),
        O::AdminGetDevice => Spec::new(
            &["UserPoolId", "Username", "DeviceKey"],
            devices::admin_get_device,
        ),
        O::AdminUpdateDeviceStatus => Spec::new(
            &[
                "UserPoolId",
                "Username",
                "DeviceKey",
                "DeviceRememberedStatus",
            ],
            devices::admin_update_device_status,
        ),
        O::AdminForgetDevice => Spec::new(
            &["UserPoolId", "Username", "DeviceKey"],
            devices::admin_forget_device,
        ),
        O::CreateUserPoolDomain => Spec::new(
            &[
                "Domain",
                "UserPoolId",
                "CustomDomainConfig",
                "ManagedLoginVersion",
            ],
            domains::create_user_pool_domain,
        ),
        O::DescribeUserPoolDomain => Spec::new(&["Domain"], domains::describe_user_pool_domain),
        O::DeleteUserPoolDomain => {
            Spec::new(&["Domain", "UserPoolId"], domains::delete_user_pool_domain)
        }
    }
}

/// Answers one request of `op`: unknown members are refused before the handler runs.
pub(super) fn call(
    op: Operation,
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let spec = spec(op);
    input.allow_except(spec.members, spec.refused)?;
    (spec.handler)(store, ctx, input)
}

/// Members CreateUserPool accepts; those the endpoint does not model are accepted and
/// ignored, so that templates written for AWS run unchanged.
const CREATE_POOL_MEMBERS: &[&str] = &[
    "PoolName",
    "MfaConfiguration",
    "Policies",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "Schema",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AccountRecoverySetting",
    "DeletionProtection",
    "UserAttributeUpdateSettings",
    "UserPoolTier",
];

const UPDATE_POOL_MEMBERS: &[&str] = &[
    "UserPoolId",
    "PoolName",
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "UserAttributeUpdateSettings",
    "MfaConfiguration",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "UserPoolTier",
];

const CLIENT_MEMBERS: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "ClientName",
    "GenerateSecret",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
];
