import { App, Environment, CfnParameter, Stack, Token, Validations, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegistryPolicyScope } from '../../src/registry/account-settings';
import { PullThroughCache } from '../../src/registry/pull-through-cache';
import { SecureRegistry } from '../../src/registry/secure-registry';
import { UpstreamCredentials, UpstreamRegistry } from '../../src/registry/upstream-registry';
import { SecureRepository } from '../../src/repository/secure-repository';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { agnosticStack, stackIn } from '../helpers';

function stack(app?: App, env?: Environment): Stack {
  return stackIn(app, 'RegistryStack', env);
}

function placeholder(): UpstreamCredentials {
  return UpstreamCredentials.placeholder();
}

describe('PullThroughCache compliance', () => {
  test('Docker Hub with a placeholder secret, ECR Public and ECR-to-ECR pass the compliance harness', () => {
    // GIVEN
    const app = compliantApp();
    const s = stack(app);
    // WHEN
    new PullThroughCache(s, 'DockerHub', { upstream: UpstreamRegistry.dockerHub({ credentials: placeholder() }) });
    new PullThroughCache(s, 'EcrPublic', { upstream: UpstreamRegistry.ecrPublic() });
    const cache = new PullThroughCache(s, 'Ecr', {
      upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }),
    });
    const puller = new iam.Role(s, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    cache.grantPullThroughCache(puller);
    // The grantee's own policy is the caller's: acknowledged here as a caller would.
    Validations.of(puller).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken only accepts *' });
    Validations.of(puller).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:us-east-1:111111111111:repository/ecr/*]',
      reason: 'cache repositories are created on first pull, only their prefix is known',
    });
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(puller).acknowledge({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: 'test grantee: the grant goes where the caller keeps its policies' });
    }
    // A standalone rule has no creation template (SecureRegistry.addPullThroughCache adds one).
    Validations.of(s).acknowledge({
      id: 'EcrSupplyChain::EcrSupplyChain-ESC12',
      reason: 'standalone cache rules under test; SecureRegistry.addPullThroughCache adds the PULL_THROUGH_CACHE template',
    });
    // THEN
    const result = synthCompliant(app);
    expect(result.packs.every((p) => p.findings === 0)).toBe(true);
    expect(result.acknowledgments.map((a) => a.id)).toEqual(expect.arrayContaining([
      'AwsSolutions::AwsSolutions-SMG4',
      'HIPAA.Security::HIPAA.Security-SecretsManagerUsingKMSKey',
    ]));
  });
});

describe('UpstreamRegistry', () => {
  const secret = () => UpstreamCredentials.placeholder();
  test.each([
    ['dockerHub', () => UpstreamRegistry.dockerHub({ credentials: secret() }), 'docker-hub', 'registry-1.docker.io', true, 'docker-hub'],
    ['githubContainerRegistry', () => UpstreamRegistry.githubContainerRegistry({ credentials: secret() }), 'github-container-registry', 'ghcr.io', true, 'ghcr'],
    ['quay', () => UpstreamRegistry.quay(), 'quay', 'quay.io', false, 'quay'],
    ['ecrPublic', () => UpstreamRegistry.ecrPublic(), 'ecr-public', 'public.ecr.aws', false, 'ecr-public'],
    ['kubernetes', () => UpstreamRegistry.kubernetes(), 'k8s', 'registry.k8s.io', false, 'k8s'],
    ['azureContainerRegistry', () => UpstreamRegistry.azureContainerRegistry({ registryName: 'MyRegistry', credentials: secret() }),
      'azure-container-registry', 'myregistry.azurecr.io', true, 'azure'],
    ['gitLab', () => UpstreamRegistry.gitLab({ credentials: secret() }), 'gitlab-container-registry', 'registry.gitlab.com', true, 'gitlab'],
    ['chainguard', () => UpstreamRegistry.chainguard({ credentials: secret() }), 'chainguard', 'cgr.dev', true, 'chainguard'],
    ['ecr', () => UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }), 'ecr',
      '222222222222.dkr.ecr.eu-west-1.amazonaws.com', false, 'ecr'],
  ])('%s', (_name, make, upstreamRegistry, url, requiresCredentials, defaultPrefix) => {
    // GIVEN / WHEN
    const upstream = make();
    const s = stack();
    new PullThroughCache(s, 'Cache', { upstream });
    // THEN
    expect(upstream.upstreamRegistryType).toBe(upstreamRegistry);
    expect(upstream.url).toBe(url);
    expect(upstream.requiresCredentials).toBe(requiresCredentials);
    expect(upstream.defaultPrefix).toBe(defaultPrefix);
    Template.fromStack(s).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: defaultPrefix,
      UpstreamRegistry: upstreamRegistry,
      UpstreamRegistryUrl: url,
      CredentialArn: requiresCredentials ? Match.anyValue() : Match.absent(),
    });
  });

  test('fails with InvalidAzureRegistryName for a name that is not an ACR name', () => {
    expect(() => UpstreamRegistry.azureContainerRegistry({ registryName: 'my.registry', credentials: placeholder() }))
      .toThrow(/InvalidAzureRegistryName: registryName 'my.registry'/);
  });

  test('fails with InvalidAccountId and InvalidRegion for a bad ECR upstream, in one throw', () => {
    expect(() => UpstreamRegistry.ecr({ account: '1234', region: 'europe' }))
      .toThrow(/2 problems:\n {2}- InvalidAccountId: account '1234'.*\n {2}- InvalidRegion: region 'europe'/);
  });

  test('skips tokens in ECR upstream account and region', () => {
    const upstream = UpstreamRegistry.ecr({ account: Token.asString({ Ref: 'Account' }), region: Token.asString({ Ref: 'Region' }) });
    expect(upstream.requiresCredentials).toBe(false);
  });
});

describe('PullThroughCache defaults', () => {
  test('a placeholder secret is created with the ECR name prefix, the default key and a generated value', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const cache = new PullThroughCache(s, 'DockerHub', { upstream: UpstreamRegistry.dockerHub({ credentials: placeholder() }) });
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'ecr-pullthroughcache/docker-hub',
      KmsKeyId: Match.absent(),
      SecretString: Match.absent(),
      GenerateSecretString: { SecretStringTemplate: '{"username":"REPLACE_ME"}', GenerateStringKey: 'accessToken' },
    });
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'docker-hub',
      UpstreamRegistry: 'docker-hub',
      CredentialArn: { Ref: Match.stringLikeRegexp('DockerHubCredentials') },
      UpstreamRepositoryPrefix: Match.absent(),
    });
    expect(cache.ecrRepositoryPrefix).toBe('docker-hub');
    expect(cache.credentialSecret).toBeDefined();
  });

  test('a placeholder with a name and an existing secret are used as given', () => {
    const s = stack();
    const existing = secretsmanager.Secret.fromSecretNameV2(s, 'GhcrSecret', 'ecr-pullthroughcache/ghcr');
    new PullThroughCache(s, 'Ghcr', { upstream: UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.fromSecret(existing) }) });
    new PullThroughCache(s, 'Hub', {
      upstream: UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder('ecr-pullthroughcache/team/hub') }),
      ecrRepositoryPrefix: 'hub',
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SecretsManager::Secret', 1);
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'ecr-pullthroughcache/team/hub' });
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'ghcr',
      CredentialArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:ecr-pullthroughcache/ghcr')])] },
    });
  });

  test('ROOT prefix names a root placeholder and maps every repository', () => {
    const s = stack();
    const cache = new PullThroughCache(s, 'Quay', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'ROOT' });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::PullThroughCacheRule', { EcrRepositoryPrefix: 'ROOT' });
    expect(s.resolve(cache.repositoryArnPattern)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111111111111:repository/*']],
    });
  });

  test('upstreamRepositoryPrefix is rendered with a non-ROOT prefix', () => {
    const s = stack();
    new PullThroughCache(s, 'Ecr', {
      upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }),
      ecrRepositoryPrefix: 'my-app',
      upstreamRepositoryPrefix: 'upstream-app',
    });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'my-app',
      UpstreamRepositoryPrefix: 'upstream-app',
    });
  });
});

describe('ECR-to-ECR role', () => {
  test('is trusted by pullthroughcache.ecr.amazonaws.com with least privilege in a managed policy', () => {
    // GIVEN
    const s = stack();
    // WHEN
    new PullThroughCache(s, 'Ecr', {
      upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }),
      ecrRepositoryPrefix: 'dr',
      upstreamRepositoryPrefix: 'prod',
    });
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'pullthroughcache.ecr.amazonaws.com' } }],
      },
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('EcrRolePolicy') }],
      Policies: Match.absent(),
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            // The nine actions AWS documents for this role (GetAuthorizationToken below), on both sets of repositories.
            Sid: 'PullThroughCache',
            Action: [
              'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer',
              'ecr:GetImageCopyStatus', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
            ],
            Effect: 'Allow',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:222222222222:repository/prod/*']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111111111111:repository/dr/*']] },
            ],
          },
          { Sid: 'Authenticate', Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EcrRole'), 'Arn'] },
    });
  });

  test('a given role is used and no role is created', () => {
    const s = stack();
    const role = iam.Role.fromRoleArn(s, 'Given', 'arn:aws:iam::111111111111:role/ptc');
    const cache = new PullThroughCache(s, 'Ecr', { upstream: UpstreamRegistry.ecr({ account: '111111111111', region: 'us-west-2', role }) });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { CustomRoleArn: 'arn:aws:iam::111111111111:role/ptc' });
    expect(cache.role).toBe(role);
  });
});

describe('grantPullThroughCache', () => {
  test('grants import, create and pull on the cache prefix and the token on *', () => {
    // GIVEN
    const s = stack();
    const cache = new PullThroughCache(s, 'EcrPublic', { upstream: UpstreamRegistry.ecrPublic() });
    const role = new iam.Role(s, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    // WHEN
    cache.grantPullThroughCache(role);
    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111111111111:repository/ecr-public/*']] },
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });
});

describe('PullThroughCache replacement', () => {
  test('the rule keeps one logical id whatever its upstream, so a change is an explicit replacement of that id', () => {
    // GIVEN two versions of the same app
    const v1 = stack();
    new PullThroughCache(v1, 'Cache', { upstream: UpstreamRegistry.ecrPublic(), ecrRepositoryPrefix: 'mirror' });
    const v2 = stack();
    new PullThroughCache(v2, 'Cache', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'mirror2' });
    // THEN
    const ids1 = Object.keys(Template.fromStack(v1).findResources('AWS::ECR::PullThroughCacheRule'));
    const ids2 = Object.keys(Template.fromStack(v2).findResources('AWS::ECR::PullThroughCacheRule'));
    expect(ids1).toEqual(ids2);
  });

  test('credentials rotate through the secret value: the credential ARN does not depend on the value', () => {
    const s = stack();
    new PullThroughCache(s, 'Hub', { upstream: UpstreamRegistry.dockerHub({ credentials: placeholder() }) });
    const rule = Object.values(Template.fromStack(s).findResources('AWS::ECR::PullThroughCacheRule'))[0];
    expect(rule.Properties.CredentialArn).toEqual({ Ref: expect.stringMatching(/^HubCredentials/) });
  });
});

describe('PullThroughCache validation', () => {
  test.each([
    ['a', 'too short'],
    ['a-prefix-that-is-far-too-long-for-ecr', 'too long'],
    ['Docker_Hub', 'uppercase'],
    ['-hub', 'leading separator'],
  ])('fails with InvalidRepositoryPrefix for %s (%s)', (prefix) => {
    expect(() => new PullThroughCache(stack(), 'C', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: prefix }))
      .toThrow(new RegExp(`\\[RegistryStack/C\\] InvalidRepositoryPrefix: ecrRepositoryPrefix '${prefix}'`));
  });

  test('fails with InvalidRepositoryPrefix for a bad upstreamRepositoryPrefix', () => {
    expect(() => new PullThroughCache(stack(), 'C', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'q', upstreamRepositoryPrefix: 'UP' }))
      .toThrow(/upstreamRepositoryPrefix 'UP' is invalid/);
  });

  test('fails with UpstreamPrefixWithRoot when upstreamRepositoryPrefix comes with ROOT', () => {
    expect(() => new PullThroughCache(stack(), 'C', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'ROOT', upstreamRepositoryPrefix: 'team-a' }))
      .toThrow(/UpstreamPrefixWithRoot: upstreamRepositoryPrefix 'team-a' can only be set with a non-ROOT/);
  });

  test('fails with MissingRequiredProp when a credentialed upstream gets none (e.g. None from Python)', () => {
    expect(() => UpstreamRegistry.dockerHub({ credentials: undefined as any }))
      .toThrow(/^MissingRequiredProp: options.credentials is missing: it is required \(an UpstreamCredentials\); give e.g. UpstreamCredentials.placeholder\(\)$/);
  });

  test.each([
    ['an imported secret', (s: Stack) => UpstreamCredentials.fromSecret(secretsmanager.Secret.fromSecretNameV2(s, 'S', 'dockerhub'))],
    ['a complete ARN', (s: Stack) => UpstreamCredentials.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(s, 'S',
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:dockerhub-AbCdEf'))],
    ['a new secret', (s: Stack) => UpstreamCredentials.fromSecret(new secretsmanager.Secret(s, 'S', { secretName: 'dockerhub' }))],
    ['a placeholder', () => UpstreamCredentials.placeholder('dockerhub')],
  ])('fails with InvalidCredentialSecretName for %s without the prefix', (_name, make) => {
    const s = stack();
    expect(() => new PullThroughCache(s, 'C', { upstream: UpstreamRegistry.dockerHub({ credentials: make(s) }) }))
      .toThrow(/InvalidCredentialSecretName: secret name 'dockerhub(-AbCdEf)?' does not start with 'ecr-pullthroughcache\/'/);
  });

  test.each(['cn-north-1', 'us-gov-west-1'])('fails with PullThroughCacheUnsupportedRegion in %s', (region) => {
    expect(() => new PullThroughCache(stack(new App(), { account: '111111111111', region }), 'C', { upstream: UpstreamRegistry.quay() }))
      .toThrow(new RegExp(`PullThroughCacheUnsupportedRegion: Region '${region}' has no ECR pull through cache`));
  });

  test('fails with PullThroughCacheUnsupportedRegion for an ECR upstream in GovCloud', () => {
    expect(() => new PullThroughCache(stack(), 'C', { upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'us-gov-east-1' }) }))
      .toThrow(/PullThroughCacheUnsupportedRegion: upstream Region 'us-gov-east-1'/);
  });

  test('fails with EcrUpstreamIsSelf when the upstream is this registry', () => {
    expect(() => new PullThroughCache(stack(), 'C', { upstream: UpstreamRegistry.ecr({ account: '111111111111', region: 'us-east-1' }) }))
      .toThrow(/EcrUpstreamIsSelf: upstream ECR registry 111111111111\/us-east-1 is this registry/);
  });

  test('fails with EcrRoleInOtherAccount for a role outside the cache account', () => {
    const s = stack();
    const role = iam.Role.fromRoleArn(s, 'Other', 'arn:aws:iam::222222222222:role/ptc');
    expect(() => new PullThroughCache(s, 'C', { upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1', role }) }))
      .toThrow(/EcrRoleInOtherAccount: role arn:aws:iam::222222222222:role\/ptc is in account 222222222222, but ECR only assumes a role in the cache's account 111111111111/);
  });

  test('reports every problem at once', () => {
    expect(() => new PullThroughCache(stack(new App(), { account: '111111111111', region: 'cn-north-1' }), 'C', {
      upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'ROOT', upstreamRepositoryPrefix: 'X',
    })).toThrow(/3 problems:/);
  });

  test('skips tokens: prefixes, an env-agnostic stack and a secret known only by a token ARN', () => {
    const s = agnosticStack(new App());
    const param = (id: string) => new CfnParameter(s, id).valueAsString;
    const secret = secretsmanager.Secret.fromSecretCompleteArn(s, 'S', param('SecretArn'));
    expect(() => {
      new PullThroughCache(s, 'Hub', {
        upstream: UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.fromSecret(secret) }),
        ecrRepositoryPrefix: param('Prefix'),
        upstreamRepositoryPrefix: param('UpPrefix'),
      });
      new PullThroughCache(s, 'Ecr', { upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }) });
    }).not.toThrow();
    Template.fromStack(s).resourceCountIs('AWS::ECR::PullThroughCacheRule', 2);
  });
});

describe('the upstream side of a cross-account ECR-to-ECR cache', () => {
  const UPSTREAM_ACTIONS = ['ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetImageCopyStatus'];

  test('SecureRegistry.grantEcrToEcrCache: the registry policy admits the downstream account on the prefix', () => {
    // GIVEN the upstream registry in 111111111111
    const s = stackIn();
    const registry = new SecureRegistry(s, 'Registry');
    // WHEN
    registry.grantEcrToEcrCache('222222222222', { repositoryPrefix: 'prod' });
    // THEN
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [{
          Sid: 'PullThroughCache222222222222prod',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
          Action: UPSTREAM_ACTIONS,
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111111111111:repository/prod/*']] },
        }],
      },
    });
  });

  test('two prefixes for one account give two statements with distinct Sids', () => {
    const s = stackIn();
    const registry = new SecureRegistry(s, 'Registry');
    registry.grantEcrToEcrCache('222222222222', { repositoryPrefix: 'prod' });
    registry.grantEcrToEcrCache('222222222222', { repositoryPrefix: 'team-a/dev' });
    registry.grantEcrToEcrCache('222222222222');
    const policy = Object.values(Template.fromStack(s).findResources('AWS::ECR::RegistryPolicy'))[0] as any;
    expect(policy.Properties.PolicyText.Statement.map((st: any) => st.Sid))
      .toEqual(['PullThroughCache222222222222prod', 'PullThroughCache222222222222teamadev', 'PullThroughCache222222222222']);
  });

  test('every repository by default', () => {
    const s = stackIn();
    new SecureRegistry(s, 'Registry').grantEcrToEcrCache('222222222222');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [Match.objectLike({ Resource: { 'Fn::Join': ['', Match.arrayWith([':ecr:us-east-1:111111111111:repository/*'])] } })] },
    });
  });

  test('SecureRepository.grantEcrToEcrCache: the repository policy admits the downstream account', () => {
    const s = stackIn();
    const repo = new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' });
    repo.grantEcrToEcrCache('222222222222');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'PullThroughCache222222222222',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } },
          Action: UPSTREAM_ACTIONS,
        })]),
      },
    });
  });

  test.each([
    ['the same account', '111111111111', /PullThroughCacheSameAccount: downstreamAccount 111111111111 is this registry's account/],
    ['a malformed account', '2222', /downstreamAccount/],
  ])('%s is refused', (_what, account, error) => {
    const registry = new SecureRegistry(stackIn(), 'Registry');
    expect(() => registry.grantEcrToEcrCache(account)).toThrow(error);
  });

  test('a V1 registry policy scope refuses the upstream statement (V1 accepts three actions)', () => {
    const registry = new SecureRegistry(stackIn(), 'Registry', { registryPolicyScope: RegistryPolicyScope.V1 });
    expect(() => registry.grantEcrToEcrCache('222222222222'))
      .toThrow(/InvalidRegistryPolicyAction: .*'ecr:BatchGetImage', which the V1 registry policy scope rejects/s);
  });

  test('a token account is accepted', () => {
    const s = stackIn();
    const account = new CfnParameter(s, 'Downstream').valueAsString;
    new SecureRegistry(s, 'Registry').grantEcrToEcrCache(account);
    Template.fromStack(s).resourceCountIs('AWS::ECR::RegistryPolicy', 1);
  });
});
