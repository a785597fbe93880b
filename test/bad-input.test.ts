/*
 * Classes of bad input refused at synth with path, value and fix (issue 13), and the valid
 * edges that must never be refused.
 */
import { App, Lazy, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import {
  CreationTemplateAppliedFor, PullThroughCache, RegistryAccountSettings, RegistryPolicy, ReplicationDestination,
  RepositoryCreationTemplate, SecureRegistry, SecureRepository, UpstreamRegistry,
} from '../src';
import { REPLICA_ENV, agnosticStack, stackIn } from './helpers';

function synth(app: App): void {
  app.synth();
}

describe('duplicates of a primary identifier in one account and Region of the app', () => {
  test('a repository name declared in two stacks of one environment', () => {
    const app = new App();
    new SecureRepository(stackIn(app, 'A'), 'Orders', { repositoryName: 'prod/orders' });
    expect(() => new SecureRepository(stackIn(app, 'B'), 'Orders', { repositoryName: 'prod/orders' }))
      .toThrow(/^\[B\/Orders\] DuplicateRepositoryName: repositoryName 'prod\/orders' is already declared by A\/Orders in 111111111111\/us-east-1: .*another name, or reference that one \(SecureRepository.fromRepositoryName\)$/);
  });

  test('a repository name declared through a registry and standalone', () => {
    const app = new App();
    const registry = new SecureRegistry(stackIn(app, 'A'), 'Registry');
    registry.addRepository('Orders', { repositoryName: 'prod/orders' });
    expect(() => new SecureRepository(stackIn(app, 'B'), 'Orders', { repositoryName: 'prod/orders' }))
      .toThrow(/DuplicateRepositoryName: .*already declared by A\/Registry\/Orders/);
  });

  test('the same name in other Regions, accounts, apps, or as a token is fine', () => {
    const app = new App();
    new SecureRepository(stackIn(app, 'A'), 'Orders', { repositoryName: 'prod/orders' });
    new SecureRepository(stackIn(app, 'B', REPLICA_ENV), 'Orders', { repositoryName: 'prod/orders' });
    new SecureRepository(stackIn(app, 'C', { account: '222222222222', region: 'us-east-1' }), 'Orders', { repositoryName: 'prod/orders' });
    new SecureRepository(stackIn(new App(), 'A'), 'Orders', { repositoryName: 'prod/orders' });
    const lazy = Lazy.string({ produce: () => 'prod/orders' });
    new SecureRepository(stackIn(app, 'D'), 'One', { repositoryName: lazy });
    expect(() => new SecureRepository(stackIn(app, 'D2'), 'Two', { repositoryName: lazy })).not.toThrow();
  });

  test('environment-agnostic stacks: a clash inside one stack is refused, across stacks it is not compared', () => {
    const app = new App();
    const a = agnosticStack(app, 'A');
    new SecureRepository(a, 'One', { repositoryName: 'prod/orders' });
    expect(() => new SecureRepository(a, 'Two', { repositoryName: 'prod/orders' }))
      .toThrow(/\[A\/Two\] DuplicateRepositoryName: .*already declared by A\/One in the environment of stack A/);
    expect(() => new SecureRepository(agnosticStack(app, 'B'), 'One', { repositoryName: 'prod/orders' })).not.toThrow();
    expect(() => new SecureRepository(stackIn(app, 'C'), 'One', { repositoryName: 'prod/orders' })).not.toThrow();
  });

  test('a failed declaration does not keep the name', () => {
    const app = new App();
    const s = stackIn(app, 'A');
    expect(() => new SecureRepository(s, 'Bad', { repositoryName: 'prod/orders', imageTagMutabilityExclusionFilters: [] })).toThrow();
    expect(() => new SecureRepository(s, 'Good', { repositoryName: 'prod/orders' })).not.toThrow();
  });

  test('a creation-template prefix declared standalone beside a registry template', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry')
      .addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
    expect(() => new RepositoryCreationTemplate(stackIn(app, 'B'), 'Template', {
      prefix: 'sandbox/', appliedFor: [CreationTemplateAppliedFor.REPLICATION],
    })).toThrow(/^\[B\/Template\] DuplicateCreationTemplatePrefix: prefix 'sandbox\/' already has a creation template, A\/Registry\/CreationTemplate-sandbox, in 111111111111\/us-east-1: /);
  });

  test('a pull-through cache prefix declared standalone beside a registry cache', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry').addPullThroughCache(UpstreamRegistry.ecrPublic());
    expect(() => new PullThroughCache(stackIn(app, 'B'), 'Cache', { upstream: UpstreamRegistry.quay(), ecrRepositoryPrefix: 'ecr-public' }))
      .toThrow(/^\[B\/Cache\] DuplicatePullThroughCachePrefix: ecrRepositoryPrefix 'ecr-public' is already the prefix of A\/Registry\/PullThroughCache-ecr-public in 111111111111\/us-east-1: .*pass another ecrRepositoryPrefix/);
  });

  test('two imports of one role are one pull-time update exclusion', () => {
    const s = stackIn(new App(), 'A');
    const registry = new SecureRegistry(s, 'Registry');
    const arn = 'arn:aws:iam::111111111111:role/scanner';
    registry.addPullTimeUpdateExclusion(iam.Role.fromRoleArn(s, 'One', arn));
    expect(() => registry.addPullTimeUpdateExclusion(iam.Role.fromRoleArn(s, 'Two', arn)))
      .toThrow(/\[A\/Registry\] DuplicatePullTimeUpdateExclusion: A\/Two \(arn:aws:iam::111111111111:role\/scanner\) is already excluded/);
  });

  test('a pull-time update exclusion ARN over 200 characters', () => {
    const s = stackIn(new App(), 'A');
    const registry = new SecureRegistry(s, 'Registry');
    const arn = `arn:aws:iam::111111111111:role/${'a'.repeat(200)}`;
    expect(() => registry.addPullTimeUpdateExclusion(iam.Role.fromRoleArn(s, 'Long', arn)))
      .toThrow(/InvalidPullTimeUpdateExclusion: role ARN 'arn:aws:iam::111111111111:role\/a+' is 231 characters; ECR accepts principal ARNs of at most 200/);
  });
});

describe('two owners of one registry-wide setting', () => {
  test('a standalone RegistryPolicy beside a SecureRegistry, in either order', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry');
    expect(() => new RegistryPolicy(stackIn(app, 'B'), 'Policy'))
      .toThrow(/^\[B\/Policy\] DuplicateRegistrySetting: A\/Registry already declares the registry policy of 111111111111\/us-east-1; .*SecureRegistry.addToRegistryPolicy/);

    const app2 = new App();
    new RegistryPolicy(stackIn(app2, 'B'), 'Policy');
    expect(() => new SecureRegistry(stackIn(app2, 'A'), 'Registry'))
      .toThrow(/^\[A\/Registry\] DuplicateRegistrySetting: B\/Policy already declares the registry policy of 111111111111\/us-east-1, which a SecureRegistry owns/);
  });

  test('two standalone RegistryPolicy constructs in one environment', () => {
    const app = new App();
    new RegistryPolicy(stackIn(app, 'A'), 'Policy');
    expect(() => new RegistryPolicy(stackIn(app, 'B'), 'Policy')).toThrow(/\[B\/Policy\] DuplicateRegistrySetting: A\/Policy already declares/);
    expect(() => new RegistryPolicy(stackIn(app, 'C', REPLICA_ENV), 'Policy')).not.toThrow();
  });

  test('standalone account settings beside a SecureRegistry, and two for one setting', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry', { blobMounting: true });
    expect(() => new RegistryAccountSettings(stackIn(app, 'B'), 'Settings', { blobMounting: true }))
      .toThrow(/\[B\/Settings\] DuplicateRegistrySetting: A\/Registry already declares the account setting BLOB_MOUNTING of 111111111111\/us-east-1/);

    const app2 = new App();
    new RegistryAccountSettings(stackIn(app2, 'A'), 'Blob', { blobMounting: true });
    expect(() => new RegistryAccountSettings(stackIn(app2, 'B'), 'Scope', { basicScanTypeVersion: 'AWS_NATIVE' as any })).not.toThrow();
    expect(() => new RegistryAccountSettings(stackIn(app2, 'C'), 'Blob', { blobMounting: false }))
      .toThrow(/DuplicateRegistrySetting: A\/Blob already declares the account setting BLOB_MOUNTING/);
  });

  test('a registry-wide L1 declared outside the registry fails at synth', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry');
    new ecr.CfnRegistryScanningConfiguration(stackIn(app, 'B'), 'Scanning', { scanType: 'BASIC', rules: [] });
    expect(() => synth(app)).toThrow(/DuplicateRegistrySetting: B\/Scanning declares an AWS::ECR::RegistryScanningConfiguration for 111111111111\/us-east-1, which this registry owns/);
  });

  test('the registry\'s own resources, ReplicationDestination with registry, and other environments are fine', () => {
    const app = new App();
    const s = stackIn(app, 'A');
    const registry = new SecureRegistry(s, 'Registry', { blobMounting: true, signingRules: [{}] });
    registry.replicateTo({ region: 'us-west-2' });
    registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'], principals: [new iam.AccountPrincipal('222222222222')], resources: ['*'],
    }));
    new ReplicationDestination(s, 'Dest', { sourceAccount: '222222222222', registry, repositoryPrefixes: ['prod/'] });
    new ecr.CfnRegistryScanningConfiguration(stackIn(app, 'B', REPLICA_ENV), 'Scanning', { scanType: 'BASIC', rules: [] });
    expect(() => synth(app)).not.toThrow();
  });
});

