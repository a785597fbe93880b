/*
 * Classes of bad input refused at synth with path, value and fix (issue 13), and the valid
 * edges that must never be refused.
 */
import { App, Duration, Lazy, Stack, aws_ecr as ecr, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import {
  CreationTemplateAppliedFor, LifecyclePolicy, LifecycleRule, PullThroughCache, RegistryAccountSettings, RegistryBaseline, RegistryPolicy,
  ReplicationDestination, RepositoryCreationTemplate, ScanFindingAlerts, SecurePublicRepository, SecureRegistry, SecureRepository,
  UpstreamRegistry,
} from '../src';
import { ENV, REPLICA_ENV, agnosticStack, stackIn } from './helpers';

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


describe('references ECR refuses where it needs another form', () => {
  const template = (s: Stack, baseline: RegistryBaseline, role?: iam.IRole) => new RepositoryCreationTemplate(s, 'Template', {
    prefix: 'prod', appliedFor: [CreationTemplateAppliedFor.REPLICATION], baseline, role,
  });

  test.each([
    ['an imported alias', (s: Stack) => kms.Alias.fromAliasName(s, 'Alias', 'alias/ecr'), /the alias 'alias\/ecr'/],
    ['a new alias', (s: Stack) => new kms.Alias(s, 'Alias', { aliasName: 'alias/ecr', targetKey: new kms.Key(s, 'Key') }), /the alias 'alias\/ecr'/],
    ['an alias ARN', (s: Stack) => kms.Key.fromKeyArn(s, 'Alias', 'arn:aws:kms:us-east-1:111111111111:alias/ecr'),
      /resolves to 'arn:aws:kms:us-east-1:111111111111:alias\/ecr'/],
  ])('a creation template refuses %s as its key (TemplateKeyNotArn)', (_name, key, message) => {
    const s = stackIn(new App(), 'A');
    expect(() => template(s, new RegistryBaseline({ encryptionKey: key(s) })))
      .toThrow(new RegExp(`^\\[A\\/Template\\] TemplateKeyNotArn: .*${message.source}.*needs the full key ARN`));
  });

  test('a repository accepts an alias, and a template a key ARN or a new key (ECR: alias, key id or ARN for repositories)', () => {
    const s = stackIn(new App(), 'A');
    expect(() => new SecureRepository(s, 'Repo', { encryptionKey: kms.Alias.fromAliasName(s, 'Alias', 'alias/ecr') })).not.toThrow();
    expect(() => template(s, new RegistryBaseline({
      encryptionKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    }))).not.toThrow();
    expect(() => new RepositoryCreationTemplate(s, 'Own', {
      prefix: 'dev', appliedFor: [CreationTemplateAppliedFor.REPLICATION], baseline: new RegistryBaseline({ encryptionKey: new kms.Key(s, 'New') }),
    })).not.toThrow();
  });

  test('a creation template refuses a custom role with a path (InvalidTemplateRoleArn), accepts one without', () => {
    const s = stackIn(new App(), 'A');
    const withPath = iam.Role.fromRoleArn(s, 'WithPath', 'arn:aws:iam::111111111111:role/service-role/ecr-templates');
    expect(() => template(s, new RegistryBaseline(), withPath))
      .toThrow(/\[A\/Template\] InvalidTemplateRoleArn: role 'arn:aws:iam::111111111111:role\/service-role\/ecr-templates' is not a role ARN a creation template accepts: .*without a path/);
    const plain = iam.Role.fromRoleArn(s, 'Plain', 'arn:aws:iam::111111111111:role/ecr-templates');
    expect(() => new RepositoryCreationTemplate(s, 'Other', { prefix: 'dev', appliedFor: [CreationTemplateAppliedFor.REPLICATION], role: plain }))
      .not.toThrow();
  });

  test('a signing rule refuses a profile ARN ECR does not accept (InvalidSigningProfileArn)', () => {
    const s = stackIn(new App(), 'A');
    const profile = { signingProfileArn: 'arn:aws:signer:us-east-1:111111111111:signing-profiles/release', env: ENV } as any;
    expect(() => new SecureRegistry(s, 'Registry').addSigningRule({ signingProfile: profile }))
      .toThrow(/\[A\/Registry\] InvalidSigningProfileArn: signingProfile 'arn:aws:signer:us-east-1:111111111111:signing-profiles\/release' is not a signer profile ARN/);
  });
});

describe('policy statements IAM or ECR refuse, and every policy document against its size limit', () => {
  const repoWith = (statement: iam.PolicyStatement) => {
    const app = new App();
    new SecureRepository(stackIn(app, 'A'), 'Repo').addToResourcePolicy(statement);
    return () => app.synth();
  };

  test.each([
    ['no principal', new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'] }),
      /\[A\/Repo\] MissingPolicyPrincipal: statement 1 of the repository policy has no principal/],
    ['a Resource', new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'], principals: [new iam.AccountPrincipal('333333333333')], resources: ['*'] }),
      /ResourceInRepositoryPolicy: statement 1 of the repository policy has Resource "\*", which ECR refuses/],
    ['a malformed account', new iam.PolicyStatement({ sid: 'Pull', actions: ['ecr:BatchGetImage'], principals: [new iam.AccountPrincipal('12345')] }),
      /InvalidPolicyPrincipal: statement 'Pull' of the repository policy names the AWS principal 'arn:\$\{...\}:iam::12345:root', which IAM refuses/],
    ['a bad organization id', new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'], principals: [new iam.AnyPrincipal()], conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-bad' } },
    }), /InvalidOrganizationId: statement 1 of the repository policy compares aws:PrincipalOrgID with 'o-bad'/],
    ['a bad source account', new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'], principals: [new iam.ServicePrincipal('lambda.amazonaws.com')], conditions: { StringEquals: { 'aws:SourceAccount': '123' } },
    }), /InvalidAccountId: statement 1 of the repository policy compares aws:SourceAccount with '123'/],
    ['no action', new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('333333333333')] }),
      /MissingPolicyAction: statement 1 of the repository policy has no action/],
  ])('a repository policy statement with %s fails at synth', (_name, statement, message) => {
    expect(repoWith(statement)).toThrow(message);
  });

  test('valid principals and conditions are accepted: account id, role ARN, *, wildcards in Like conditions', () => {
    expect(repoWith(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage'],
      principals: [new iam.AccountPrincipal('333333333333'), new iam.ArnPrincipal('arn:aws:iam::333333333333:role/path/name'), new iam.AnyPrincipal()],
      conditions: { StringLike: { 'aws:PrincipalOrgID': 'o-*', 'aws:SourceAccount': '3333*' }, StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } },
    }))).not.toThrow();
  });

  test('a creation template repository policy: no principal, and over 10,240 characters', () => {
    const app = new App();
    const s = stackIn(app, 'A');
    new RepositoryCreationTemplate(s, 'Template', {
      prefix: 'prod',
      appliedFor: [CreationTemplateAppliedFor.REPLICATION],
      baseline: new RegistryBaseline({
        repositoryPolicyStatements: [
          new iam.PolicyStatement({ actions: ['ecr:BatchGetImage'] }),
          new iam.PolicyStatement({
            actions: ['ecr:BatchGetImage'],
            principals: Array.from({ length: 300 }, (_, i) => new iam.ArnPrincipal(`arn:aws:iam::333333333333:role/puller-${i}`)),
          }),
        ],
      }),
    });
    expect(() => app.synth()).toThrow(/\[A\/Template\] MissingPolicyPrincipal: statement 1 of the template's repository policy has no principal/);
    expect(() => app.synth()).toThrow(/RepositoryPolicyTooLarge: the template's repository policy is \d+ characters; ECR accepts at most 10,240/);
  });

  test('a registry policy statement naming a malformed account fails at synth', () => {
    const app = new App();
    new SecureRegistry(stackIn(app, 'A'), 'Registry').addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'], principals: [new iam.AccountPrincipal('2222222222')], resources: ['*'],
    }));
    expect(() => app.synth()).toThrow(/\[A\/Registry\/RegistryPolicy\] InvalidPolicyPrincipal: statement 1 of the registry policy names the AWS principal 'arn:\$\{...\}:iam::2222222222:root'/);
  });

  test('a public repository policy over 10,240 characters fails at synth', () => {
    const app = new App();
    const repo = new SecurePublicRepository(stackIn(app, 'A'), 'Public', { tags: { team: 'platform' } });
    repo.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['ecr-public:PutImage'],
      principals: Array.from({ length: 300 }, (_, i) => new iam.ArnPrincipal(`arn:aws:iam::333333333333:role/pusher-${i}`)),
    }));
    expect(() => app.synth()).toThrow(/RepositoryPolicyTooLarge: the public repository policy is \d+ characters; ECR Public accepts at most 10,240/);
  });
});

describe('alarms and metrics that name repositories that cannot exist', () => {
  test('a pull-count alarm for an invalid repository name fails; a valid name or a token is accepted', () => {
    const s = stackIn(new App(), 'A');
    const alerts = new ScanFindingAlerts(s, 'Alerts');
    expect(() => alerts.addPullCountAlarm('Pulls', { repositoryName: 'Prod/Orders', threshold: 100 }))
      .toThrow(/\[A\/Alerts\] InvalidRepositoryName: repositoryName 'Prod\/Orders' is not a valid ECR repository name/);
    expect(() => alerts.addPullCountAlarm('Valid', { repositoryName: 'prod/orders', threshold: 100 })).not.toThrow();
    expect(() => alerts.addPullCountAlarm('Token', { repositoryName: Lazy.string({ produce: () => 'prod/orders' }), threshold: 100 })).not.toThrow();
  });
});

describe('nothing valid is refused: the edges ECR allows', () => {
  const name256 = ['a.b', 'c_d', 'e__f', 'g-h', 'i--j', 'k/l'].join('/').padEnd(255, 'x') + 'z';

  test('a 256-character repository name using every separator', () => {
    expect(name256.length).toBe(256);
    const s = stackIn(new App(), 'A');
    expect(() => new SecureRepository(s, 'Repo', { repositoryName: name256 })).not.toThrow();
    expect(() => new SecureRepository(s, 'Too', { repositoryName: `${name256}y` })).toThrow(/InvalidRepositoryName: .*257 characters/);
  });

  test('the maximum counts: 100 scan filters, 10 replication rules, 25 destinations, 100 prefixes, 10 signing rules, 100 exclusions', () => {
    const s = stackIn(new App(), 'A');
    const filters = Array.from({ length: 100 }, (_, i) => `team-${i}/*`);
    const registry = new SecureRegistry(s, 'Registry', { scanOnPushFilters: filters, scanContinuousFilters: filters });
    // 10 rules, 25 unique destinations in all.
    const regions = ['us-west-1', 'us-west-2', 'us-east-2', 'eu-west-1', 'eu-west-2'];
    for (let rule = 0; rule < 10; rule++) {
      registry.replicateTo({ region: regions[rule % 5], account: `22222222222${rule}`, repositoryPrefixes: [`team-${rule}/`] });
    }
    for (let i = 0; i < 15; i++) {
      registry.replicateTo({ region: regions[i % 5], account: `33333333333${Math.floor(i / 5)}`, repositoryPrefixes: ['team-0/'] });
    }
    expect(() => registry.replicateTo({ region: 'ca-central-1', repositoryPrefixes: ['team-0/'] })).toThrow(/TooManyReplicationDestinations/);
    expect(() => new SecureRegistry(stackIn(new App(), 'B'), 'Registry')
      .replicateTo({ region: 'us-west-2', repositoryPrefixes: Array.from({ length: 100 }, (_, i) => `p${i}/`) })).not.toThrow();
    for (let i = 0; i < 10; i++) {
      registry.addSigningRule({ repositoryFilters: [`team-${i}/*`] });
    }
    expect(() => registry.addSigningRule({})).toThrow(/TooManySigningRules/);
    for (let i = 0; i < 100; i++) {
      registry.addPullTimeUpdateExclusion(iam.Role.fromRoleArn(s, `Scanner${i}`, `arn:aws:iam::111111111111:role/scanner-${i}`));
    }
    expect(() => registry.addPullTimeUpdateExclusion(iam.Role.fromRoleArn(s, 'One', 'arn:aws:iam::111111111111:role/one-more')))
      .toThrow(/TooManyPullTimeUpdateExclusions/);
  });

  test('5 exclusion filters, 50 tags, 50 lifecycle rules, a 30-character cache prefix, a 256-character template prefix', () => {
    const s = stackIn(new App(), 'A');
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(127, 'k'), 'v'.repeat(255)]));
    const rules = Array.from({ length: 49 }, (_, i) => LifecycleRule.keepNewest({ count: 10, tagPatternList: [`r${i}-*`] }));
    rules.push(LifecycleRule.expireUntagged(Duration.days(7)));
    expect(() => new SecureRepository(s, 'Repo', {
      repositoryName: 'prod/orders',
      imageTagMutabilityExclusionFilters: ['latest', 'dev-*', 'a.b', 'c_d', '*-rc*'],
      tags,
      lifecyclePolicy: new LifecyclePolicy({ rules }),
    })).not.toThrow();
    const registry = new SecureRegistry(s, 'Registry');
    expect(() => registry.addPullThroughCache(UpstreamRegistry.quay(), { ecrRepositoryPrefix: 'a'.repeat(30) })).not.toThrow();
    expect(() => registry.addCreationTemplate({ prefix: `${'p'.repeat(255)}/`, appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] })).not.toThrow();
  });
});
