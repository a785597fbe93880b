import { App, PhysicalName, RemovalPolicy, Stack, Token, aws_ecr as ecr, aws_ecs as ecs, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LifecyclePolicy, RegistryBaseline, SecureRegistry, SecureRepository } from '../../src';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { ENV, stackIn as stack, WORKLOAD_ENV } from '../helpers';

describe('SecureRepository defaults', () => {
  test('encrypts with a customer managed key that rotates', () => {
    const s = stack();
    new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'prod/orders',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecureRegistryKey'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('repositories of one stack share one key', () => {
    const s = stack();
    new SecureRepository(s, 'A', { repositoryName: 'prod/a' });
    new SecureRepository(s, 'B', { repositoryName: 'prod/b' });
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 1);
    Template.fromStack(s).resourceCountIs('AWS::ECR::Repository', 2);
  });

  test('tags are IMMUTABLE by default', () => {
    const s = stack();
    new SecureRepository(s, 'Repo');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageTagMutabilityExclusionFilters: Match.absent(),
    });
  });

  test('scans on push by default', () => {
    const s = stack();
    new SecureRepository(s, 'Repo');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });

  test('carries the default lifecycle policy', () => {
    const s = stack();
    new SecureRepository(s, 'Repo');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      LifecyclePolicy: { LifecyclePolicyText: LifecyclePolicy.secureDefault().render() },
    });
  });

  test('removal policy is "Retain" by default and the repository is never emptied', () => {
    const s = stack();
    new SecureRepository(s, 'Repo');
    Template.fromStack(s).hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { EmptyOnDelete: Match.absent() },
    });
  });

  test('has no repository policy until something is granted', () => {
    const s = stack();
    new SecureRepository(s, 'Repo');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
  });

  test('passes every compliance pack', () => {
    const app = compliantApp();
    const s = stack(app);
    const repo = new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' });
    repo.grantPullToAccounts(['333333333333']);
    expect(() => synthCompliant(app)).not.toThrow();
  });
});

describe('SecureRepository overrides', () => {
  test('uses a given key', () => {
    const s = stack();
    const key = new kms.Key(s, 'MyKey', { enableKeyRotation: true });
    new SecureRepository(s, 'Repo', { encryptionKey: key });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyKey'), 'Arn'] } },
    });
  });

  test('AES256 uses no key and warns', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo', { encryption: ecr.RepositoryEncryption.AES_256 });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'AES256', KmsKey: Match.absent() } });
    expect(repo.encryptionKey).toBeUndefined();
    Annotations.fromStack(s).hasWarning('/RegistryStack/Repo', Match.stringLikeRegexp('AES256'));
  });

  test('exclusion filters turn IMMUTABLE into IMMUTABLE_WITH_EXCLUSION', () => {
    const s = stack();
    new SecureRepository(s, 'Repo', { imageTagMutabilityExclusionFilters: ['latest', 'dev-*'] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'latest' },
        { ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' },
      ],
    });
  });

  test('MUTABLE tags are allowed with a warning', () => {
    const s = stack();
    new SecureRepository(s, 'Repo', { imageTagMutability: ecr.TagMutability.MUTABLE });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'MUTABLE' });
    Annotations.fromStack(s).hasWarning('/RegistryStack/Repo', Match.stringLikeRegexp('MUTABLE'));
  });

  test('scan on push can be turned off', () => {
    const s = stack();
    new SecureRepository(s, 'Repo', { scanOnPush: false });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: false } });
  });

  test('DESTROY with emptyOnDelete is explicit opt-in, with a warning', () => {
    const s = stack();
    new SecureRepository(s, 'Repo', { removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
    Template.fromStack(s).hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Delete',
      Properties: { EmptyOnDelete: true },
    });
    Annotations.fromStack(s).hasWarning('/RegistryStack/Repo', Match.stringLikeRegexp('deletes every image'));
  });

  test('a baseline applies and repository props override it', () => {
    const s = stack();
    const baseline = new RegistryBaseline({ tags: { team: 'platform' }, scanOnPush: false });
    new SecureRepository(s, 'Repo', { baseline, scanOnPush: true, tags: { app: 'orders' } });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      Tags: [{ Key: 'app', Value: 'orders' }, { Key: 'team', Value: 'platform' }],
    });
  });

  test('a custom lifecycle policy is rendered', () => {
    const s = stack();
    const policy = LifecyclePolicy.fromJson(JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } }],
    }));
    new SecureRepository(s, 'Repo', { lifecyclePolicy: policy });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      LifecyclePolicy: { LifecyclePolicyText: policy.render() },
    });
  });
});

describe('SecureRepository validation', () => {
  test.each([
    ['Prod/Orders', /InvalidRepositoryName: repositoryName 'Prod\/Orders' is not a valid ECR repository name.*\(e\.g\. 'prod\/orders'\)/],
    ['a', /InvalidRepositoryName: repositoryName 'a' is 1 characters long; ECR accepts 2-256/],
    ['prod//orders', /InvalidRepositoryName/],
    ['-orders', /InvalidRepositoryName/],
    ['orders-', /InvalidRepositoryName/],
    ['x'.repeat(257), /InvalidRepositoryName: .* 257 characters/],
  ])('fails on repository name %s', (name, error) => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { repositoryName: name })).toThrow(error);
  });

  test('error names the construct path', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { repositoryName: 'BAD' })).toThrow(/^\[RegistryStack\/Repo\] InvalidRepositoryName/);
  });

  test.each(['prod/orders', 'a.b_c__d-e---f/g1', 'ab'])('accepts repository name %s', (name) => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { repositoryName: name })).not.toThrow();
  });

  test('skips unresolved names', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { repositoryName: Token.asString({ Ref: 'NameParam' }) })).not.toThrow();
  });

  test('fails on a key with AES256', () => {
    const s = stack();
    const key = new kms.Key(s, 'K');
    expect(() => new SecureRepository(s, 'Repo', { encryption: ecr.RepositoryEncryption.AES_256, encryptionKey: key }))
      .toThrow(/KeyWithAes256: encryptionKey is set but encryption is AES256.*set encryption to RepositoryEncryption.KMS/);
  });

  test('fails on KMS_DSSE outside GovCloud', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { encryption: ecr.RepositoryEncryption.KMS_DSSE }))
      .toThrow(/KmsDsseUnavailable: .*not us-east-1/);
  });

  test('fails on a key in another Region', () => {
    const s = stack();
    const key = kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new SecureRepository(s, 'Repo', { encryptionKey: key })).toThrow(/KeyInOtherRegion: encryptionKey is in eu-west-1/);
  });

  test('fails on exclusion filters with MUTABLE', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { imageTagMutability: ecr.TagMutability.MUTABLE, imageTagMutabilityExclusionFilters: ['latest'] }))
      .toThrow(/ExclusionFiltersWithMutable: .*\[latest\].*MUTABLE_WITH_EXCLUSION/);
  });

  test('fails on *_WITH_EXCLUSION without filters', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION }))
      .toThrow(/MissingExclusionFilters/);
  });

  test('fails on bad and too many exclusion filters, reporting every problem at once', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e', 'f b'] }))
      .toThrow(/2 problems:\n {2}- TooManyExclusionFilters: .* 6 entries.*\n {2}- InvalidExclusionFilter: .*'f b'/);
  });

  test('fails on emptyOnDelete without DESTROY', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { emptyOnDelete: true }))
      .toThrow(/EmptyOnDeleteWithoutDestroy: emptyOnDelete is true but removalPolicy is RETAIN \(the default\)/);
  });

  test('fails on bad tags', () => {
    const s = stack();
    expect(() => new SecureRepository(s, 'Repo', { tags: { 'aws:owner': 'x', 'ok': '' } })).toThrow(/InvalidTag: tag key 'aws:owner'/);
  });

  test('fails on an empty organization id', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    expect(() => repo.grantPullToOrganization('')).toThrow(/InvalidOrganizationId: organizationId '' is not an AWS Organizations id/);
  });

  test('fails on malformed account ids', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    expect(() => repo.grantPullToAccounts(['12345'])).toThrow(/InvalidAccountId: accounts\[0\] '12345' is not an AWS account id/);
    expect(() => repo.grantPullToAccounts([])).toThrow(/NoAccounts/);
    expect(() => repo.grantPullToAccounts(['333333333333'], { principalArnPatterns: ['arn:aws:iam::444444444444:role/x'] }))
      .toThrow(/InvalidPrincipalArnPattern: .*names account 444444444444/);
  });

  test('fails at synth when the repository policy is too large', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    for (let i = 0; i < 200; i++) {
      repo.grantPullToAccounts([String(100000000000 + i)]);
    }
    expect(() => Template.fromStack(s)).toThrow(/RepositoryPolicyTooLarge/);
  });
});

describe('SecureRepository grants', () => {
  test('grantPull: pull actions on the repository, GetAuthorizationToken on *, no KMS', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    repo.grantPull(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Repo'), 'Arn'] },
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });

  test('grantPush: push actions only on the repository', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    repo.grantPush(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
            Resource: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          },
          { Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        ],
      },
    });
  });

  test('grantPullPush: union of both, once each', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    repo.grantPullPush(role);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'],
        })]),
      },
    });
  });

  test('grantPullToOrganization: any principal with aws:PrincipalOrgID', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    repo.grantPullToOrganization('o-exampleorg1');
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [{
          Sid: 'PullFromOrganization',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
        }],
      },
    });
  });

  test('grantPullToAccounts: account roots, optionally limited by principal ARN', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo');
    repo.grantPullToAccounts(['333333333333'], { principalArnPatterns: ['arn:aws:iam::333333333333:role/orders-*'] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [{
          Sid: 'PullFromAccounts',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] } },
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::333333333333:role/orders-*' } },
        }],
      },
    });
  });

  test('cross-account grantPull: account principal with an aws:PrincipalArn condition, never the role itself', () => {
    const app = new App();
    const registry = stack(app);
    const workload = new Stack(app, 'WorkloadStack', { env: WORKLOAD_ENV });
    const repo = new SecureRepository(registry, 'Repo', { repositoryName: 'prod/orders' });
    const role = new iam.Role(workload, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      roleName: PhysicalName.GENERATE_IF_NEEDED,
    });
    repo.grantPull(role);

    const policy = Template.fromStack(registry).findResources('AWS::ECR::Repository');
    const statement = Object.values(policy)[0].Properties.RepositoryPolicyText.Statement[0];
    expect(statement.Principal).toEqual({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:root']] } });
    expect(JSON.stringify(statement.Condition.ArnLike['aws:PrincipalArn'])).toMatch(/:iam::333333333333:role\//);
    Template.fromStack(workload).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' })]) },
    });
  });

  test('works where ecr.Repository does', () => {
    const s = stack();
    const repo = new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' });
    const image = ecs.ContainerImage.fromEcrRepository(repo, 'v1.2.3');
    expect(image).toBeDefined();
    expect(JSON.stringify(s.resolve(repo.repositoryUriForDigest('sha256:abc')))).toMatch(/"@sha256:abc"\]/);
  });

  test('cross-account grant to an unnamed role falls back to a tag match, with a warning', () => {
    const app = new App();
    const registry = stack(app);
    const workload = new Stack(app, 'WorkloadStack', { env: WORKLOAD_ENV });
    const repo = new SecureRepository(registry, 'Repo', { repositoryName: 'prod/orders' });
    const role = new iam.Role(workload, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    repo.grantPull(role);

    Template.fromStack(registry).hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:PrincipalTag/aws-cdk:id': Match.anyValue() } } })] },
    });
    Annotations.fromStack(registry).hasWarning('/RegistryStack/Repo', Match.stringLikeRegexp('has no name'));
  });
});

describe('SecureRepository compliance', () => {
  test('an organization grant acknowledges AwsSolutions-ECR1 with the reason, and passes every pack', () => {
    const app = compliantApp();
    const s = stack(app);
    new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders' }).grantPullToOrganization('o-exampleorg1');
    const result = synthCompliant(app);
    expect(result.acknowledgments).toEqual([{
      id: 'AwsSolutions::AwsSolutions-ECR1',
      path: 'RegistryStack/Repo',
      reason: expect.stringMatching(/aws:PrincipalOrgID = o-exampleorg1/),
    }]);
  });
});

describe('CloudFormation limits', () => {
  test('past 500 resources the synth fails (aws-cdk-lib\'s own check)', () => {
    const s = stack();
    for (let i = 0; i < 500; i++) {
      new SecureRepository(s, `Repo${i}`, { repositoryName: `team/app-${i}` });
    }
    // 500 repositories + the shared key = 501 resources
    expect(() => Template.fromStack(s)).toThrow(/501 is greater than allowed maximum of 500/);
  });

  test('warns from 450 resources on, saying what to do', () => {
    const s = stack();
    for (let i = 0; i < 450; i++) {
      new SecureRepository(s, `Repo${i}`, { repositoryName: `team/app-${i}` });
    }
    Annotations.fromStack(s).hasWarning('/RegistryStack', Match.stringLikeRegexp('has 451 of CloudFormation\'s 500 resources: split the repositories across stacks, or let ECR create them on push'));
  });

  test('450 repositories fit in one stack: one resource per repository plus the shared key', () => {
    const s = stack();
    for (let i = 0; i < 450; i++) {
      new SecureRepository(s, `Repo${i}`, { repositoryName: `team/app-${i}` });
    }
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::Repository', 450);
    expect(Object.keys(t.toJSON().Resources)).toHaveLength(451);
  });
});

describe('registry link', () => {
  test('a repository of another environment than its registry fails', () => {
    const app = new App();
    const registry = new SecureRegistry(new Stack(app, 'Registry', { env: ENV }), 'Registry');
    const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'us-west-2' } });
    expect(() => new SecureRepository(other, 'Repo', { repositoryName: 'prod/orders', registry }))
      .toThrow(/\[Other\/Repo\] RegistryInOtherEnvironment: [^]*registry Registry\/Registry is the registry of 111111111111\/us-east-1, but this repository is in 111111111111\/us-west-2/);
  });

  test('starts from the registry baseline unless a baseline is given', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { baseline: new RegistryBaseline({ tags: { team: 'platform' } }) });
    const repo = new SecureRepository(s, 'Repo', { repositoryName: 'prod/orders', registry });
    expect(repo.baseline.props.tags).toEqual({ team: 'platform' });
    const own = new SecureRepository(s, 'Own', { repositoryName: 'prod/own', registry, baseline: new RegistryBaseline() });
    expect(own.baseline.props.tags).toBeUndefined();
  });

  test('a repository the registry does not scan gets a warning', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod/*'] });
    new SecureRepository(s, 'Dev', { repositoryName: 'dev/orders', registry });
    new SecureRepository(s, 'Prod', { repositoryName: 'prod/orders', registry });
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('matches no registry scanning filter'));
    expect(warnings.map((w) => w.id)).toEqual(['/RegistryStack/Dev']);
  });
});

describe('importers', () => {
  const ARN = 'arn:aws:ecr:us-east-1:222222222222:repository/prod/orders';

  test('fromRepositoryArn grants with the library rules: push actions with BatchGetImage, no KMS', () => {
    const s = stack();
    const repo = SecureRepository.fromRepositoryArn(s, 'Imported', ARN);
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'pusher' });
    repo.grantPush(role);
    expect(repo.repositoryName).toBe('prod/orders');
    expect(repo.env.account).toBe('222222222222');
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: [
              'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload',
              'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
            ],
            Effect: 'Allow',
            Resource: ARN,
          },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
    expect(JSON.stringify(Template.fromStack(s).toJSON())).not.toContain('kms:');
  });

  test('fromRepositoryName builds the ARN in the scope environment', () => {
    const s = stack();
    const repo = SecureRepository.fromRepositoryName(s, 'Imported', 'prod/orders');
    expect(s.resolve(repo.repositoryArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:111111111111:repository/prod/orders']],
    });
  });

  test.each([
    [() => SecureRepository.fromRepositoryName(stack(), 'Bad', 'Prod/Orders'), /\[RegistryStack\/Bad\] InvalidRepositoryName: repositoryName 'Prod\/Orders'/],
    [() => SecureRepository.fromRepositoryArn(stack(), 'Bad', 'arn:aws:s3:::bucket'), /InvalidRepositoryArn: repositoryArn 'arn:aws:s3:::bucket' is not an ECR repository ARN/],
    [() => SecureRepository.fromRepositoryArn(stack(), 'Bad', Token.asString({ Ref: 'Arn' })), /UnresolvedRepositoryArn: .*use SecureRepository.fromRepositoryName/],
  ])('importer refuses bad input (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('a token name is accepted', () => {
    expect(() => SecureRepository.fromRepositoryName(stack(), 'Imported', Token.asString({ Ref: 'Name' }))).not.toThrow();
  });
});

describe('resource-policy grants return an iam.Grant', () => {
  test('grantPullToOrganization and grantPullToAccounts', () => {
    const repo = new SecureRepository(stack(), 'Repo', { repositoryName: 'prod/orders' });
    const org = repo.grantPullToOrganization('o-exampleorg1');
    const accounts = repo.grantPullToAccounts(['333333333333']);
    expect(org.success).toBe(true);
    expect(org.resourceStatement?.sid).toBe('PullFromOrganization');
    expect(accounts.resourceStatement?.sid).toBe('PullFromAccounts');
  });
});
