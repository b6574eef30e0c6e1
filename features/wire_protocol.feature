Feature: The wire — AWS JSON 1.1
  Errors are HTTP 400 with {"__type", "message"} (spec §1), also for requests no SDK would
  send. The same error stands in the headers x-amzn-ErrorType and x-amzn-ErrorMessage, which
  the SDKs read before the body.

  @id:wire.create_user_pool.invalid_json @api:CreateUserPool @doc:SMITHY-JSON @should @requires:wire.raw
  Scenario: A body that is not JSON
    When a client sends CreateUserPool a body that is not JSON
    Then the request fails with SerializationException

  @id:wire.describe_user_pool.missing_member @api:DescribeUserPool @doc:BOTO @should @requires:wire.raw
  Scenario: A required member is missing
    When a client sends DescribeUserPool without the required member UserPoolId
    Then the request fails with InvalidParameterException

  @id:wire.describe_user_pool.error_headers @api:DescribeUserPool @doc:SMITHY-JSON @doc:I-AJS-1165 @should @requires:wire.raw
  Scenario: An error names itself in the x-amzn-ErrorType and x-amzn-ErrorMessage headers too
    When a client sends DescribeUserPool for a user pool that does not exist
    Then the request fails with ResourceNotFoundException
    And the x-amzn-ErrorType header names ResourceNotFoundException
    And the x-amzn-ErrorMessage header is the body's message

  @id:wire.unknown.unknown_operation @api:Unknown @doc:SMITHY-JSON @should @requires:wire.raw
  Scenario: An operation Cognito does not have
    When a client calls the operation FrobnicateUserPool
    Then the request fails with UnknownOperationException

  @id:wire.describe_user_pool.wrong_type @api:DescribeUserPool @doc:SMITHY-JSON @should @requires:wire.raw
  Scenario: A member of the wrong type
    When a client sends DescribeUserPool with UserPoolId as a number
    Then the request fails with SerializationException

  @id:wire.list_user_pools.unknown_member @api:ListUserPools @doc:SMITHY-JSON @probe @requires:wire.raw
  Scenario: A member the operation does not have
    When a client sends ListUserPools with an extra member NotAMember
    Then the target's answer to "an unknown request member" is recorded
