import { App, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RegistryBaseline } from '../../src';
import { CreationTemplateAppliedFor, ReplicationDestination, ReplicationFailureAlerts, SecureRegistry } from '../../src/registry';
import { compliantApp, synthCompliant } from '../compliance/harness';
import { DR_ENV, ENV, REPLICA_ENV } from '../helpers';

function registry(app = new App()): SecureRegistry {
  return new SecureRegistry(new Stack(app, 'RegistryStack', { env: ENV }), 'Registry');
}

describe('replicateTo', () => {
  test('calls with other prefixes make one ReplicationConfiguration with two rules', () => {
    // GIVEN
    const r = registry();
    // WHEN
    r.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
    r.replicateTo({ region: 'eu-west-1', account: '222222222222', repositoryPrefixes: ['release/'] });
    // THEN
    const t = Template.fromStack(Stack.of(r));
    t.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    t.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          { Destinations: [{ Region: 'us-west-2', RegistryId: '111111111111' }], RepositoryFilters: [{ Filter: 'prod/', FilterType: 'PREFIX_MATCH' }] },
          { Destinations: [{ Region: 'eu-west-1', RegistryId: '222222222222' }], RepositoryFilters: [{ Filter: 'release/', FilterType: 'PREFIX_MATCH' }] },
        ],
      },
    });
  });

  test('calls with the same prefixes share one rule with two destinations', () => {
    const r = registry();
    r.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
    r.replicateTo({ region: 'eu-west-1', account: '222222222222', repositoryPrefixes: ['prod/'] });
    Template.fromStack(Stack.of(r)).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{
          Destinations: [{ Region: 'us-west-2', RegistryId: '111111111111' }, { Region: 'eu-west-1', RegistryId: '222222222222' }],
          RepositoryFilters: [{ Filter: 'prod/', FilterType: 'PREFIX_MATCH' }],
        }],
      },
    });
  });

  test('without prefixes every repository replicates (no filters)', () => {
    const r = registry();
    r.replicateTo({ region: 'us-west-2' });
    Template.fromStack(Stack.of(r)).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [{ Destinations: [{ Region: 'us-west-2', RegistryId: '111111111111' }], RepositoryFilters: Match.absent() }] },
    });
  });

  test('the source needs no creation template for replication', () => {
    const r = registry();
    r.replicateTo({ region: 'us-west-2' });
    Template.fromStack(Stack.of(r)).resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 0);
  });

  test.each([
    [{ region: 'us-east-1' }, /ReplicationToSelf: replicateTo 111111111111\/us-east-1 is this registry's own account and Region/],
    [{ region: 'mars-1' }, /InvalidRegion: region 'mars-1' is not an AWS Region name/],
    [{ region: 'us-west-2', account: '1234' }, /InvalidAccountId: account '1234' is not an AWS account id/],
    [{ region: 'us-west-2', repositoryPrefixes: ['Prod/'] }, /InvalidReplicationPrefix: repositoryPrefixes entry 'Prod\/' is not a valid repository prefix/],
    [{ region: 'us-west-2', repositoryPrefixes: ['prod/*'] }, /InvalidReplicationPrefix: repositoryPrefixes entry 'prod\/\*'/],
    [{ region: 'us-west-2', repositoryPrefixes: [] }, /InvalidReplicationPrefix: repositoryPrefixes is empty/],
  ])('bad input %p fails', (options, message) => {
    expect(() => registry().replicateTo(options)).toThrow(message);
  });

  test('more than 100 prefixes fails', () => {
    const prefixes = Array.from({ length: 101 }, (_, i) => `team${i}/`);
    expect(() => registry().replicateTo({ region: 'us-west-2', repositoryPrefixes: prefixes }))
      .toThrow(/TooManyReplicationFilters: repositoryPrefixes has 101 prefixes/);
  });

  test('an eleventh rule fails', () => {
    const r = registry();
    for (let i = 0; i < 10; i++) {
      r.replicateTo({ region: 'us-west-2', repositoryPrefixes: [`team${i}/`] });
    }
    expect(() => r.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['team10/'] }))
      .toThrow(/TooManyReplicationRules: this would be replication rule 11; ECR accepts at most 10/);
  });

  test('a 26th unique destination fails', () => {
    const r = registry();
    for (let i = 0; i < 25; i++) {
      r.replicateTo({ region: 'us-west-2', account: `2222222222${String(i).padStart(2, '0')}` });
    }
    expect(() => r.replicateTo({ region: 'eu-west-1', account: '333333333333' }))
      .toThrow(/TooManyReplicationDestinations: this would be unique replication destination 26; ECR accepts at most 25/);
  });

  test('the same destination and prefixes twice fails', () => {
    const r = registry();
    r.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
    expect(() => r.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] }))
      .toThrow(/DuplicateReplicationRule: replication to 111111111111\/us-west-2 with the same prefixes already exists/);
  });

  test('tokens are skipped', () => {
    const r = registry();
    expect(() => r.replicateTo({ region: Token.asString({ Ref: 'Region' }), account: Token.asString({ Ref: 'Account' }) })).not.toThrow();
  });
});

describe('ReplicationDestination', () => {
  test('another account: a REPLICATION template and a registry policy scoped to the prefixes', () => {
    // GIVEN
    const s = new Stack(new App(), 'DrRegistryStack', { env: DR_ENV });
    // WHEN
    new ReplicationDestination(s, 'FromRegistry', { sourceAccount: '111111111111', sourceRegion: 'us-east-1', repositoryPrefixes: ['prod/'] });
    // THEN
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
      Prefix: 'prod',
      AppliedFor: ['REPLICATION'],
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      CustomRoleArn: Match.anyValue(),
    });
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    t.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [{
          Sid: 'ReplicationFrom111111111111',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
          Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:222222222222:repository/prod/*']] },
        }],
      },
    });
    // scanning covers the replicated prefix (default * already does)
    t.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
  });

  test('the same account in another Region: a template and no registry policy', () => {
    const s = new Stack(new App(), 'ReplicaRegistryStack', { env: REPLICA_ENV });
    new ReplicationDestination(s, 'FromRegistry', { sourceAccount: '111111111111', sourceRegion: 'us-east-1' });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { Prefix: 'ROOT', AppliedFor: ['REPLICATION'] });
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 0);
  });

  test('with tags in the baseline, the policy also allows ecr:TagResource', () => {
    const s = new Stack(new App(), 'Dr', { env: DR_ENV });
    new ReplicationDestination(s, 'FromRegistry', {
      sourceAccount: '111111111111', baseline: new RegistryBaseline({ tags: { team: 'platform' } }),
    });
    Template.fromStack(s).hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [Match.objectLike({ Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'] })] },
    });
  });

  test('contributes to an existing registry: one policy, one template for CREATE_ON_PUSH and REPLICATION', () => {
    // GIVEN
    const s = new Stack(new App(), 'Dr', { env: DR_ENV });
    const r = new SecureRegistry(s, 'Registry');
    r.addCreationTemplate({ prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    // WHEN
    new ReplicationDestination(s, 'FromRegistry', { sourceAccount: '111111111111', repositoryPrefixes: ['prod/'], registry: r });
    new ReplicationDestination(s, 'FromOther', { sourceAccount: '333333333333', repositoryPrefixes: ['prod/'], registry: r });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
    t.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { Prefix: 'prod', AppliedFor: ['CREATE_ON_PUSH', 'REPLICATION'] });
    t.resourceCountIs('AWS::ECR::RegistryPolicy', 1);
    t.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [Match.objectLike({ Sid: 'ReplicationFrom111111111111' }), Match.objectLike({ Sid: 'ReplicationFrom333333333333' })] },
    });
    t.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
  });

  test.each([
    [{ sourceAccount: 'abc' }, /InvalidAccountId: sourceAccount 'abc'/],
    [{ sourceAccount: '111111111111', sourceRegion: 'us-east-1' }, /ReplicationFromSelf/],
    [{ sourceAccount: '111111111111', repositoryPrefixes: ['Prod'] }, /InvalidReplicationPrefix/],
  ])('bad input %p fails', (props, message) => {
    const s = new Stack(new App(), 'Dr', { env: ENV });
    expect(() => new ReplicationDestination(s, 'D', props)).toThrow(message);
  });

  test('a registry of another environment fails', () => {
    const app = new App();
    const r = registry(app);
    const s = new Stack(app, 'Dr', { env: DR_ENV });
    expect(() => new ReplicationDestination(s, 'D', { sourceAccount: '111111111111', registry: r }))
      .toThrow(/RegistryInOtherEnvironment/);
  });
});

describe('replication failure alerts, where the events arrive', () => {
  const DEST = { account: '222222222222', region: 'eu-west-1' };

  test('ReplicationDestination alerts on failed replication into its registry, on its own encrypted topic', () => {
    // GIVEN a destination stack
    const app = compliantApp();
    const dest = new Stack(app, 'Dest', { env: DEST });
    // WHEN
    const destination = new ReplicationDestination(dest, 'FromSource', { sourceAccount: '111111111111', repositoryPrefixes: ['prod/'] });
    // THEN the rule is in the destination Region, filtered to the replicated prefixes
    const t = Template.fromStack(dest);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ecr'],
        'detail-type': ['ECR Replication Action'],
        'detail': { 'result': ['FAILED'], 'repository-name': [{ prefix: 'prod/' }] },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('FailureAlertsTopic') } }],
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    expect(destination.failureAlerts?.key).toBeDefined();
    // and the whole stack passes every pack with no acknowledgment for the alerts
    const result = synthCompliant(app);
    expect(result.acknowledgments.filter((a) => a.path.includes('FailureAlerts'))).toEqual([]);
  });

  test('failureAlerts: false leaves them out; a source registry has no replication rule', () => {
    const dest = new Stack(new App(), 'Dest', { env: DEST });
    new ReplicationDestination(dest, 'FromSource', { sourceAccount: '111111111111', failureAlerts: false });
    Template.fromStack(dest).resourceCountIs('AWS::Events::Rule', 0);
    const source = registry();
    source.replicateTo({ region: 'eu-west-1', account: '222222222222' });
    source.addFindingAlerts();
    Template.fromStack(Stack.of(source)).resourcePropertiesCountIs('AWS::Events::Rule',
      { EventPattern: { 'detail-type': ['ECR Replication Action'] } }, 0);
  });

  test('ReplicationFailureAlerts refuses a prefix that cannot start a repository name', () => {
    const s = new Stack(new App(), 'Dest', { env: DEST });
    expect(() => new ReplicationFailureAlerts(s, 'Alerts', { repositoryPrefixes: ['Prod/'] }))
      .toThrow(/\[Dest\/Alerts\] InvalidRepositoryPrefix: repositoryPrefixes entry 'Prod\/'/);
  });
});

describe('a destination without a registry is never a silent owner', () => {
  test('warns that it declares the destination registry; no warning with a registry', () => {
    const withoutRegistry = new Stack(new App(), 'Dest', { env: DR_ENV });
    new ReplicationDestination(withoutRegistry, 'FromSource', { sourceAccount: ENV.account });
    expect(Annotations.fromStack(withoutRegistry).findWarning('/Dest/FromSource', Match.stringLikeRegexp('destinationOwnsRegistry'))).toHaveLength(1);

    const withRegistry = new Stack(new App(), 'Dest', { env: DR_ENV });
    new ReplicationDestination(withRegistry, 'FromSource', {
      sourceAccount: ENV.account, registry: new SecureRegistry(withRegistry, 'Registry'),
    });
    expect(Annotations.fromStack(withRegistry).findWarning('*', Match.stringLikeRegexp('destinationOwnsRegistry'))).toHaveLength(0);
  });
});
