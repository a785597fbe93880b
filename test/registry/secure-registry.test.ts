import { App, Duration, Stack, Token, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LifecyclePolicy, LifecycleRule, RegistryBaseline } from '../../src';
import {
  CreationTemplateAppliedFor, RegistryPolicy, ReplicationDestination, ScanType, SecureRegistry, UpstreamCredentials, UpstreamRegistry,
} from '../../src/registry';
import { ENV, stackIn as stack } from '../helpers';

describe('ownership: one SecureRegistry per account and Region', () => {
  test('a second registry for the same environment fails naming both paths', () => {
    // GIVEN
    const app = new App();
    new SecureRegistry(stack(app, 'A'), 'Registry');
    // WHEN / THEN
    expect(() => new SecureRegistry(stack(app, 'B'), 'Registry'))
      .toThrow(/\[B\/Registry\] DuplicateRegistry: A\/Registry already owns the registry of 111111111111\/us-east-1/);
  });

  test('registries of other Regions and accounts, or other apps, are fine', () => {
    const app = new App();
    new SecureRegistry(stack(app, 'A'), 'Registry');
    new SecureRegistry(stack(app, 'B', { account: '111111111111', region: 'us-west-2' }), 'Registry');
    new SecureRegistry(stack(app, 'C', { account: '222222222222', region: 'us-east-1' }), 'Registry');
    expect(() => new SecureRegistry(stack(new App(), 'A'), 'Registry')).not.toThrow();
  });

  test('an environment-agnostic stack is an error that says to pass env', () => {
    const s = new Stack(new App(), 'Agnostic');
    expect(() => new SecureRegistry(s, 'Registry')).toThrow(/\[Agnostic\/Registry\] EnvironmentRequired: .*needs an explicit env/);
  });

  test('a standalone ReplicationDestination in the registry\'s environment is a duplicate', () => {
    const app = new App();
    new SecureRegistry(stack(app, 'A'), 'Registry');
    expect(() => new ReplicationDestination(stack(app, 'B'), 'Dest', { sourceAccount: '222222222222' }))
      .toThrow(/DuplicateRegistry: A\/Registry already owns/);
  });
});

describe('scanning', () => {
  test('default: ENHANCED scan on push for every repository', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    t.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('ENHANCED with continuous and on-push rules', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry', { scanType: ScanType.ENHANCED, scanContinuousFilters: ['prod/*'] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [
        { ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] },
        { ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD' }] },
      ],
    });
  });

  test('continuous filters need ENHANCED', () => {
    expect(() => new SecureRegistry(stack(), 'Registry', { scanType: ScanType.BASIC, scanContinuousFilters: ['prod/*'] }))
      .toThrow(/ContinuousScanNeedsEnhanced: scanContinuousFilters \[prod\/\*\] need scanType ENHANCED/);
  });

  test.each([
    ['Prod/*'], ['prod//x'], ['-prod'], ['prod/'], [''],
  ])('invalid scanning filter %p fails', (filter) => {
    expect(() => new SecureRegistry(stack(), 'Registry', { scanOnPushFilters: [filter] }))
      .toThrow(new RegExp(`InvalidScanFilter: scanOnPushFilters entry '${filter.replace(/[*/]/g, '\\$&')}' is not a valid scanning filter`));
  });

  test('more than 100 filters fails', () => {
    const filters = Array.from({ length: 101 }, (_, i) => `team${i}/*`);
    expect(() => new SecureRegistry(stack(), 'Registry', { scanOnPushFilters: filters }))
      .toThrow(/TooManyScanFilters: scanOnPushFilters has 101 filters/);
  });

  test('tokens are skipped', () => {
    const s = stack();
    const filter = Token.asString({ Ref: 'Filter' });
    expect(() => new SecureRegistry(s, 'Registry', { scanOnPushFilters: [filter] })).not.toThrow();
  });

  test('a filter without a wildcard warns that it is a substring match', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod'] });
    Annotations.fromStack(s).hasWarning('/RegistryStack/Registry', Match.stringLikeRegexp("scanning filter 'prod' has no '\\*'"));
  });

  test('creation template prefixes are added to the scan-on-push rule when no filter covers them', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod/*'] });
    registry.addCreationTemplate({ prefix: 'prod/team', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{
        ScanFrequency: 'SCAN_ON_PUSH',
        RepositoryFilters: [
          { Filter: 'prod/*', FilterType: 'WILDCARD' },
          { Filter: 'sandbox/*', FilterType: 'WILDCARD' },
        ],
      }],
    });
  });

  test('a ROOT template adds * even when on-push scanning was turned off', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: [] });
    registry.addCreationTemplate({ prefix: 'ROOT', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('a declared repository no filter covers gets a warning', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod/*'] });
    registry.addRepository('Dev', { repositoryName: 'dev/orders' });
    Annotations.fromStack(s).hasWarning('/RegistryStack/Registry/Dev', Match.stringLikeRegexp("repository 'dev/orders' matches no registry scanning filter"));
  });
});

describe('repositories', () => {
  test('addRepository uses the registry baseline and the stack key', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { baseline: new RegistryBaseline({ tags: { team: 'platform' } }) });
    const repo = registry.addRepository('Orders', { repositoryName: 'prod/orders' });
    expect(registry.node.tryFindChild('Orders')).toBe(repo);
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'prod/orders',
      ImageTagMutability: 'IMMUTABLE',
      Tags: [{ Key: 'team', Value: 'platform' }],
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecureRegistryKey'), 'Arn'] } },
    });
  });

  test('the registry key rotates and is retained', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry');
    Template.fromStack(s).hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  test('a registry with nothing to replicate, sign or grant has only the scanning configuration', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry');
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 0);
    t.resourceCountIs('AWS::ECR::SigningConfiguration', 0);
    t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 0);
    t.resourceCountIs('AWS::CloudFormation::CustomResource', 0);
    t.resourceCountIs('Custom::AWS', 0);
  });
});

describe('pull-through cache', () => {
  test('adds the rule and a PULL_THROUGH_CACHE template with MUTABLE tags and the baseline otherwise', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod/*'] });
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ECR::PullThroughCacheRule', { EcrRepositoryPrefix: 'ecr-public', UpstreamRegistryUrl: 'public.ecr.aws' });
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'ecr-public',
      AppliedFor: ['PULL_THROUGH_CACHE'],
      ImageTagMutability: 'MUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('SecureRegistryKey'), 'Arn'] } },
      // The secure default plus an untagged rule: refreshed tags leave untagged images behind.
      LifecyclePolicy: new LifecyclePolicy({
        rules: [LifecycleRule.keepNewest({ count: 100 }), LifecycleRule.expireUntagged(Duration.days(7))],
      }).render(),
      CustomRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CreationTemplate.*Role'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      Rules: [{ ScanFrequency: 'SCAN_ON_PUSH', RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD' }, { Filter: 'ecr-public/*', FilterType: 'WILDCARD' }] }],
    });
  });

  test('every cache rule and its template carry the same prefix string, as AWS documents the pair', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry');
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    registry.addPullThroughCache(UpstreamRegistry.quay(), { ecrRepositoryPrefix: 'mirrors/quay' });
    const t = Template.fromStack(s);
    const rules = Object.values(t.findResources('AWS::ECR::PullThroughCacheRule')).map((r) => r.Properties.EcrRepositoryPrefix);
    const templates = Object.values(t.findResources('AWS::ECR::RepositoryCreationTemplate'))
      .filter((r) => r.Properties.AppliedFor.includes('PULL_THROUGH_CACHE')).map((r) => r.Properties.Prefix);
    expect(rules.sort()).toEqual(['ecr-public', 'mirrors/quay']);
    expect(templates.sort()).toEqual(rules);
  });

  describe('upgrading a registry deployed with templates rendered as prefix/', () => {
    const synth = (context: Record<string, unknown>) => {
      const s = new Stack(new App({ context }), 'RegistryStack', { env: ENV });
      const registry = new SecureRegistry(s, 'Registry');
      registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
      registry.addCreationTemplate({ prefix: 'sandbox/', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
      return Template.fromStack(s).findResources('AWS::ECR::RepositoryCreationTemplate');
    };

    test('the templates keep their logical ids: the change replaces each template under its id, no new resource is added', () => {
      const before = synth({ 'cdk-secure-registry:templatePrefixTrailingSlash': true });
      const after = synth({});
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      for (const [id, r] of Object.entries(after)) {
        expect(before[id].Properties.Prefix).toBe(`${r.Properties.Prefix}/`);
        expect({ ...before[id].Properties, Prefix: undefined }).toEqual({ ...r.Properties, Prefix: undefined });
      }
      expect(Object.values(after).map((r) => r.Properties.Prefix).sort()).toEqual(['ecr-public', 'sandbox']);
    });

    test.each([true, 'true'])('the context key (%p, as cdk.json or -c gives it) keeps the earlier rendering', (value) => {
      expect(Object.values(synth({ 'cdk-secure-registry:templatePrefixTrailingSlash': value }))
        .map((r) => r.Properties.Prefix).sort()).toEqual(['ecr-public/', 'sandbox/']);
    });
  });

  test('a baseline lifecycle policy is kept for cache templates', () => {
    const s = stack();
    const policy = LifecyclePolicy.releaseRetention();
    const registry = new SecureRegistry(s, 'Registry', { baseline: new RegistryBaseline({ lifecyclePolicy: policy }) });
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      AppliedFor: ['PULL_THROUGH_CACHE'], LifecyclePolicy: policy.render(),
    });
  });

  test('the cache template drops exclusion filters the baseline has', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { baseline: new RegistryBaseline({ imageTagMutabilityExclusionFilters: ['latest'] }) });
    registry.addPullThroughCache(UpstreamRegistry.quay());
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'quay', ImageTagMutability: 'MUTABLE', ImageTagMutabilityExclusionFilters: Match.absent(),
    });
  });

  test('a duplicate prefix fails', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    registry.addPullThroughCache(UpstreamRegistry.quay());
    expect(() => registry.addPullThroughCache(UpstreamRegistry.kubernetes(), { ecrRepositoryPrefix: 'quay' }))
      .toThrow(/DuplicatePullThroughCachePrefix: ecrRepositoryPrefix 'quay' is already used by RegistryStack\/Registry\/PullThroughCache-quay/);
  });

  test('five upstreams make five rules and five templates in one registry', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry');
    registry.addPullThroughCache(UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder() }));
    registry.addPullThroughCache(UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.placeholder() }));
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    registry.addPullThroughCache(UpstreamRegistry.quay());
    registry.addPullThroughCache(UpstreamRegistry.kubernetes());
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::PullThroughCacheRule', 5);
    t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 5);
    t.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    t.resourceCountIs('AWS::IAM::Role', 5); // one role per template, each scoped to its prefix
  });
});

describe('registry policy', () => {
  test('statements from several sources merge into one RegistryPolicy', () => {
    // GIVEN
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry');
    // WHEN
    registry.addToRegistryPolicy(new iam.PolicyStatement({
      sid: 'PullFromWorkloads',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      principals: [new iam.AccountPrincipal('333333333333')],
      resources: ['arn:aws:ecr:us-east-1:111111111111:repository/prod/*'],
    }));
    new ReplicationDestination(s, 'FromDr', { sourceAccount: '222222222222', registry });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    t.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [
          Match.objectLike({ Sid: 'PullFromWorkloads' }),
          Match.objectLike({ Sid: 'ReplicationFrom222222222222', Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'] }),
        ],
      },
    });
  });

  test.each([
    ['s3:GetObject', 'InvalidRegistryPolicyAction'],
  ])('action %p fails with %p', (action, code) => {
    const registry = new SecureRegistry(stack(), 'Registry');
    expect(() => registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: [action], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'],
    }))).toThrow(new RegExp(`\\[RegistryStack/Registry/RegistryPolicy\\] ${code}: statement 1 has action '${action}'`));
  });

  test('service principals fail', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    expect(() => registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'], principals: [new iam.ServicePrincipal('lambda.amazonaws.com')], resources: ['*'],
    }))).toThrow(/InvalidRegistryPolicyPrincipal: statement 1 names Service principals/);
  });

  test('a statement without a principal fails', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    expect(() => registry.addToRegistryPolicy(new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], resources: ['*'] })))
      .toThrow(/InvalidRegistryPolicyPrincipal: statement 1 has no principal/);
  });

  test('any principal without a condition fails', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    expect(() => registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'], principals: [new iam.AnyPrincipal()], resources: ['*'],
    }))).toThrow(/InvalidRegistryPolicyPrincipal: statement 1 allows every principal/);
  });

  test('a repository of another registry fails', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    expect(() => registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'],
      principals: [new iam.AccountPrincipal('333333333333')],
      resources: ['arn:aws:ecr:eu-west-1:111111111111:repository/prod/*'],
    }))).toThrow(/InvalidRegistryPolicyResource: statement 1 has resource 'arn:aws:ecr:eu-west-1:111111111111:repository\/prod\/\*'/);
  });
});

describe('RegistryPolicy', () => {
  test('the V1 scope accepts only the three V1 actions', () => {
    const s = stack();
    const policy = new RegistryPolicy(s, 'Policy', { v1Scope: true });
    expect(() => policy.addStatements(new iam.PolicyStatement({
      sid: 'Pull', actions: ['ecr:BatchGetImage'], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'],
    }))).toThrow(/\[RegistryStack\/Policy\] InvalidRegistryPolicyAction: statement 'Pull' has action 'ecr:BatchGetImage', which the V1 registry policy scope rejects/);
    expect(() => policy.addStatements(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage', 'ecr:CreateRepository'], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'],
    }))).not.toThrow();
  });

  test('NotAction fails', () => {
    const policy = new RegistryPolicy(stack(), 'Policy');
    expect(() => policy.addStatements(new iam.PolicyStatement({
      notActions: ['ecr:DeleteRepository'], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'],
    }))).toThrow(/InvalidRegistryPolicyStatement: statement 1 uses NotAction or NotPrincipal/);
  });

  test('a policy over 10,240 characters fails at synth', () => {
    const s = stack();
    const policy = new RegistryPolicy(s, 'Policy');
    for (let i = 0; i < 60; i++) {
      policy.addStatements(new iam.PolicyStatement({
        sid: `Statement${i}`,
        actions: ['ecr:ReplicateImage', 'ecr:CreateRepository'],
        principals: [new iam.AccountPrincipal(`3333333333${String(i).padStart(2, '0')}`)],
        resources: [`arn:aws:ecr:us-east-1:111111111111:repository/team${i}/*`],
      }));
    }
    expect(() => Template.fromStack(s)).toThrow(/RegistryPolicyTooLarge: the registry policy is \d+ characters; ECR accepts at most 10,240/);
  });
});

describe('pull-time update exclusions', () => {
  test('one resource per role', () => {
    const s = stack();
    const scanner = iam.Role.fromRoleArn(s, 'Scanner', 'arn:aws:iam::111111111111:role/scanner');
    new SecureRegistry(s, 'Registry', { pullTimeUpdateExclusions: [scanner] });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::PullTimeUpdateExclusion', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/scanner',
    });
  });

  test('the same role twice fails', () => {
    const s = stack();
    const scanner = iam.Role.fromRoleArn(s, 'Scanner', 'arn:aws:iam::111111111111:role/scanner');
    const registry = new SecureRegistry(s, 'Registry', { pullTimeUpdateExclusions: [scanner] });
    expect(() => registry.addPullTimeUpdateExclusion(scanner)).toThrow(/DuplicatePullTimeUpdateExclusion/);
  });
});

describe('account settings', () => {
  const lambdaBacked = (s: Stack) => Object.values(Template.fromStack(s).toJSON().Resources as Record<string, { Type: string }>)
    .map((r) => r.Type)
    .filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource');

  test('no custom resource unless a setting is given', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry');
    expect(s.node.tryFindChild('Registry')!.node.tryFindChild('AccountSettings')).toBeUndefined();
  });

  test('every other feature is plain CloudFormation: no Lambda-backed custom resource', () => {
    const s = stack();
    const ci = new iam.Role(s, 'Ci', { assumedBy: new iam.AccountPrincipal('111111111111'), roleName: 'ci' });
    const registry = new SecureRegistry(s, 'Registry', {
      scanType: ScanType.ENHANCED,
      scanContinuousFilters: ['prod/*'],
      signingRules: [{ repositoryFilters: ['prod/*'] }],
      pullTimeUpdateExclusions: [iam.Role.fromRoleArn(s, 'Scanner', 'arn:aws:iam::111111111111:role/scanner')],
    });
    registry.addRepository('Orders', { repositoryName: 'prod/orders' }).grantPullPush(ci);
    registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    registry.addPullThroughCache(UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.placeholder() }));
    registry.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
    registry.replicateTo({ region: 'eu-west-1', account: '222222222222', repositoryPrefixes: ['prod/'] });
    registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'],
      principals: [new iam.AccountPrincipal('333333333333')],
      resources: ['arn:aws:ecr:us-east-1:111111111111:repository/*'],
    }));
    registry.addFindingAlerts();
    expect(lambdaBacked(s)).toEqual([]);
  });

  test('an account setting is the one opt-in that adds a Lambda-backed custom resource', () => {
    const s = stack();
    new SecureRegistry(s, 'Registry', { blobMounting: true });
    expect(lambdaBacked(s)).toEqual(expect.arrayContaining(['AWS::Lambda::Function']));
    expect(lambdaBacked(s).filter((t) => t.startsWith('Custom::')).length).toBeGreaterThan(0);
  });

  test('blobMounting creates the account settings construct', () => {
    const s = stack();
    const registry = new SecureRegistry(s, 'Registry', { blobMounting: true });
    expect(registry.node.tryFindChild('AccountSettings')).toBeDefined();
  });
});

describe('finding alerts', () => {
  test('created once', () => {
    const registry = new SecureRegistry(stack(), 'Registry');
    registry.addFindingAlerts();
    expect(() => registry.addFindingAlerts()).toThrow(/DuplicateFindingAlerts/);
  });
});

describe('a baseline with an imported key', () => {
  test('an alias cannot be a template key', () => {
    const s = stack();
    const alias = kms.Key.fromKeyArn(s, 'Alias', 'arn:aws:kms:us-east-1:111111111111:alias/ecr');
    const registry = new SecureRegistry(s, 'Registry', { baseline: new RegistryBaseline({ encryptionKey: alias }) });
    expect(() => registry.addCreationTemplate({ prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] }))
      .toThrow(/TemplateKeyNotArn: the baseline's encryptionKey resolves to 'arn:aws:kms:us-east-1:111111111111:alias\/ecr'/);
  });
});
