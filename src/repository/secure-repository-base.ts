import { Annotations, Resource, Stack, Token, TokenComparison, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ECR_AUTH_ACTIONS, ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS } from '../private/ecr-actions';
import { GRANTABLE, STRING, arrayOf, checkArgs, required } from '../private/shape';

/**
 * An ECR repository with the library's grants, declared (`SecureRepository`) or imported
 * (`SecureRepository.fromRepositoryArn`): least privilege on the repository ARN, the pull and
 * push actions of the ECR User Guide, `ecr:GetAuthorizationToken` on `*` (which AWS forces), no
 * KMS permission (ECR decrypts through its own grants on the key), and a principal of another
 * account matched by its ARN in the repository policy rather than named.
 *
 * The base of `SecureRepository`, as `ecr.RepositoryBase` is the base of `ecr.Repository`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 * @example
 * declare const repository: SecureRepositoryBase;
 * declare const executionRole: iam.IRole;
 * repository.grantPull(executionRole);
 */
export abstract class SecureRepositoryBase extends ecr.RepositoryBase {
  /**
   * Grants `actions` on this repository to `grantee`.
   *
   * A principal in another account gets the identity-policy half here and the
   * repository-policy half as the account principal with an `aws:PrincipalArn` condition on
   * its ARN, never as a named principal that may not exist yet when the registry deploys.
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    checkArgs(this, [['grantee', grantee, required(GRANTABLE)], ['actions', actions, arrayOf(STRING)]]);
    const principal = grantee.grantPrincipal;
    const principalAccount = principal.principalAccount;
    const crossAccount = principalAccount !== undefined &&
      Token.compareStrings(principalAccount, this.env.account) === TokenComparison.DIFFERENT;
    if (crossAccount && !Token.isUnresolved(principalAccount)) {
      if (!hasPhysicalName(this, principal)) {
        // A principal created without a name cannot be referenced from another account's
        // stack. aws-cdk-lib's approach: tag it and match the tag (aws:PrincipalTag/aws-cdk:id).
        Annotations.of(this).addWarningV2('cdk-secure-registry:crossAccountPrincipalByTag',
          `${Construct.isConstruct(principal) ? principal.node.path : 'The principal'} in account ${principalAccount} has no name, so the repository policy matches it by ` +
          'its aws-cdk:id tag; give it a name (roleName, or PhysicalName.GENERATE_IF_NEEDED) to match it by ARN instead');
        return super.grant(grantee, ...actions);
      }
      this.addToResourcePolicy(new iam.PolicyStatement({
        actions,
        principals: [new iam.AccountPrincipal(principalAccount)],
        conditions: { ArnLike: { 'aws:PrincipalArn': principalArnOf(principal) } },
      }));
      return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.repositoryArn] });
    }
    return iam.Grant.addToPrincipalOrResource({
      grantee,
      actions,
      resourceArns: [this.repositoryArn],
      resourceSelfArns: [],
      resource: this,
    });
  }

  /**
   * Grants pulling images from this repository: the pull actions on this repository and
   * `ecr:GetAuthorizationToken` (which AWS only accepts on `*`).
   *
   * No KMS permission is added: ECR decrypts layers through the grants it holds on the key,
   * so a puller needs none.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
   */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...ECR_PULL_ACTIONS);
    this.grantAuthorizationToken(grantee);
    return grant;
  }

  /**
   * Grants pushing images to this repository (and `ecr:GetAuthorizationToken` on `*`), plus
   * what the repository's registry asks of a pusher, for a repository that belongs to a
   * registry: `signer:SignPayload` on the profile of every signing rule that covers it.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
   */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...ECR_PUSH_ACTIONS);
    this.grantAuthorizationToken(grantee);
    this._grantPushRequirements(grantee);
    return grant;
  }

  /**
   * Grants pulling and pushing (with what the registry asks of a pusher, as `grantPush`).
   */
  public grantPullPush(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...new Set([...ECR_PULL_ACTIONS, ...ECR_PUSH_ACTIONS]));
    this.grantAuthorizationToken(grantee);
    this._grantPushRequirements(grantee);
    return grant;
  }

  private grantAuthorizationToken(grantee: iam.IGrantable): void {
    // AWS forces '*': GetAuthorizationToken has no resource type.
    iam.Grant.addToPrincipal({ grantee, actions: ECR_AUTH_ACTIONS, resourceArns: ['*'] });
  }

  /**
   * What pushing needs beyond the push actions (a repository of a registry asks the registry);
   * nothing by default.
   * @internal
   */
  protected _grantPushRequirements(_grantee: iam.IGrantable): void {
    // no registry: the push actions are all a pusher needs
  }
}

/** The ARN a principal is matched by in an `aws:PrincipalArn` condition. */
function principalArnOf(principal: iam.IPrincipal): string {
  const role = principal as Partial<iam.IRole>;
  return role.roleArn ?? (principal as Partial<iam.IUser>).userArn!;
}

/**
 * Whether a principal created in another stack can be referenced by ARN from `scope`'s stack:
 * only roles and users with a physical name (given, or PhysicalName.GENERATE_IF_NEEDED).
 * aws-cdk-lib answers when the ARN is resolved in another environment: it generates the name
 * where allowed and throws where the principal has none, so the answer is a trial resolve.
 */
function hasPhysicalName(scope: Construct, principal: iam.IPrincipal): boolean {
  const isRoleOrUser = (principal as Partial<iam.IRole>).roleArn !== undefined ||
    (principal as Partial<iam.IUser>).userArn !== undefined;
  if (!isRoleOrUser) {
    return false;
  }
  if (!(principal instanceof Resource)) {
    return true; // imported by ARN: the ARN is a literal
  }
  try {
    Stack.of(scope).resolve(principalArnOf(principal));
    return true;
  } catch {
    return false;
  }
}
