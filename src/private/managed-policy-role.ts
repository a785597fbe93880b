import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * The `addToPrincipalPolicy` of the library's roles: every permission, including grants made on
 * the role later (for example `repository.grantPush(role)` or `logGroup.grantWrite(role)`), lands
 * in the role's one customer managed policy instead of an inline policy. Returns undefined while
 * the policy does not exist yet (during the role's own construction), for the default behaviour.
 */
export function addToManagedPolicy(policy: iam.ManagedPolicy | undefined,
  statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult | undefined {
  if (!policy) {
    return undefined;
  }
  policy.addStatements(statement);
  return { statementAdded: true, policyDependable: policy };
}
