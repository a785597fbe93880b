/**
 * Snippets of docs/access.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is synthesized by the same test.
 */
import { Stack, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import { GitHubActionsPushRole, RegistryPullPolicy, RegistryPullRole, RepositoryPullStatements, SecureRepository } from '../../src';

/** CI on GitHub Actions pushes to one repository. */
export function githubPushRole(stack: Stack): void {
  const orders = new SecureRepository(stack, 'Orders', { repositoryName: 'prod/orders' });
  // #region github-push-role
  new GitHubActionsPushRole(stack, 'OrdersPush', {
    githubRepository: 'example-org/orders',
    branches: ['main'], // default ['main']
    environments: ['production'], // optional: sub = repo:example-org/orders:environment:production
    repositories: [orders], // and/or repositoryPrefixes: ['team-a/']
  });
  // #endregion
}

/** An ECS task execution role that pulls one repository and writes one log group. */
export function pullRole(stack: Stack): void {
  const orders = new SecureRepository(stack, 'Orders', { repositoryName: 'prod/orders' });
  const logGroup = new logs.LogGroup(stack, 'Logs');
  // #region pull-role
  const executionRole = new RegistryPullRole(stack, 'OrdersExecutionRole', {
    repositories: [orders],
    logGroups: [logGroup], // logs:CreateLogStream, logs:PutLogEvents on this group
    roleName: 'orders-task-execution', // lets the registry account grant it before it exists
  });
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { executionRole });
  task.addContainer('orders', {
    image: ecs.ContainerImage.fromEcrRepository(orders, 'v1'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders', logGroup }),
  });
  // #endregion
}

/** The same permissions as a managed policy on a role you already have (an EKS node role). */
export function pullPolicy(stack: Stack): void {
  const nodeRole = new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const orders = new SecureRepository(stack, 'Orders', { repositoryName: 'prod/orders' });
  // #region pull-policy
  new RegistryPullPolicy(stack, 'NodePull', { repositories: [orders], roles: [nodeRole] });
  // #endregion
}

/** Repository-policy statements for pulls from other accounts, the organization and Lambda. */
export function pullStatements(stack: Stack): void {
  const repository = new ecr.Repository(stack, 'Repository');
  // #region pull-statements
  // Account root + aws:PrincipalArn (the workload role's fixed name or path)
  repository.addToResourcePolicy(RepositoryPullStatements.pullForAccounts({
    accounts: ['333333333333'],
    principalArnPatterns: ['arn:aws:iam::333333333333:role/orders-task-execution'],
  }));

  // The whole organization (Principal * + aws:PrincipalOrgID; acknowledge AwsSolutions-ECR1,
  // which does not read conditions)
  repository.addToResourcePolicy(RepositoryPullStatements.pullForOrganization({ organizationId: 'o-exampleorg1' }));

  // Lambda functions packaged as images, same or other accounts: lambda.amazonaws.com with
  // aws:SourceArn/aws:SourceAccount, plus the account-root statement AWS requires cross-account
  for (const s of RepositoryPullStatements.pullForLambda({
    registryAccount: '111111111111', region: 'us-east-1', functionAccounts: ['333333333333'],
  })) {
    repository.addToResourcePolicy(s);
  }
  // #endregion
}

/** Every snippet of the page, by function name. */
export const SNIPPETS: Record<string, (stack: Stack) => void> = { githubPushRole, pullRole, pullPolicy, pullStatements };
