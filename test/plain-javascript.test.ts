/*
 * Plain JavaScript (and jsii) callers bypass the type checker. Every public entry point is called
 * here through `any` with the slips such callers make: a string where a list is expected, a
 * string where a boolean is expected, a number where a string is expected, a missing required
 * property, a null or missing props object. Each must give our error (code, construct path,
 * the bad value), never a TypeError, and never be accepted.
 */
import { App, Duration, Lazy, Stack, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lib from '../src';
import { ENV } from './helpers';
import { BOOLEAN, STRING, arrayOf, checkArgs } from '../src/private/shape';

/* eslint-disable @typescript-eslint/no-explicit-any */
const L: any = lib;

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: ENV });
}

function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** One bad call: what it is, the call, the code, and what the message must name (path and value). */
type Case = [name: string, call: () => unknown, code: string, names: RegExp];

const repo = (s: Stack) => L.SecureRepository.fromRepositoryName(s, 'Imported', 'prod/orders');
const role = (s: Stack) => iam.Role.fromRoleArn(s, 'Role', 'arn:aws:iam::111111111111:role/scanner');
const vpc = (s: Stack) => new ec2.Vpc(s, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), natGateways: 0 });
const registry = (s: Stack) => new L.SecureRegistry(s, 'Registry');
const credentials = () => L.UpstreamCredentials.placeholder();
const rule = () => L.LifecycleRule.expireUntagged(Duration.days(7));

const CASES: Case[] = [
  // SecureRegistry and its methods
  ['SecureRegistry: string for array', () => new L.SecureRegistry(newStack(), 'Registry', { scanOnPushFilters: 'prod/*' }),
    'InvalidPropType', /^\[Stack\/Registry\] InvalidPropType: props.scanOnPushFilters is the string 'prod\/\*', but it must be an array .*put it in a list: \['prod\/\*'\]$/],
  ['SecureRegistry: string for boolean', () => new L.SecureRegistry(newStack(), 'Registry', { blobMounting: 'false' }),
    'InvalidPropType', /\[Stack\/Registry\] InvalidPropType: props.blobMounting is the string 'false', but it must be a boolean: use the boolean false/],
  ['SecureRegistry: null props', () => new L.SecureRegistry(newStack(), 'Registry', null),
    'InvalidPropType', /\[Stack\/Registry\] InvalidPropType: props is null: leave the property out/],
  ['SecureRegistry: wrong enum', () => new L.SecureRegistry(newStack(), 'Registry', { scanType: 'enhanced' }),
    'InvalidPropType', /props.scanType is the string 'enhanced', but it must be one of ScanType.BASIC, ScanType.ENHANCED/],
  ['SecureRegistry: role list holds a string', () => new L.SecureRegistry(newStack(), 'Registry', { pullTimeUpdateExclusions: ['arn:aws:iam::111111111111:role/x'] }),
    'InvalidPropType', /props.pullTimeUpdateExclusions\[0\] is the string 'arn:aws:iam::111111111111:role\/x', but it must be an iam.IRole/],
  ['addRepository: number for string', () => registry(newStack()).addRepository('Orders', { repositoryName: 123 }),
    'InvalidPropType', /\[Stack\/Registry\/Orders\] InvalidPropType: props.repositoryName is the number 123, but it must be a string: use the string '123'/],
  ['addCreationTemplate: missing options', () => registry(newStack()).addCreationTemplate(),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: options is missing/],
  ['addCreationTemplate: missing prefix', () => registry(newStack()).addCreationTemplate({ appliedFor: ['CREATE_ON_PUSH'] }),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: options.prefix is missing: it is required \(a string\); give e.g. 'prod\/'/],
  ['addCreationTemplate: string for array', () => registry(newStack()).addCreationTemplate({ prefix: 'sandbox', appliedFor: 'CREATE_ON_PUSH' }),
    'InvalidPropType', /options.appliedFor is the string 'CREATE_ON_PUSH', but it must be an array/],
  ['addPullThroughCache: missing upstream', () => registry(newStack()).addPullThroughCache(),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: upstream is missing/],
  ['addPullThroughCache: number for string', () => registry(newStack()).addPullThroughCache(L.UpstreamRegistry.quay(), { ecrRepositoryPrefix: 5 }),
    'InvalidPropType', /options.ecrRepositoryPrefix is the number 5/],
  ['replicateTo: missing region', () => registry(newStack()).replicateTo({ account: '222222222222' }),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: options.region is missing/],
  ['replicateTo: string for array', () => registry(newStack()).replicateTo({ region: 'us-west-2', repositoryPrefixes: 'prod/' }),
    'InvalidPropType', /options.repositoryPrefixes is the string 'prod\/'/],
  ['replicateTo: number for string', () => registry(newStack()).replicateTo({ region: 'us-west-2', account: 222222222222 }),
    'InvalidPropType', /options.account is the number 222222222222, but it must be a string: use the string '222222222222'/],
  ['addToRegistryPolicy: missing statement', () => registry(newStack()).addToRegistryPolicy(),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: statement is missing/],
  ['addSigningRule: string for array', () => registry(newStack()).addSigningRule({ repositoryFilters: 'prod/*' }),
    'InvalidPropType', /options.repositoryFilters is the string 'prod\/\*'/],
  ['addFindingAlerts: string for boolean', () => registry(newStack()).addFindingAlerts({ includeReplicationFailures: 'false' }),
    'InvalidPropType', /\[Stack\/Registry\/FindingAlerts\] InvalidPropType: props.includeReplicationFailures is the string 'false'/],
  ['addFindingAlerts: string for array', () => registry(newStack()).addFindingAlerts({ severities: 'CRITICAL' }),
    'InvalidPropType', /props.severities is the string 'CRITICAL', but it must be an array/],
  ['addPullTimeUpdateExclusion: missing role', () => registry(newStack()).addPullTimeUpdateExclusion(),
    'MissingRequiredProp', /\[Stack\/Registry\] MissingRequiredProp: role is missing/],
  ['grantPushRequirements: missing grantee', () => registry(newStack()).grantPushRequirements(undefined, 'prod/orders'),
    'MissingRequiredProp', /grantee is missing/],
  ['scansRepository: number for string', () => registry(newStack()).scansRepository(5),
    'InvalidPropType', /repositoryName is the number 5/],

  // Repositories
  ['SecureRepository: string for array', () => new L.SecureRepository(newStack(), 'Repo', { imageTagMutabilityExclusionFilters: 'latest' }),
    'InvalidPropType', /\[Stack\/Repo\] InvalidPropType: props.imageTagMutabilityExclusionFilters is the string 'latest'/],
  ['SecureRepository: string for boolean', () => new L.SecureRepository(newStack(), 'Repo', { scanOnPush: 'false' }),
    'InvalidPropType', /\[Stack\/Repo\] InvalidPropType: props.scanOnPush is the string 'false'/],
  ['SecureRepository: null props', () => new L.SecureRepository(newStack(), 'Repo', null),
    'InvalidPropType', /\[Stack\/Repo\] InvalidPropType: props is null/],
  ['SecureRepository: string for key', () => new L.SecureRepository(newStack(), 'Repo', { encryptionKey: 'alias/ecr' }),
    'InvalidPropType', /props.encryptionKey is the string 'alias\/ecr', but it must be a kms.IKey/],
  ['fromRepositoryName: missing name', () => L.SecureRepository.fromRepositoryName(newStack(), 'Imported'),
    'MissingRequiredProp', /\[Stack\/Imported\] MissingRequiredProp: repositoryName is missing/],
  ['fromRepositoryArn: number for string', () => L.SecureRepository.fromRepositoryArn(newStack(), 'Imported', 5),
    'InvalidPropType', /\[Stack\/Imported\] InvalidPropType: repositoryArn is the number 5/],
  ['grantPullToOrganization: missing id', () => new L.SecureRepository(newStack(), 'Repo').grantPullToOrganization(),
    'MissingRequiredProp', /\[Stack\/Repo\] MissingRequiredProp: organizationId is missing/],
  ['grantPullToAccounts: string for array', () => new L.SecureRepository(newStack(), 'Repo').grantPullToAccounts('333333333333'),
    'InvalidPropType', /\[Stack\/Repo\] InvalidPropType: accounts is the string '333333333333'.*put it in a list/],
  ['grantPull: missing grantee', () => new L.SecureRepository(newStack(), 'Repo').grantPull(),
    'MissingRequiredProp', /\[Stack\/Repo\] MissingRequiredProp: grantee is missing/],
  ['addToResourcePolicy: string for statement', () => new L.SecureRepository(newStack(), 'Repo').addToResourcePolicy('{}'),
    'InvalidPropType', /statement is the string '\{\}', but it must be an iam.PolicyStatement/],
  ['SecurePublicRepository: string for array', () => new L.SecurePublicRepository(newStack(), 'Public', { architectures: 'ARM' }),
    'InvalidPropType', /\[Stack\/Public\] InvalidPropType: props.architectures is the string 'ARM'/],
  ['SecurePublicRepository: number for string', () => new L.SecurePublicRepository(newStack(), 'Public', { repositoryName: 7 }),
    'InvalidPropType', /props.repositoryName is the number 7/],
  ['SecurePublicRepository.grantPush: missing grantee', () => new L.SecurePublicRepository(newStack(), 'Public', { tags: { a: 'b' } }).grantPush(),
    'MissingRequiredProp', /grantee is missing/],

  // Baseline, lifecycle, guardrail
  ['RegistryBaseline: string for array', () => new L.RegistryBaseline({ imageTagMutabilityExclusionFilters: 'latest' }),
    'InvalidPropType', /^InvalidPropType: props.imageTagMutabilityExclusionFilters is the string 'latest'/],
  ['RegistryBaseline: string for boolean', () => new L.RegistryBaseline({ emptyOnDelete: 'true' }),
    'InvalidPropType', /props.emptyOnDelete is the string 'true', but it must be a boolean: use the boolean true/],
  ['RegistryBaseline: string for tags', () => new L.RegistryBaseline({ tags: 'team=platform' }),
    'InvalidPropType', /props.tags is the string 'team=platform'/],
  ['RegistryBaseline.with: null overrides', () => new L.RegistryBaseline().with(null),
    'InvalidPropType', /overrides is null/],
  ['LifecyclePolicy: missing props', () => new L.LifecyclePolicy(),
    'MissingRequiredProp', /^MissingRequiredProp: props is missing/],
  ['LifecyclePolicy: missing rules', () => new L.LifecyclePolicy({}),
    'MissingRequiredProp', /props.rules is missing/],
  ['LifecyclePolicy: one rule for a list', () => new L.LifecyclePolicy({ rules: L.LifecycleRule.expireUntagged(Duration.days(7)) }),
    'InvalidPropType', /props.rules is an instance of LifecycleRule, but it must be an array/],
  ['LifecyclePolicy.fromJson: missing json', () => L.LifecyclePolicy.fromJson(),
    'MissingRequiredProp', /json is missing/],
  ['LifecyclePolicy.releaseRetention: string for array', () => L.LifecyclePolicy.releaseRetention({ releaseTagPatterns: 'v*' }),
    'InvalidPropType', /options.releaseTagPatterns is the string 'v\*'/],
  ['LifecyclePolicy.releaseRetention: string for number', () => L.LifecyclePolicy.releaseRetention({ keepReleases: '30' }),
    'InvalidPropType', /options.keepReleases is the string '30', but it must be a number: use the number 30/],
  ['LifecyclePolicy.preview: missing images', () => L.LifecyclePolicy.secureDefault().preview(),
    'MissingRequiredProp', /images is missing/],
  ['LifecyclePolicy.preview: string for date', () => L.LifecyclePolicy.secureDefault().preview([{ imageDigest: 'sha256:a', imagePushedAt: '2026-01-01' }]),
    'InvalidPropType', /images\[0\].imagePushedAt is the string '2026-01-01', but it must be a Date/],
  ['LifecycleRule.expire: missing count', () => L.LifecycleRule.expire({ tagStatus: 'untagged' }),
    'MissingRequiredProp', /options.count is missing/],
  ['LifecycleRule.transition: string for array', () => L.LifecycleRule.transition({ count: L.CountSelection.imageCountMoreThan(3), tagPatternList: 'v*' }),
    'InvalidPropType', /options.tagPatternList is the string 'v\*'/],
  ['LifecycleRule.keepNewest: string for number', () => L.LifecycleRule.keepNewest({ count: '30' }),
    'InvalidPropType', /options.count is the string '30'/],
  ['LifecycleRule.archiveNotPulled: number for Duration', () => L.LifecycleRule.archiveNotPulled({ notPulledFor: 90 }),
    'InvalidPropType', /options.notPulledFor is the number 90, but it must be a Duration/],
  ['LifecycleRule.expireUntagged: missing age', () => L.LifecycleRule.expireUntagged(),
    'MissingRequiredProp', /age is missing/],
  ['LifecycleRule.withPriority: string for number', () => rule().withPriority('1'),
    'InvalidPropType', /rulePriority is the string '1'/],
  ['CountSelection.imageCountMoreThan: string for number', () => L.CountSelection.imageCountMoreThan('30'),
    'InvalidPropType', /count is the string '30', but it must be a number: use the number 30/],
  ['CountSelection.sinceImagePushed: missing age', () => L.CountSelection.sinceImagePushed(),
    'MissingRequiredProp', /age is missing/],
  ['EcrRepositoryGuardrail: wrong enum', () => new L.EcrRepositoryGuardrail({ mode: 'report' }),
    'InvalidPropType', /props.mode is the string 'report', but it must be one of GuardrailMode.REPORT, GuardrailMode.ENFORCE/],
  ['EcrSupplyChainChecks: string for boolean', () => new L.EcrSupplyChainChecks(undefined, { verbose: 'false' }),
    'InvalidPropType', /props.verbose is the string 'false'/],

  // Access
  ['GitHubActionsPushRole: missing props', () => new L.GitHubActionsPushRole(newStack(), 'Push'),
    'MissingRequiredProp', /\[Stack\/Push\] MissingRequiredProp: props is missing/],
  ['GitHubActionsPushRole: missing githubRepository', () => new L.GitHubActionsPushRole(newStack(), 'Push', { repositoryPrefixes: ['orders/'] }),
    'MissingRequiredProp', /\[Stack\/Push\] MissingRequiredProp: props.githubRepository is missing/],
  ['GitHubActionsPushRole: string for array', () => new L.GitHubActionsPushRole(newStack(), 'Push', { githubRepository: 'o/r', branches: 'main', repositoryPrefixes: ['orders/'] }),
    'InvalidPropType', /props.branches is the string 'main'/],
  ['GitHubActionsPushRole: string for boolean', () => new L.GitHubActionsPushRole(newStack(), 'Push', { githubRepository: 'o/r', createOnPush: 'false', repositoryPrefixes: ['orders/'] }),
    'InvalidPropType', /props.createOnPush is the string 'false'/],
  ['GitHubActionsPushRole.existingOidcProvider: missing scope', () => L.GitHubActionsPushRole.existingOidcProvider(),
    'MissingRequiredProp', /scope is missing/],
  ['RegistryPullPolicy: missing repositories', () => new L.RegistryPullPolicy(newStack(), 'Pull', {}),
    'MissingRequiredProp', /\[Stack\/Pull\] MissingRequiredProp: props.repositories is missing/],
  ['RegistryPullPolicy: string for boolean', () => { const s = newStack(); return new L.RegistryPullPolicy(s, 'Pull', { repositories: [repo(s)], pullThroughCache: 'false' }); },
    'InvalidPropType', /props.pullThroughCache is the string 'false'/],
  ['RegistryPullRole: one repository for a list', () => { const s = newStack(); return new L.RegistryPullRole(s, 'Pull', { repositories: repo(s) }); },
    'InvalidPropType', /\[Stack\/Pull\] InvalidPropType: props.repositories is an instance of ImportedSecureRepository, but it must be an array/],
  ['RegistryPullRole: null props', () => new L.RegistryPullRole(newStack(), 'Pull', null),
    'InvalidPropType', /\[Stack\/Pull\] InvalidPropType: props is null, but it is required/],
  ['RepositoryPullStatements.pullForAccounts: string for array', () => L.RepositoryPullStatements.pullForAccounts({ accounts: '333333333333' }),
    'InvalidPropType', /options.accounts is the string '333333333333'/],
  ['RepositoryPullStatements.pullForOrganization: missing id', () => L.RepositoryPullStatements.pullForOrganization({}),
    'MissingRequiredProp', /options.organizationId is missing/],
  ['RepositoryPullStatements.pullForLambda: number for string', () => L.RepositoryPullStatements.pullForLambda({ registryAccount: 111111111111, region: 'us-east-1', functionAccounts: ['333333333333'] }),
    'InvalidPropType', /options.registryAccount is the number 111111111111/],

  // Network
  ['RegistryEndpoints: missing vpc', () => new L.RegistryEndpoints(newStack(), 'Endpoints', {}),
    'MissingRequiredProp', /\[Stack\/Endpoints\] MissingRequiredProp: props.vpc is missing/],
  ['RegistryEndpoints: string for boolean', () => { const s = newStack(); return new L.RegistryEndpoints(s, 'Endpoints', { vpc: vpc(s), allowPush: 'false' }); },
    'InvalidPropType', /props.allowPush is the string 'false'/],
  ['RegistryEndpoints: string for array', () => { const s = newStack(); return new L.RegistryEndpoints(s, 'Endpoints', { vpc: vpc(s), registryAccounts: '111111111111' }); },
    'InvalidPropType', /props.registryAccounts is the string '111111111111'/],

  // Registry constructs
  ['ReplicationDestination: missing sourceAccount', () => new L.ReplicationDestination(newStack(), 'Dest', {}),
    'MissingRequiredProp', /\[Stack\/Dest\] MissingRequiredProp: props.sourceAccount is missing/],
  ['ReplicationDestination: number for string', () => new L.ReplicationDestination(newStack(), 'Dest', { sourceAccount: 222222222222 }),
    'InvalidPropType', /props.sourceAccount is the number 222222222222/],
  ['ReplicationDestination: string for array', () => new L.ReplicationDestination(newStack(), 'Dest', { sourceAccount: '222222222222', repositoryPrefixes: 'prod/' }),
    'InvalidPropType', /props.repositoryPrefixes is the string 'prod\/'/],
  ['RepositoryCreationTemplate: string for array', () => new L.RepositoryCreationTemplate(newStack(), 'Template', { prefix: 'prod', appliedFor: 'REPLICATION' }),
    'InvalidPropType', /\[Stack\/Template\] InvalidPropType: props.appliedFor is the string 'REPLICATION'/],
  ['RepositoryCreationTemplate: missing props', () => new L.RepositoryCreationTemplate(newStack(), 'Template'),
    'MissingRequiredProp', /\[Stack\/Template\] MissingRequiredProp: props is missing/],
  ['RegistryPolicy: string for boolean', () => new L.RegistryPolicy(newStack(), 'Policy', { v1Scope: 'true' }),
    'InvalidPropType', /\[Stack\/Policy\] InvalidPropType: props.v1Scope is the string 'true'/],
  ['RegistryPolicy: one statement for a list', () => new L.RegistryPolicy(newStack(), 'Policy', { statements: new iam.PolicyStatement() }),
    'InvalidPropType', /props.statements is an instance of PolicyStatement, but it must be an array/],
  ['RegistryPolicy.addStatements: undefined statement', () => new L.RegistryPolicy(newStack(), 'Policy').addStatements(undefined),
    'MissingRequiredProp', /statements\[0\] is missing/],
  ['RegistryAccountSettings: string for boolean', () => new L.RegistryAccountSettings(newStack(), 'Settings', { blobMounting: 'false' }),
    'InvalidPropType', /\[Stack\/Settings\] InvalidPropType: props.blobMounting is the string 'false'/],
  ['UpstreamRegistry.dockerHub: missing options', () => L.UpstreamRegistry.dockerHub(),
    'MissingRequiredProp', /^MissingRequiredProp: options is missing/],
  ['UpstreamRegistry.githubContainerRegistry: string for credentials', () => L.UpstreamRegistry.githubContainerRegistry({ credentials: 'arn:aws:secretsmanager:x' }),
    'InvalidPropType', /options.credentials is the string 'arn:aws:secretsmanager:x', but it must be an UpstreamCredentials/],
  ['UpstreamRegistry.gitLab: null options', () => L.UpstreamRegistry.gitLab(null),
    'InvalidPropType', /options is null, but it is required/],
  ['UpstreamRegistry.chainguard: missing credentials', () => L.UpstreamRegistry.chainguard({}),
    'MissingRequiredProp', /options.credentials is missing/],
  ['UpstreamRegistry.azureContainerRegistry: missing registryName', () => L.UpstreamRegistry.azureContainerRegistry({ credentials: credentials() }),
    'MissingRequiredProp', /options.registryName is missing/],
  ['UpstreamRegistry.ecr: number for string', () => L.UpstreamRegistry.ecr({ account: 222222222222, region: 'eu-west-1' }),
    'InvalidPropType', /options.account is the number 222222222222/],
  ['UpstreamCredentials.fromSecret: missing secret', () => L.UpstreamCredentials.fromSecret(),
    'MissingRequiredProp', /secret is missing/],
  ['UpstreamCredentials.placeholder: number for string', () => L.UpstreamCredentials.placeholder(5),
    'InvalidPropType', /secretName is the number 5/],
  ['PullThroughCache: missing upstream', () => new L.PullThroughCache(newStack(), 'Cache', {}),
    'MissingRequiredProp', /\[Stack\/Cache\] MissingRequiredProp: props.upstream is missing/],
  ['PullThroughCache.grantPullThroughCache: missing grantee', () => new L.PullThroughCache(newStack(), 'Cache', { upstream: L.UpstreamRegistry.quay() }).grantPullThroughCache(),
    'MissingRequiredProp', /\[Stack\/Cache\] MissingRequiredProp: grantee is missing/],
  ['ScanFindingAlerts: string for array', () => new L.ScanFindingAlerts(newStack(), 'Alerts', { repositoryPrefixes: 'prod/' }),
    'InvalidPropType', /\[Stack\/Alerts\] InvalidPropType: props.repositoryPrefixes is the string 'prod\/'/],
  ['ScanFindingAlerts.addPullCountAlarm: string for number', () => new L.ScanFindingAlerts(newStack(), 'Alerts').addPullCountAlarm('Pulls', { repositoryName: 'prod/orders', threshold: '100' }),
    'InvalidPropType', /\[Stack\/Alerts\] InvalidPropType: options.threshold is the string '100'/],
  ['ScanFindingAlerts.addApiQuotaAlarm: string for number', () => new L.ScanFindingAlerts(newStack(), 'Alerts')
    .addApiQuotaAlarm('Quota', { api: 'GetAuthorizationToken', thresholdPercent: '80' }),
  'InvalidPropType', /\[Stack\/Alerts\] InvalidPropType: options.thresholdPercent is the string '80', but it must be a number/],
  ['grantEcrToEcrCache: number for string', () => registry(newStack()).grantEcrToEcrCache(333333333333),
    'InvalidPropType', /\[Stack\/Registry\] InvalidPropType: downstreamAccount is the number 333333333333/],
  ['signingProfilesFor: missing name', () => registry(newStack()).signingProfilesFor(),
    'MissingRequiredProp', /repositoryName is missing/],
  ['SecureRepository.grantEcrToEcrCache: missing account', () => new L.SecureRepository(newStack(), 'Repo').grantEcrToEcrCache(),
    'MissingRequiredProp', /\[Stack\/Repo\] MissingRequiredProp: downstreamAccount is missing/],
  ['ScanFindingAlerts.addPullCountAlarm: missing repositoryName', () => new L.ScanFindingAlerts(newStack(), 'Alerts').addPullCountAlarm('Pulls', { threshold: 100 }),
    'MissingRequiredProp', /options.repositoryName is missing/],
  ['VerifiedImage: missing source', () => new L.VerifiedImage(newStack(), 'Image', { repository: repo(newStack()) }),
    'MissingRequiredProp', /\[Stack\/Image\] MissingRequiredProp: props.source is missing/],
  ['VerifiedImage: missing props', () => new L.VerifiedImage(newStack(), 'Image'),
    'MissingRequiredProp', /\[Stack\/Image\] MissingRequiredProp: props is missing/],
  ['VerifiedImage: string for boolean', () => new L.VerifiedImage(newStack(), 'Image', { repository: repo(newStack()), source: L.VerifiedImageSource.fromTag('v1'), requireSignature: 'false' }),
    'InvalidPropType', /props.requireSignature is the string 'false', but it must be a boolean/],
  ['VerifiedImageSource.fromDigest: number', () => L.VerifiedImageSource.fromDigest(42),
    'InvalidPropType', /digest is the number 42, but it must be a string/],
  ['ComplianceProfile.apply: string for boolean', () => L.ComplianceProfile.apply(new App(), { controlTower: 'yes' }),
    'InvalidPropType', /\[<root>\] InvalidPropType: props.controlTower is the string 'yes', but it must be a boolean/],
  ['ReplicationFailureAlerts: string for array', () => new L.ReplicationFailureAlerts(newStack(), 'Failures', { repositoryPrefixes: 'prod/' }),
    'InvalidPropType', /\[Stack\/Failures\] InvalidPropType: props.repositoryPrefixes is the string 'prod\/'/],
];

describe('plain JavaScript callers get our error, never a TypeError', () => {
  test.each(CASES)('%s', (_name, call, code, names) => {
    const e = thrown(call);
    expect(e).toBeDefined();
    expect(e).not.toBeInstanceOf(TypeError);
    expect(lib.SecureRegistryErrors.isSecureRegistryError(e)).toBe(true);
    expect(lib.SecureRegistryErrors.codeOf(e)).toBe(code);
    expect(e.message).toMatch(names);
  });

  test('every exported class with a constructor or static factory is in the table', () => {
    // Classes whose entry points take no props (enums, the error guard) are left out on purpose.
    // CreationTemplateRole is @internal.
    const exempt = new Set(['SecureRegistryErrors', 'SecureRepositoryBase', 'CreationTemplateRole']);
    const classes = Object.entries(lib).filter(([name, v]) => typeof v === 'function' && /^[A-Z]/.test(name) && !exempt.has(name))
      .map(([name]) => name);
    const covered = new Set(CASES.map(([name]) => name.split(/[.:]/)[0]));
    expect(classes.filter((c) => !covered.has(c))).toEqual([]);
  });

  test('a string of filters is one error, not one per character', () => {
    const e = thrown(() => new L.SecureRegistry(newStack(), 'Registry', { scanOnPushFilters: 'prod/*', scanContinuousFilters: 'x' }));
    expect(lib.SecureRegistryErrors.codesOf(e)).toEqual(['InvalidPropType', 'InvalidPropType']);
  });

  test("blobMounting: 'false' does not turn blob mounting on", () => {
    const s = newStack();
    expect(() => new L.SecureRegistry(s, 'Registry', { blobMounting: 'false' })).toThrow(/InvalidPropType/);
    Template.fromStack(s).resourceCountIs('Custom::EcrAccountSetting', 0);
  });

  test('unresolved tokens are skipped, not refused', () => {
    const s = newStack();
    // A list token where a list is expected, a string token inside a list, string and number tokens.
    const list = Lazy.list({ produce: () => ['prod/*'] });
    expect(() => checkArgs(s, [['statements', list, arrayOf(STRING)], ['value', Lazy.any({ produce: () => true }), BOOLEAN]])).not.toThrow();
    expect(() => new L.SecureRegistry(s, 'Registry', { scanOnPushFilters: ['prod/*', Lazy.string({ produce: () => 'dev/*' })] })).not.toThrow();
    expect(() => new L.SecureRepository(s, 'Repo', { repositoryName: Lazy.string({ produce: () => 'prod/orders' }) })).not.toThrow();
    expect(() => L.CountSelection.imageCountMoreThan(Token.asNumber(Lazy.any({ produce: () => 3 })))).not.toThrow(/InvalidPropType/);
    expect(() => new L.RegistryBaseline({ tags: { team: Lazy.string({ produce: () => 'platform' }) } })).not.toThrow();
  });

  test('values made by another copy of aws-cdk-lib (duck typed) are accepted', () => {
    const s = newStack();
    const key = kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const lookalike = { keyArn: key.keyArn, keyId: key.keyId, env: key.env, stack: key.stack, node: key.node, grant: key.grant.bind(key) };
    expect(() => new L.RegistryBaseline({ encryptionKey: lookalike })).not.toThrow();
    expect(() => new L.SecureRegistry(s, 'Registry', { pullTimeUpdateExclusions: [role(s)] })).not.toThrow();
  });
});
