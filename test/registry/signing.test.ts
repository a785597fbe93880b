import { App, Stack, aws_iam as iam, aws_signer as signer } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GitHubActionsPushRole } from '../../src/access';
import { SecureRegistry } from '../../src/registry';
import { SecureRepository } from '../../src/repository';
import { ENV } from '../helpers';

function registry(region = 'us-east-1'): SecureRegistry {
  return new SecureRegistry(new Stack(new App(), 'RegistryStack', { env: { account: '111111111111', region } }), 'Registry');
}

function signPayloadStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => st.Action === 'signer:SignPayload');
}

describe('managed signing', () => {
  test('a rule creates a Notation signing profile and one SigningConfiguration', () => {
    // GIVEN
    const r = registry();
    // WHEN
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    r.addSigningRule({ repositoryFilters: ['release/*'] });
    // THEN
    const t = Template.fromStack(Stack.of(r));
    t.resourceCountIs('AWS::Signer::SigningProfile', 1);
    t.hasResourceProperties('AWS::Signer::SigningProfile', { PlatformId: 'Notation-OCI-SHA384-ECDSA' });
    t.resourceCountIs('AWS::ECR::SigningConfiguration', 1);
    t.hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [
        { SigningProfileArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SigningProfile'), 'Arn'] }, RepositoryFilters: [{ Filter: 'prod/*', FilterType: 'WILDCARD_MATCH' }] },
        { SigningProfileArn: Match.anyValue(), RepositoryFilters: [{ Filter: 'release/*', FilterType: 'WILDCARD_MATCH' }] },
      ],
    });
  });

  test('a rule without filters signs every repository', () => {
    const r = registry();
    r.addSigningRule();
    Template.fromStack(Stack.of(r)).hasResourceProperties('AWS::ECR::SigningConfiguration', {
      Rules: [{ SigningProfileArn: Match.anyValue(), RepositoryFilters: Match.absent() }],
    });
  });

  test('push grants on covered repositories include signer:SignPayload, whatever the call order', () => {
    // GIVEN
    const r = registry();
    const s = Stack.of(r);
    const prod = r.addRepository('Orders', { repositoryName: 'prod/orders' });
    const dev = r.addRepository('DevOrders', { repositoryName: 'dev/orders' });
    const before = new iam.Role(s, 'Before', { assumedBy: new iam.AccountRootPrincipal() });
    const devPusher = new iam.Role(s, 'DevPusher', { assumedBy: new iam.AccountRootPrincipal() });
    prod.grantPush(before);
    dev.grantPush(devPusher);
    // WHEN
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    const after = new iam.Role(s, 'After', { assumedBy: new iam.AccountRootPrincipal() });
    prod.grantPullPush(after);
    // THEN
    const statements = signPayloadStatements(s);
    expect(statements).toHaveLength(2);
    for (const st of statements) {
      expect(st.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/SigningProfile/), 'Arn'] });
    }
    const policies = Template.fromStack(s).findResources('AWS::IAM::Policy');
    const devPolicy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles).includes('DevPusher')) as any;
    expect(JSON.stringify(devPolicy.Properties.PolicyDocument)).not.toContain('signer:SignPayload');
  });

  test('a pusher of another account: the profile admits its account, and the app synthesizes across accounts', () => {
    // GIVEN a signed repository in the registry account and a pusher role in a workload account
    const app = new App();
    const r = new SecureRegistry(new Stack(app, 'RegistryStack', { env: ENV }), 'Registry');
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    const repo = r.addRepository('Orders', { repositoryName: 'prod/orders' });
    const ci = new Stack(app, 'CiStack', { env: { account: '333333333333', region: 'us-east-1' } });
    const pusher = new iam.Role(ci, 'Pusher', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'orders-ci' });
    // WHEN
    repo.grantPush(pusher);
    repo.grantPullPush(pusher); // a second grant adds nothing twice
    // THEN the registry stack carries one cross-account permission on its profile
    const registryTemplate = Template.fromStack(Stack.of(r));
    registryTemplate.resourceCountIs('AWS::Signer::ProfilePermission', 1);
    registryTemplate.hasResourceProperties('AWS::Signer::ProfilePermission', {
      Action: 'signer:SignPayload',
      Principal: '333333333333',
      ProfileName: { 'Fn::GetAtt': [Match.stringLikeRegexp('SigningProfile'), 'ProfileName'] },
      StatementId: 'EcrPush333333333333',
    });
    // and the pusher's policy names the registry's profiles without a cross-account reference
    const statements = signPayloadStatements(ci);
    expect(statements).toHaveLength(1);
    expect(ci.resolve(statements[0].Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':signer:us-east-1:111111111111:/signing-profiles/*']],
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('a profile of a third account: no permission the registry cannot add, a warning, and the ARN of that account', () => {
    const app = new App();
    const r = new SecureRegistry(new Stack(app, 'RegistryStack', { env: ENV }), 'Registry');
    const profile = signer.SigningProfile.fromSigningProfileAttributes(
      new Stack(app, 'SecurityStack', { env: { account: '444444444444', region: 'us-east-1' } }), 'Profile',
      { signingProfileName: 'org_signing', signingProfileVersion: 'abcdef1234' });
    r.addSigningRule({ signingProfile: profile });
    const repo = r.addRepository('Orders', { repositoryName: 'prod/orders' });
    const ci = new Stack(app, 'CiStack', { env: { account: '333333333333', region: 'us-east-1' } });
    repo.grantPush(new iam.Role(ci, 'Pusher', { assumedBy: new iam.AccountRootPrincipal(), roleName: 'orders-ci' }));
    Template.fromStack(Stack.of(r)).resourceCountIs('AWS::Signer::ProfilePermission', 0);
    Annotations.fromStack(Stack.of(r)).hasWarning('/RegistryStack/Registry',
      Match.stringLikeRegexp('belongs to account 444444444444.*add it in the profile\'s account'));
    expect(ci.resolve(signPayloadStatements(ci)[0].Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':signer:us-east-1:444444444444:/signing-profiles/org_signing']],
    });
  });

  test('a pusher of the same account gets no profile permission', () => {
    const r = registry();
    r.addSigningRule();
    const repo = r.addRepository('Orders', { repositoryName: 'prod/orders' });
    repo.grantPush(new iam.Role(Stack.of(r), 'Pusher', { assumedBy: new iam.AccountRootPrincipal() }));
    Template.fromStack(Stack.of(r)).resourceCountIs('AWS::Signer::ProfilePermission', 0);
  });

  test('a standalone SecureRepository with `registry` gets the same signing grants as addRepository', () => {
    // GIVEN a registry that signs prod/*, and two repositories: one declared by the registry, one standalone
    const r = registry();
    const s = Stack.of(r);
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    const declared = r.addRepository('Declared', { repositoryName: 'prod/declared' });
    const standalone = new SecureRepository(s, 'Standalone', { repositoryName: 'prod/standalone', registry: r });
    const viaRegistry = new iam.Role(s, 'ViaRegistry', { assumedBy: new iam.AccountRootPrincipal() });
    const viaStandalone = new iam.Role(s, 'ViaStandalone', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    declared.grantPush(viaRegistry);
    standalone.grantPush(viaStandalone);
    // THEN both roles get push, the token action and signer:SignPayload, statement for statement
    const policies = Template.fromStack(s).findResources('AWS::IAM::Policy');
    const statementsOf = (role: string) => {
      const policy = Object.values(policies).find((p: any) => JSON.stringify(p.Properties.Roles).includes(role)) as any;
      return JSON.stringify(policy.Properties.PolicyDocument.Statement)
        .replace(/(Registry)?Declared[A-F0-9]{8}|Standalone[A-F0-9]{8}/g, 'REPO');
    };
    expect(statementsOf('ViaStandalone')).toEqual(statementsOf('ViaRegistry'));
    expect(statementsOf('ViaStandalone')).toContain('signer:SignPayload');
    expect(standalone.registry).toBe(r);
    expect(standalone.baseline.props.encryptionKey).toBe(r.encryptionKey);
  });

  test('GitHubActionsPushRole gets signer:SignPayload through grantPush of a signed standalone repository', () => {
    const r = registry();
    const s = Stack.of(r);
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    const repo = new SecureRepository(s, 'Orders', { repositoryName: 'prod/orders', registry: r });
    new GitHubActionsPushRole(s, 'Ci', { githubRepository: 'example-org/orders', repositories: [repo] });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'signer:SignPayload' })]) },
    });
  });

  test('a standalone SecureRepository without `registry` gets no signing grant', () => {
    const r = registry();
    const s = Stack.of(r);
    r.addSigningRule({ repositoryFilters: ['prod/*'] });
    const repo = new SecureRepository(s, 'Orders', { repositoryName: 'prod/orders' });
    repo.grantPush(new iam.Role(s, 'Pusher', { assumedBy: new iam.AccountRootPrincipal() }));
    expect(signPayloadStatements(s)).toHaveLength(0);
  });

  test('an imported profile is used as given', () => {
    const r = registry();
    const profile = signer.SigningProfile.fromSigningProfileAttributes(Stack.of(r), 'Profile', {
      signingProfileName: 'release_signer', signingProfileVersion: 'abc',
    });
    r.addSigningRule({ signingProfile: profile });
    Template.fromStack(Stack.of(r)).resourceCountIs('AWS::Signer::SigningProfile', 0);
  });

  test('a Region without managed signing fails', () => {
    expect(() => registry('eu-central-2').addSigningRule())
      .toThrow(/\[RegistryStack\/Registry\] SigningUnavailableInRegion: managed signing is not available in eu-central-2/);
  });

  test.each([
    [['Prod/*'], /InvalidSigningFilter: repositoryFilters entry 'Prod\/\*'/],
    [['prod/'], /InvalidSigningFilter: repositoryFilters entry 'prod\/'/],
    [[], /InvalidSigningFilterCount: repositoryFilters has 0 filters/],
  ])('filters %p fail', (filters, message) => {
    expect(() => registry().addSigningRule({ repositoryFilters: filters })).toThrow(message);
  });

  test('an eleventh rule fails (API and user guide limit, not the CloudFormation 50)', () => {
    const r = registry();
    for (let i = 0; i < 10; i++) {
      r.addSigningRule({ repositoryFilters: [`team${i}/*`] });
    }
    expect(() => r.addSigningRule({ repositoryFilters: ['team10/*'] }))
      .toThrow(/TooManySigningRules: this would be signing rule 11; ECR accepts at most 10/);
  });

  test('signingRules prop', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    new SecureRegistry(s, 'Registry', { signingRules: [{ repositoryFilters: ['prod/*'] }] });
    Template.fromStack(s).resourceCountIs('AWS::ECR::SigningConfiguration', 1);
  });
});
