import { aws_ecr as ecr, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ECR_AUTH_ACTIONS,
  ECR_PULL_ACTIONS,
  ECR_PULL_THROUGH_CACHE_ACTIONS,
  LOGS_WRITE_ACTIONS,
} from '../private/ecr-actions';
import { Problems } from '../private/errors';
import { addToManagedPolicy } from '../private/managed-policy-role';
import { futurePath } from '../private/scope-path';
import {
  BOOLEAN, LOG_GROUP, PRINCIPAL, REPOSITORY, ROLE, STRING, arrayOf, checkArgs, constructArgs, required, struct,
} from '../private/shape';

/**
 * Properties of a `RegistryPullPolicy`.
 */
export interface RegistryPullPolicyProps {
  /**
   * The repositories the policy allows pulling from. Repositories in other accounts work when
   * their repository policy also allows the pulling role (see `RepositoryPullStatements`).
   */
  readonly repositories: ecr.IRepository[];

  /**
   * Also allow `ecr:BatchImportUpstreamImage`, which the first pull of an image through a
   * pull-through cache rule needs.
   *
   * @default false
   */
  readonly pullThroughCache?: boolean;

  /**
   * Roles to attach the policy to (e.g. an EKS node role).
   *
   * @default - attach later with `role.addManagedPolicy(policy)`
   */
  readonly roles?: iam.IRole[];

  /**
   * A name for the managed policy.
   *
   * @default - a name CloudFormation generates
   */
  readonly managedPolicyName?: string;
}

/**
 * A customer managed policy that allows pulling from the given repositories and nothing else.
 *
 * It holds `ecr:BatchCheckLayerAvailability`, `ecr:BatchGetImage` and
 * `ecr:GetDownloadUrlForLayer` on the repositories' ARNs and `ecr:GetAuthorizationToken` on `*`
 * (that action has no resource type). It is the scoped counterpart of AWS's
 * `AmazonEC2ContainerRegistryPullOnly`, which allows every repository: attach it to EKS node
 * roles, build roles or any other puller. No `kms:Decrypt`: ECR decrypts images with the grant
 * it holds on the repository's key, so pullers never call KMS.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/security-iam-awsmanpol.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 * @example
 * declare const nodeRole: iam.IRole;
 * declare const repository: ecr.IRepository;
 * new RegistryPullPolicy(this, 'NodePull', { repositories: [repository], roles: [nodeRole] });
 */
export class RegistryPullPolicy extends iam.ManagedPolicy {
  constructor(scope: Construct, id: string, props: RegistryPullPolicyProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(struct('RegistryPullPolicyProps', () => ({
      repositories: required(arrayOf(REPOSITORY)),
      pullThroughCache: BOOLEAN,
      roles: arrayOf(ROLE),
      managedPolicyName: STRING,
    }), '{ repositories: [repository] }'))]]);
    const problems = new Problems();
    if (props.repositories.length === 0) {
      problems.add('NoPullRepository',
        'repositories is empty: a pull policy names the repositories it may pull from, e.g. [repository]');
    }
    problems.throwIfAny(futurePath(scope, id));
    super(scope, id, {
      managedPolicyName: props.managedPolicyName,
      description: 'Least-privilege Amazon ECR pull from named repositories',
      roles: props.roles,
      statements: statements(props.repositories, props.pullThroughCache ?? false),
    });
  }

}

/**
 * Properties of a `RegistryPullRole`.
 */
export interface RegistryPullRoleProps {
  /**
   * The repositories the role may pull from.
   */
  readonly repositories: ecr.IRepository[];

  /**
   * Who assumes the role.
   *
   * @default - `ecs-tasks.amazonaws.com`, for an ECS task *execution* role
   */
  readonly assumedBy?: iam.IPrincipal;

  /**
   * Log groups the `awslogs` log driver writes to (`logs:CreateLogStream`, `logs:PutLogEvents`
   * on these groups only).
   *
   * @default - no log permissions; `ecs.LogDrivers.awsLogs({ logGroup })` grants its group itself
   */
  readonly logGroups?: logs.ILogGroup[];

  /**
   * Also allow the first pull of an image through a pull-through cache rule
   * (`ecr:BatchImportUpstreamImage` on the repositories).
   *
   * @default false
   */
  readonly pullThroughCache?: boolean;

  /**
   * A name for the role. A fixed name lets the registry account grant it with an exact
   * `aws:PrincipalArn` before the role exists.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The path of the role. A path such as `/ecr-pull/` lets the registry account grant every
   * pull role of an account with `arn:aws:iam::<account>:role/ecr-pull/*`.
   *
   * @default '/'
   */
  readonly path?: string;
}

/**
 * A role that can pull from the given repositories and nothing else: by default, an ECS task
 * execution role.
 *
 * ECS pulls the image and writes `awslogs` logs with the task **execution** role, not the task
 * role (the one your application code uses): give this role as `executionRole` of the task
 * definition. Every permission is in a customer managed policy; grants made later on the role
 * (for example by `ecs.ContainerImage.fromEcrRepository` or `logGroup.grantWrite`) are added
 * to that managed policy rather than to an inline policy.
 *
 * Cross-account: for a repository in another account, this role is the identity half; the
 * registry account must also allow it in the repository policy, by account root with an
 * `aws:PrincipalArn` condition (`RepositoryPullStatements.pullForAccounts`), because ECR
 * rejects a policy that names a role ARN that does not exist yet.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 * @example
 * declare const repository: ecr.IRepository;
 * const executionRole = new RegistryPullRole(this, 'ExecutionRole', { repositories: [repository] });
 * new ecs.FargateTaskDefinition(this, 'Task', { executionRole });
 */
export class RegistryPullRole extends iam.Role {
  /** The customer managed policy that holds every permission of the role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: RegistryPullRoleProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(struct('RegistryPullRoleProps', () => ({
      repositories: required(arrayOf(REPOSITORY)),
      assumedBy: PRINCIPAL,
      logGroups: arrayOf(LOG_GROUP),
      pullThroughCache: BOOLEAN,
      roleName: STRING,
      path: STRING,
    }), '{ repositories: [repository] }'))]]);
    super(scope, id, {
      assumedBy: props.assumedBy ?? new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      roleName: props.roleName,
      path: props.path,
      description: 'Pulls images from named Amazon ECR repositories',
    });
    this.policy = new RegistryPullPolicy(this, 'Policy', {
      repositories: props.repositories,
      pullThroughCache: props.pullThroughCache,
      roles: [this],
    });
    const logGroups = props.logGroups ?? [];
    if (logGroups.length > 0) {
      this.policy.addStatements(new iam.PolicyStatement({
        sid: 'WriteTaskLogs',
        actions: LOGS_WRITE_ACTIONS,
        resources: logGroups.map((g) => g.logGroupArn),
      }));
    }
  }

  /**
   * Adds statements to the role's managed policy instead of an inline policy.
   */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return addToManagedPolicy(this.policy, statement) ?? super.addToPrincipalPolicy(statement);
  }
}

function statements(repositories: ecr.IRepository[], pullThroughCache: boolean): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'AuthenticateToEcr',
      actions: ECR_AUTH_ACTIONS,
      // ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource.
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'PullImages',
      actions: pullThroughCache ? ECR_PULL_THROUGH_CACHE_ACTIONS : ECR_PULL_ACTIONS,
      resources: repositories.map((r) => r.repositoryArn),
    }),
  ];
}
