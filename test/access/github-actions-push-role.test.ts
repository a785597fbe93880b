import { App, Duration, Stack, Token, Validations, aws_ecr as ecr, aws_iam as iam, aws_signer as signer } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { decide, decideWebIdentity, roleIds, rolePolicies } from './iam-proof';
import { GitHubActionsPushRole } from '../../src/access';
import { SecureRepository } from '../../src/repository';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { ENV } from '../helpers';

const PROVIDER_ARN = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/orders-push';
const repoArn = (name: string, account = '111111111111') => `arn:aws:ecr:us-east-1:${account}:repository/${name}`;

function pushStack(props: Partial<ConstructorParameters<typeof GitHubActionsPushRole>[2]> = {}, app = new App()) {
  const stack = new Stack(app, 'Registry', { env: ENV });
  const orders = SecureRepository.fromRepositoryArn(stack, 'Orders', repoArn('prod/orders'));
  const role = new GitHubActionsPushRole(stack, 'PushRole', {
    githubRepository: 'example-org/orders',
    repositories: [orders],
    roleName: 'orders-push',
    ...props,
  });
  return { app, stack, role, orders };
}

function policiesOf(stack: Stack) {
  const [id] = roleIds(stack, 'PushRole');
  return rolePolicies(stack, id, { 'GitHubActionsOidcProvider': PROVIDER_ARN, 'GitHubActionsOidcProvider.Arn': PROVIDER_ARN });
}

describe('GitHubActionsPushRole', () => {
  test('creates a native OIDC provider (no Lambda) and trusts one repository and branch', () => {
    // GIVEN / WHEN
    const { stack } = pushStack();

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:example-org/orders:ref:refs/heads/main',
            },
          },
        }],
      },
    });
  });

  test('permissions are in a managed policy, never inline, with exact statements', () => {
    const { stack } = pushStack();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Effect: 'Allow',
            Action: [
              'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload',
              'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
            ],
            Resource: repoArn('prod/orders'),
          },
        ],
      },
    });
  });

  test('grants made later land in the managed policy, not in an inline policy', () => {
    const { stack, role } = pushStack();
    const other = ecr.Repository.fromRepositoryArn(stack, 'Other', repoArn('dev/orders'));
    other.grantPull(role);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: repoArn('dev/orders') })]) },
    });
  });

  test('imports an existing provider instead of creating one', () => {
    const app = new App();
    const stack = new Stack(app, 'Registry', { env: ENV });
    const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Existing', PROVIDER_ARN);
    new GitHubActionsPushRole(stack, 'PushRole', {
      githubRepository: 'example-org/orders',
      repositoryPrefixes: ['team-a'],
      oidcProvider: provider,
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('existingOidcProvider imports the account provider by its well-known ARN', () => {
    const stack = new Stack(new App(), 'Registry', { env: ENV });
    const provider = GitHubActionsPushRole.existingOidcProvider(stack);
    new GitHubActionsPushRole(stack, 'PushRole', {
      githubRepository: 'example-org/orders', repositoryPrefixes: ['team-a'], oidcProvider: provider,
    });
    expect(GitHubActionsPushRole.existingOidcProvider(stack)).toBe(provider);
    expect(stack.resolve(provider.openIdConnectProviderArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:oidc-provider/token.actions.githubusercontent.com']],
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('a second stack of the same account that would create the provider fails, naming the fix', () => {
    const app = new App();
    pushStack({}, app);
    const other = new Stack(app, 'Other', { env: ENV });
    expect(() => new GitHubActionsPushRole(other, 'PushRole', { githubRepository: 'example-org/payments', repositoryPrefixes: ['payments/'] }))
      .toThrow(/\[Other\/PushRole\] DuplicateOidcProvider: stack Registry already creates the GitHub Actions OIDC provider of account 111111111111.*existingOidcProvider/);
    const otherAccount = new Stack(app, 'OtherAccount', { env: { account: '222222222222', region: 'us-east-1' } });
    expect(() => new GitHubActionsPushRole(otherAccount, 'PushRole', { githubRepository: 'example-org/payments', repositoryPrefixes: ['payments/'] }))
      .not.toThrow();
  });

  test('two push roles in a stack share one provider', () => {
    const { stack } = pushStack();
    new GitHubActionsPushRole(stack, 'Other', { githubRepository: 'example-org/payments', repositoryPrefixes: ['payments/'] });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  test('environments and branches become exact sub claims', () => {
    const { role } = pushStack({ branches: ['main', 'release'], environments: ['production'] });
    expect(role.subjects).toEqual([
      'repo:example-org/orders:ref:refs/heads/main',
      'repo:example-org/orders:ref:refs/heads/release',
      'repo:example-org/orders:environment:production',
    ]);
  });

  test('environments alone do not add the default branch', () => {
    const { role } = pushStack({ environments: ['production'] });
    expect(role.subjects).toEqual(['repo:example-org/orders:environment:production']);
  });

  test('createOnPush adds ecr:CreateRepository on the prefixes only; signing adds signer:SignPayload', () => {
    const app = new App();
    const profile = signer.SigningProfile.fromSigningProfileAttributes(new Stack(app, 'Signing', { env: ENV }), 'Profile', {
      signingProfileName: 'prod_signing',
      signingProfileVersion: 'abcdef1234',
    });
    const { stack } = pushStack({
      repositoryPrefixes: ['team-a'],
      createOnPush: true,
      signingProfiles: [profile],
    }, app);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'CreateOnPush', Effect: 'Allow', Action: 'ecr:CreateRepository', Resource: repoArn('team-a/*') },
          {
            Sid: 'ManagedSigning',
            Effect: 'Allow',
            Action: 'signer:SignPayload',
            Resource: stack.resolve(profile.signingProfileArn),
          },
        ]),
      },
    });
  });

  test('no CreateRepository and no signer permission unless asked', () => {
    const { stack } = pushStack();
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toContain('ecr:CreateRepository');
    expect(json).not.toContain('signer:');
    expect(json).not.toContain('kms:');
  });

  test.each([
    [{ githubRepository: 'example-org/*' }, /InvalidGitHubRepository: githubRepository 'example-org\/\*'/],
    [{ githubRepository: 'orders' }, /InvalidGitHubRepository: githubRepository 'orders'/],
    [{ branches: ['release/*'] }, /WildcardSubject: branches entry 'release\/\*'/],
    [{ environments: ['prod?'] }, /WildcardSubject: environments entry 'prod\?'/],
    [{ branches: [], environments: [] }, /NoGitHubSubject/],
    [{ repositories: [] }, /NoPushTarget/],
    [{ createOnPush: true }, /CreateOnPushNeedsPrefix/],
    [{ repositoryPrefixes: ['Team_A/'] }, /InvalidRepositoryName: repositoryPrefixes 'Team_A'/],
    [{ signingProfiles: [{ signingProfileArn: 'arn:aws:signer:us-east-1:111111111111:signing-profile/x' }] }, /InvalidSigningProfileArn/],
    [{ maxSessionDuration: Duration.minutes(30) }, /InvalidMaxSessionDuration: maxSessionDuration is 1800 seconds/],
    [{ maxSessionDuration: Duration.hours(13) }, /InvalidMaxSessionDuration/],
    [{ registryAccount: '1234' }, /InvalidAccountId: registryAccount '1234'/],
  ])('fails on %p', (props, error) => {
    expect(() => pushStack(props as any)).toThrow(error);
  });

  test('errors name the construct path and every problem at once', () => {
    expect(() => pushStack({ githubRepository: '*', repositories: [] })).toThrow(
      /^\[Registry\/PushRole\] InvalidGitHubRepository: 2 problems:\n.*InvalidGitHubRepository[\s\S]*NoPushTarget/);
  });

  test('skips validation of unresolved tokens', () => {
    expect(() => pushStack({
      githubRepository: Token.asString({ Ref: 'GitHubRepo' }),
      branches: [Token.asString({ Ref: 'Branch' })],
    })).not.toThrow();
  });

  describe('IAM proof', () => {
    const { stack } = pushStack({ environments: ['production'], branches: ['main'] });
    const p = policiesOf(stack);
    const identity = p.managedPolicies;

    test.each([
      ['repo:example-org/orders:ref:refs/heads/main', 'sts.amazonaws.com', 'Allowed'],
      ['repo:example-org/orders:environment:production', 'sts.amazonaws.com', 'Allowed'],
      ['repo:example-org/orders:ref:refs/heads/feature', 'sts.amazonaws.com', 'ImplicitlyDenied'],
      ['repo:example-org/orders:pull_request', 'sts.amazonaws.com', 'ImplicitlyDenied'],
      ['repo:example-org/orders-fork:ref:refs/heads/main', 'sts.amazonaws.com', 'ImplicitlyDenied'],
      ['repo:evil-org/orders:ref:refs/heads/main', 'sts.amazonaws.com', 'ImplicitlyDenied'],
      ['repo:example-org/orders:ref:refs/heads/main', 'https://github.com/example-org', 'ImplicitlyDenied'],
    ])('trust: sub %s aud %s -> %s', (sub, aud, expected) => {
      expect(decideWebIdentity(p.trustPolicy, PROVIDER_ARN, ROLE_ARN, {
        'token.actions.githubusercontent.com:sub': sub,
        'token.actions.githubusercontent.com:aud': aud,
      })).toBe(expected);
    });

    test('trust: another OIDC provider cannot assume the role', () => {
      expect(decideWebIdentity(p.trustPolicy, 'arn:aws:iam::111111111111:oidc-provider/gitlab.com', ROLE_ARN, {
        'token.actions.githubusercontent.com:sub': 'repo:example-org/orders:ref:refs/heads/main',
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      })).toBe('ImplicitlyDenied');
    });

    test.each([
      ['ecr:GetAuthorizationToken', '*', 'Allowed'],
      ['ecr:PutImage', repoArn('prod/orders'), 'Allowed'],
      ['ecr:InitiateLayerUpload', repoArn('prod/orders'), 'Allowed'],
      ['ecr:UploadLayerPart', repoArn('prod/orders'), 'Allowed'],
      ['ecr:CompleteLayerUpload', repoArn('prod/orders'), 'Allowed'],
      ['ecr:PutImage', repoArn('prod/payments'), 'ImplicitlyDenied'],
      ['ecr:PutImage', repoArn('prod/orders-v2'), 'ImplicitlyDenied'],
      ['ecr:SetRepositoryPolicy', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:DeleteRepositoryPolicy', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:BatchDeleteImage', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:DeleteRepository', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:PutLifecyclePolicy', repoArn('prod/orders'), 'ImplicitlyDenied'],
      ['ecr:CreateRepository', repoArn('prod/new'), 'ImplicitlyDenied'],
    ])('push role: %s on %s -> %s', async (action, resource, expected) => {
      await expect(decide({
        principal: ROLE_ARN, identityPolicies: identity, action, resource, resourceAccount: '111111111111',
      })).resolves.toBe(expected);
    });

    test('prefix push: allowed under the prefix, denied next to it', async () => {
      const { stack: s } = pushStack({ repositories: [], repositoryPrefixes: ['team-a'], createOnPush: true });
      const pol = policiesOf(s).managedPolicies;
      const ask = (action: string, resource: string) => decide({
        principal: ROLE_ARN, identityPolicies: pol, action, resource, resourceAccount: '111111111111',
      });
      await expect(ask('ecr:PutImage', repoArn('team-a/api'))).resolves.toBe('Allowed');
      await expect(ask('ecr:CreateRepository', repoArn('team-a/new'))).resolves.toBe('Allowed');
      await expect(ask('ecr:PutImage', repoArn('team-ab/api'))).resolves.toBe('ImplicitlyDenied');
      await expect(ask('ecr:CreateRepository', repoArn('team-b/new'))).resolves.toBe('ImplicitlyDenied');
      await expect(ask('ecr:PutImage', repoArn('team-a/api', '999999999999'))).resolves.toBe('ImplicitlyDenied');
    });
  });

  test('passes every compliance pack', () => {
    const app = compliantApp();
    const { role } = pushStack({}, app);
    Validations.of(role.policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
    });
    // synthCompliant throws on any finding of any pack (its result lists packs only when they report).
    const result = synthCompliant(app);
    expect(result.acknowledgments.map((a) => a.id)).toContain('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
  });

  test('the packs do inspect the role: without the acknowledgment, AwsSolutions-IAM5 is reported', () => {
    const app = compliantApp();
    pushStack({}, app);
    expect(() => synthCompliant(app)).toThrow(/AwsSolutions-IAM5\[Resource::\*\] .*Registry\/PushRole\/Policy/);
  });
});
