import { aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * A role whose every permission, including grants made on it later (for example
 * `repository.grantPush(role)` or `logGroup.grantWrite(role)`), lands in one customer managed
 * policy instead of an inline policy.
 *
 * Not exported from the package: jsii folds it into the public roles that extend it.
 * @internal
 */
export class ManagedPolicyRole extends iam.Role {
  /** The customer managed policy that holds every permission of the role. */
  public readonly policy: iam.ManagedPolicy;

  /**
   * @param createPolicy creates the role's managed policy, attached to the role it is given
   */
  constructor(scope: Construct, id: string, props: iam.RoleProps, createPolicy: (role: iam.Role) => iam.ManagedPolicy) {
    super(scope, id, props);
    this.policy = createPolicy(this);
  }

  /**
   * Adds statements to the role's managed policy instead of an inline policy.
   */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.policy) {
      // Grants made while the policy is being created (none today) fall back to the default.
      return super.addToPrincipalPolicy(statement);
    }
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
