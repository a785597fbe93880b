import { Token, aws_iam as iam } from 'aws-cdk-lib';
import { ECR_PULL_ACTIONS, ECR_REPOSITORY_POLICY_PULL_ACTIONS } from '../private/ecr-actions';
import { Problems } from '../private/errors';
import { STRING, arrayOf, checkArgs, required, struct, withExample } from '../private/shape';
import { validateAccountId, validateOrganizationId, validateRegion } from '../private/validation';

const ACCOUNTS = arrayOf(STRING, "['333333333333']");

/** An IAM role or user ARN (pattern), as `aws:PrincipalArn` sees it. */
const PRINCIPAL_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::([0-9]{12}):(role|user)\/[\w+=,.@\-/*?]+$/;

/**
 * Options of `RepositoryPullStatements.pullForAccounts`.
 */
export interface AccountPullOptions {
  /**
   * The accounts whose principals may pull (12-digit ids).
   */
  readonly accounts: string[];

  /**
   * `aws:PrincipalArn` patterns (`ArnLike`) that narrow the grant to roles in those accounts,
   * e.g. `arn:aws:iam::333333333333:role/orders-task-execution` or
   * `arn:aws:iam::333333333333:role/ecr-pull/*`. Every pattern must be in one of `accounts`.
   *
   * @default - any principal of the accounts that their own IAM policies allow
   */
  readonly principalArnPatterns?: string[];
}

/**
 * Options of `RepositoryPullStatements.pullForOrganization`.
 */
export interface OrganizationPullOptions {
  /**
   * The AWS Organizations id (`o-...`).
   */
  readonly organizationId: string;

  /**
   * `aws:PrincipalArn` patterns (`ArnLike`) that narrow the grant further.
   *
   * @default - any principal of the organization that its own IAM policies allow
   */
  readonly principalArnPatterns?: string[];
}

/**
 * Options of `RepositoryPullStatements.pullForLambda`.
 */
export interface LambdaPullOptions {
  /**
   * The account that owns the repository (the registry account).
   */
  readonly registryAccount: string;

  /**
   * The Region of the repository; Lambda functions must be in the same Region.
   */
  readonly region: string;

  /**
   * The accounts whose Lambda functions use images from the repository. Each account other than
   * `registryAccount` also gets the account-root statement AWS requires for cross-account images.
   */
  readonly functionAccounts: string[];

  /**
   * A function-name pattern (`StringLike` on `aws:SourceArn`).
   *
   * @default '*' - every function of the accounts
   */
  readonly functionNamePattern?: string;
}

/**
 * Repository-policy statements for the registry side of a pull: renders the grant the
 * repository's account must add so that principals of other accounts (or Lambda) can pull.
 *
 * ECR rejects a repository policy that names a principal that does not exist yet, and the
 * registry stack deploys before the workload stacks. These statements therefore name account
 * roots (or the organization) and narrow them with `aws:PrincipalArn`, never a role ARN
 * another stack creates later. Add them with `repository.addToResourcePolicy(statement)`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-permissions
 * @example
 * declare const repository: ecr.Repository;
 * repository.addToResourcePolicy(RepositoryPullStatements.pullForAccounts({
 *   accounts: ['333333333333'],
 *   principalArnPatterns: ['arn:aws:iam::333333333333:role/orders-task-execution'],
 * }));
 */
export class RepositoryPullStatements {
  /**
   * Pull for principals of other accounts: `Principal: {AWS: arn:aws:iam::<account>:root}`,
   * optionally narrowed with `ArnLike aws:PrincipalArn`. The pulling role still needs an
   * identity policy in its own account (`RegistryPullRole`, `RegistryPullPolicy`).
   */
  public static pullForAccounts(options: AccountPullOptions): iam.PolicyStatement {
    checkArgs(undefined, [['options', options, required(struct('AccountPullOptions', () => ({
      accounts: required(ACCOUNTS),
      principalArnPatterns: arrayOf(STRING),
    }), "{ accounts: ['333333333333'] }"))]]);
    const problems = new Problems();
    if (options.accounts.length === 0) {
      problems.add('NoPullAccount', 'accounts is empty: name the accounts that pull, e.g. [\'333333333333\']');
    }
    options.accounts.forEach((a) => validateAccountId(problems, a, 'accounts'));
    validatePrincipalArnPatterns(problems, options.principalArnPatterns, options.accounts);
    problems.throwIfAnyUnscoped();
    return new iam.PolicyStatement({
      sid: 'CrossAccountPull',
      principals: options.accounts.map((a) => new iam.AccountPrincipal(a)),
      actions: ECR_PULL_ACTIONS,
      conditions: principalArnCondition(options.principalArnPatterns),
    });
  }

  /**
   * Pull for the principals of one AWS organization: `Principal: *` with
   * `StringEquals aws:PrincipalOrgID`, optionally narrowed with `ArnLike aws:PrincipalArn`.
   * cdk-nag's AwsSolutions-ECR1 flags `Principal: *` without reading conditions: acknowledge
   * it with that reason.
   */
  public static pullForOrganization(options: OrganizationPullOptions): iam.PolicyStatement {
    checkArgs(undefined, [['options', options, required(struct('OrganizationPullOptions', () => ({
      organizationId: required(withExample(STRING, "'o-exampleorg1'")),
      principalArnPatterns: arrayOf(STRING),
    }), "{ organizationId: 'o-exampleorg1' }"))]]);
    const problems = new Problems();
    validateOrganizationId(problems, options.organizationId, 'organizationId');
    validatePrincipalArnPatterns(problems, options.principalArnPatterns, undefined);
    problems.throwIfAnyUnscoped();
    return new iam.PolicyStatement({
      sid: 'OrganizationPull',
      principals: [new iam.AnyPrincipal()],
      actions: ECR_PULL_ACTIONS,
      conditions: {
        StringEquals: { 'aws:PrincipalOrgID': options.organizationId },
        ...principalArnCondition(options.principalArnPatterns),
      },
    });
  }

  /**
   * Pull for Lambda functions packaged as images: `Principal: {Service: lambda.amazonaws.com}`
   * with `StringLike aws:SourceArn` (the functions) and `StringEquals aws:SourceAccount`, plus,
   * for function accounts other than the registry's, the account-root statement AWS requires
   * for cross-account images. Lambda cannot pull through a pull-through cache rule.
   */
  public static pullForLambda(options: LambdaPullOptions): iam.PolicyStatement[] {
    checkArgs(undefined, [['options', options, required(struct('LambdaPullOptions', () => ({
      registryAccount: required(withExample(STRING, "'111111111111'")),
      region: required(withExample(STRING, "'us-east-1'")),
      functionAccounts: required(ACCOUNTS),
      functionNamePattern: STRING,
    }), "{ registryAccount: '111111111111', region: 'us-east-1', functionAccounts: ['333333333333'] }"))]]);
    const problems = new Problems();
    validateAccountId(problems, options.registryAccount, 'registryAccount');
    validateRegion(problems, options.region, 'region');
    if (options.functionAccounts.length === 0) {
      problems.add('NoPullAccount', 'functionAccounts is empty: name the accounts of the functions, e.g. [\'333333333333\']');
    }
    options.functionAccounts.forEach((a) => validateAccountId(problems, a, 'functionAccounts'));
    problems.throwIfAnyUnscoped();
    const pattern = options.functionNamePattern ?? '*';
    const sourceArns = options.functionAccounts.map((a) => `arn:aws:lambda:${options.region}:${a}:function:${pattern}`);
    const statements = [new iam.PolicyStatement({
      sid: 'LambdaECRImageRetrievalPolicy',
      principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
      actions: ECR_REPOSITORY_POLICY_PULL_ACTIONS,
      conditions: {
        StringLike: { 'aws:SourceArn': sourceArns },
        StringEquals: { 'aws:SourceAccount': options.functionAccounts },
      },
    })];
    const others = options.functionAccounts.filter((a) => a !== options.registryAccount);
    if (others.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'CrossAccountPermission',
        principals: others.map((a) => new iam.AccountPrincipal(a)),
        actions: ECR_REPOSITORY_POLICY_PULL_ACTIONS,
      }));
    }
    return statements;
  }

  private constructor() {}
}

function principalArnCondition(patterns: string[] | undefined): Record<string, any> {
  if (!patterns || patterns.length === 0) {
    return {};
  }
  return { ArnLike: { 'aws:PrincipalArn': patterns } };
}

function validatePrincipalArnPatterns(problems: Problems, patterns: string[] | undefined, accounts: string[] | undefined): void {
  for (const pattern of patterns ?? []) {
    if (Token.isUnresolved(pattern)) {
      continue;
    }
    const match = PRINCIPAL_ARN_PATTERN.exec(pattern);
    if (!match) {
      problems.add('InvalidPrincipalArnPattern',
        `principalArnPatterns entry '${pattern}' is not an IAM role or user ARN: use e.g. ` +
        '\'arn:aws:iam::333333333333:role/orders-task-execution\' or \'arn:aws:iam::333333333333:role/ecr-pull/*\'');
      continue;
    }
    if (accounts && !accounts.some((a) => Token.isUnresolved(a)) && !accounts.includes(match[2])) {
      problems.add('PrincipalArnOutsideAccounts',
        `principalArnPatterns entry '${pattern}' is in account ${match[2]}, which is not in accounts ` +
        `(${accounts.join(', ')}): add the account or fix the ARN`);
    }
  }
}
