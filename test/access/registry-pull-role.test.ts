import {
  App, Stack, Validations,
  aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_logs as logs,
} from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { decide, resolveIntrinsics, roleIds, rolePolicies } from './iam-proof';
import { RegistryPullPolicy, RegistryPullRole, RepositoryPullStatements } from '../../src/access';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { WORKLOAD_ENV } from '../helpers';

const REGISTRY_ACCOUNT = '111111111111';
const ORG = 'o-exampleorg1';
const EXEC_ROLE_ARN = 'arn:aws:iam::333333333333:role/orders-task-execution';
const repoArn = (name: string, account = REGISTRY_ACCOUNT) => `arn:aws:ecr:us-east-1:${account}:repository/${name}`;

function workloadStack(app = new App()) {
  const stack = new Stack(app, 'Workload', { env: WORKLOAD_ENV });
  const orders = ecr.Repository.fromRepositoryArn(stack, 'Orders', repoArn('prod/orders'));
  return { app, stack, orders };
}

/** Resolves a fragment as the registry stack (111111111111, us-east-1) renders it. */
const registryStack = new Stack(new App(), 'Registry', { env: { account: REGISTRY_ACCOUNT, region: 'us-east-1' } });
function rendered(value: any) {
  return resolveIntrinsics(registryStack.resolve(value), { account: REGISTRY_ACCOUNT, region: 'us-east-1' });
}

/** The repository policy the registry account writes for the workload (resource side of the proof). */
function repositoryPolicy(...statements: iam.PolicyStatement[]) {
  return rendered(new iam.PolicyDocument({ statements }).toJSON());
}

describe('RegistryPullRole', () => {
  test('is an ECS task execution role by default, with its permissions in a managed policy', () => {
    // GIVEN
    const { stack, orders } = workloadStack();

    // WHEN
    new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } }],
      },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'AuthenticateToEcr', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Sid: 'PullImages',
            Effect: 'Allow',
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: repoArn('prod/orders'),
          },
        ],
      },
    });
  });

  test('no kms permission: ECR decrypts with its own grant on the repository key', () => {
    const { stack, orders } = workloadStack();
    new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders] });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('kms:');
  });

  test('log groups and pull-through cache add exactly their permissions', () => {
    const { stack, orders } = workloadStack();
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Logs', 'orders');
    new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders], logGroups: [logGroup], pullThroughCache: true });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          // The first pull of an uncached image imports it and creates its cache repository.
          Match.objectLike({
            Sid: 'PullImages',
            Action: Match.arrayWith(['ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository']),
          }),
          Match.objectLike({ Sid: 'WriteTaskLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
        ]),
      },
    });
  });

  test('an ECS Fargate task definition uses it as execution role; ECS grants land in the managed policy', () => {
    const { stack, orders } = workloadStack();
    const executionRole = new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders] });
    const task = new ecs.FargateTaskDefinition(stack, 'Task', { executionRole });
    task.addContainer('app', {
      image: ecs.ContainerImage.fromEcrRepository(orders, 'v1'),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders', logGroup: new logs.LogGroup(stack, 'Logs') }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExecutionRole'), 'Arn'] },
    });
    // ECS' own grants (image pull, log writes) were routed into the managed policy:
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })]) },
    });
  });

  test('RegistryPullPolicy attaches to an existing role (EKS nodes)', () => {
    const { stack, orders } = workloadStack();
    const nodeRole = new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new RegistryPullPolicy(stack, 'NodePull', { repositories: [orders], roles: [nodeRole] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^NodeRole') }],
    });
  });

  test('fails without repositories', () => {
    const { stack } = workloadStack();
    expect(() => new RegistryPullRole(stack, 'ExecutionRole', { repositories: [] }))
      .toThrow(/^\[Workload\/ExecutionRole\/Policy\] NoPullRepository: repositories is empty/);
  });

  describe('IAM proof (same and cross account)', () => {
    const { stack, orders } = workloadStack();
    new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders], roleName: 'orders-task-execution' });
    const identity = rolePolicies(stack, roleIds(stack, 'ExecutionRole')[0]).managedPolicies;

    // The registry account's grant: account root narrowed by aws:PrincipalArn.
    const crossAccount = repositoryPolicy(RepositoryPullStatements.pullForAccounts({
      accounts: ['333333333333'],
      principalArnPatterns: [EXEC_ROLE_ARN],
    }));

    const ask = (action: string, resource: string, opts: { principal?: string; policy?: any; orgId?: string } = {}) => decide({
      principal: opts.principal ?? EXEC_ROLE_ARN,
      identityPolicies: opts.principal && opts.principal !== EXEC_ROLE_ARN ? [] : identity,
      action,
      resource,
      resourceAccount: /:(\d{12}):/.exec(resource)?.[1] ?? '333333333333',
      resourcePolicy: opts.policy,
      principalOrgId: opts.orgId,
    });

    test.each([
      ['ecr:GetAuthorizationToken', '*', 'Allowed'],
      ['ecr:BatchGetImage', repoArn('prod/orders'), 'Allowed'],
      ['ecr:GetDownloadUrlForLayer', repoArn('prod/orders'), 'Allowed'],
      ['ecr:BatchCheckLayerAvailability', repoArn('prod/orders'), 'Allowed'],
      ['ecr:PutImage', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:InitiateLayerUpload', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:BatchDeleteImage', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:DeleteRepository', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:SetRepositoryPolicy', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:BatchGetImage', repoArn('prod/payments'), 'ImplicitlyDenied'],
      ['ecr:BatchGetImage', repoArn('prod/orders-v2'), 'ImplicitlyDenied'],
    ])('cross-account with the repository grant: %s on %s -> %s', async (action, resource, expected) => {
      await expect(ask(action, resource, { policy: resource === '*' ? undefined : crossAccount })).resolves.toBe(expected);
    });

    test('cross-account without the repository grant: identity policy alone is not enough', async () => {
      await expect(ask('ecr:BatchGetImage', repoArn('prod/orders'))).resolves.toBe('ImplicitlyDenied');
    });

    test('the repository grant alone is not enough: another role of the workload account is denied', async () => {
      await expect(ask('ecr:BatchGetImage', repoArn('prod/orders'), {
        principal: 'arn:aws:iam::333333333333:role/some-other-role', policy: crossAccount,
      })).resolves.toBe('ImplicitlyDenied');
    });

    test('a role with the right name in another account is denied', async () => {
      await expect(ask('ecr:BatchGetImage', repoArn('prod/orders'), {
        principal: 'arn:aws:iam::444444444444:role/orders-task-execution', policy: crossAccount,
      })).resolves.toBe('ImplicitlyDenied');
    });

    test('organization pull: a member account role is allowed, an account outside the organization is denied', async () => {
      const orgPolicy = repositoryPolicy(RepositoryPullStatements.pullForOrganization({ organizationId: ORG }));
      await expect(ask('ecr:BatchGetImage', repoArn('prod/orders'), { policy: orgPolicy, orgId: ORG })).resolves.toBe('Allowed');
      // An outsider with a permissive identity policy of its own:
      const outsider = 'arn:aws:iam::999999999999:role/attacker';
      const outsiderIdentity = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] }];
      for (const orgId of [undefined, 'o-otherorg123']) {
        await expect(decide({
          principal: outsider,
          identityPolicies: outsiderIdentity,
          action: 'ecr:BatchGetImage',
          resource: repoArn('prod/orders'),
          resourceAccount: REGISTRY_ACCOUNT,
          resourcePolicy: orgPolicy,
          principalOrgId: orgId,
        })).resolves.toBe('ImplicitlyDenied');
      }
    });
  });

  test('passes every compliance pack (with an ECS Fargate task definition)', () => {
    const app = compliantApp();
    const { stack, orders } = workloadStack(app);
    const logGroup = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    const executionRole = new RegistryPullRole(stack, 'ExecutionRole', { repositories: [orders], logGroups: [logGroup] });
    Validations.of(executionRole.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
    });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(logGroup).acknowledge({
        id: `${pack}::${pack}-CloudWatchLogGroupEncrypted`,
        reason: 'test fixture: the log group encryption is the application stack\'s choice, not part of the pull role',
      });
    }
    Validations.of(logGroup).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: 'test fixture: the log group encryption is the application stack\'s choice, not part of the pull role',
    });
    // synthCompliant throws on any finding of any pack (its result lists packs only when they report).
    const result = synthCompliant(app);
    expect(result.acknowledgments.map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
  });
});

describe('RepositoryPullStatements', () => {
  test('pullForAccounts: account roots with an aws:PrincipalArn condition, no role ARN as principal', () => {
    const statement = RepositoryPullStatements.pullForAccounts({
      accounts: ['333333333333'], principalArnPatterns: ['arn:aws:iam::333333333333:role/ecr-pull/*'],
    });
    expect(rendered(statement.toStatementJson())).toEqual({
      Sid: 'CrossAccountPull',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::333333333333:root' },
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/ecr-pull/*'] } },
    });
  });

  test('pullForOrganization: Principal * with aws:PrincipalOrgID', () => {
    expect(rendered(RepositoryPullStatements.pullForOrganization({ organizationId: ORG }).toStatementJson())).toEqual({
      Sid: 'OrganizationPull',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
  });

  test('pullForLambda: service statement with source conditions plus the account statement for another account', () => {
    const statements = RepositoryPullStatements.pullForLambda({
      registryAccount: REGISTRY_ACCOUNT, region: 'us-east-1', functionAccounts: [REGISTRY_ACCOUNT, '333333333333'],
    });
    expect(statements.map((s) => rendered(s.toStatementJson()))).toEqual([
      {
        Sid: 'LambdaECRImageRetrievalPolicy',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Condition: {
          StringLike: {
            'aws:SourceArn': [
              'arn:aws:lambda:us-east-1:111111111111:function:*',
              'arn:aws:lambda:us-east-1:333333333333:function:*',
            ],
          },
          StringEquals: { 'aws:SourceAccount': [REGISTRY_ACCOUNT, '333333333333'] },
        },
      },
      {
        Sid: 'CrossAccountPermission',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::333333333333:root' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      },
    ]);
  });

  test('pullForLambda, same account only: no account statement', () => {
    const statements = RepositoryPullStatements.pullForLambda({
      registryAccount: REGISTRY_ACCOUNT, region: 'us-east-1', functionAccounts: [REGISTRY_ACCOUNT],
    });
    expect(statements).toHaveLength(1);
  });

  test('IAM proof: Lambda pulls for functions of the named account only', async () => {
    const policy = repositoryPolicy(...RepositoryPullStatements.pullForLambda({
      registryAccount: REGISTRY_ACCOUNT, region: 'us-east-1', functionAccounts: ['333333333333'],
    }));
    const ask = (sourceAccount: string, action = 'ecr:BatchGetImage') => decide({
      principal: 'lambda.amazonaws.com',
      action,
      resource: repoArn('prod/orders'),
      resourceAccount: REGISTRY_ACCOUNT,
      resourcePolicy: policy,
      context: {
        'aws:SourceArn': `arn:aws:lambda:us-east-1:${sourceAccount}:function:orders`,
        'aws:SourceAccount': sourceAccount,
      },
    });
    await expect(ask('333333333333')).resolves.toBe('Allowed');
    await expect(ask('333333333333', 'ecr:GetDownloadUrlForLayer')).resolves.toBe('Allowed');
    await expect(ask('333333333333', 'ecr:PutImage')).resolves.toBe('ImplicitlyDenied');
    await expect(ask('444444444444')).resolves.toBe('ImplicitlyDenied');
  });

  test.each([
    [() => RepositoryPullStatements.pullForAccounts({ accounts: [] }), /NoPullAccount/],
    [() => RepositoryPullStatements.pullForAccounts({ accounts: ['33333333333x'] }), /InvalidAccountId: accounts '33333333333x'/],
    [() => RepositoryPullStatements.pullForAccounts({ accounts: ['333333333333'], principalArnPatterns: ['orders-role'] }),
      /InvalidPrincipalArnPattern: principalArnPatterns entry 'orders-role'/],
    [() => RepositoryPullStatements.pullForAccounts({
      accounts: ['333333333333'], principalArnPatterns: ['arn:aws:iam::444444444444:role/x'],
    }), /PrincipalArnOutsideAccounts: .*'arn:aws:iam::444444444444:role\/x' is in account 444444444444/],
    [() => RepositoryPullStatements.pullForOrganization({ organizationId: 'org-1' }), /InvalidOrganizationId: organizationId 'org-1'/],
    [() => RepositoryPullStatements.pullForLambda({ registryAccount: REGISTRY_ACCOUNT, region: 'useast1', functionAccounts: [] }),
      /2 problems:[\s\S]*InvalidRegion[\s\S]*NoPullAccount/],
  ])('fails: %#', (fn, error) => {
    expect(fn).toThrow(error);
  });
});
