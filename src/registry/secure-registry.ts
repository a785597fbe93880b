import { CfnResource, Duration, Names, Stack, Token, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_ecr as ecr, aws_signer as signer } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { BasicScanTypeVersion, RegistryAccountSettings, RegistryPolicyScope } from './account-settings';
import { CreationTemplateAppliedFor, CreationTemplateOptions, RepositoryCreationTemplate } from './creation-template';
import { ScanFindingAlerts, ScanFindingAlertsProps } from './finding-alerts';
import { PullThroughCache, PullThroughCacheOptions } from './pull-through-cache';
import { RegistryPolicy } from './registry-policy';
import { RegistryReplication, ReplicationRuleOptions } from './replication';
import { RegistryScanning, ScanType } from './scanning';
import { RegistrySigning, SigningRuleOptions } from './signing';
import { UpstreamRegistry } from './upstream-registry';
import { RegistryBaseline } from '../baseline/registry-baseline';
import { LifecyclePolicy, LifecycleRule } from '../lifecycle';
import {
  ACCOUNT_SETTING_NAMES, REGISTRY_POLICY_SETTING, accountSettingClaim, claimEnvironment as environmentOf, otherClaimant, recordClaim,
} from '../private/claims';
import { ECR_TO_ECR_CACHE_UPSTREAM_POLICY_ACTIONS } from '../private/ecr-actions';
import { ROOT, normalizeTemplatePrefix, repositoryNamePattern, validateTemplatePrefix } from '../private/ecr-model';
import { Problems, SecureRegistryError } from '../private/errors';
import { CREATION_TEMPLATE_OPTIONS } from '../private/registry-shapes';
import { futurePath } from '../private/scope-path';
import {
  BASELINE, BOOLEAN, GRANTABLE, ID, POLICY_STATEMENT, ROLE, SIGNING_PROFILE, STRING,
  SUBNET_SELECTION, UPSTREAM, VPC, arrayOf, checkArgs, constructArgs, enumOf, required, struct, withExample,
} from '../private/shape';
import { baselineEncryptionKey } from '../private/shared-key';
import { validateAccountId } from '../private/validation';
import { IRepositoryRegistry, SecureRepository, SecureRepositoryOptions } from '../repository/secure-repository';

/**
 * Options for `SecureRegistry.grantEcrToEcrCache`.
 */
export interface EcrToEcrCacheGrantOptions {
  /**
   * The repositories the downstream cache may pull: those whose names start with this prefix
   * (ECR's trailing `/` assumed), or `ROOT` for every repository.
   *
   * @default ROOT - every repository of the registry
   */
  readonly repositoryPrefix?: string;
}

/**
 * Properties of a `SecureRegistry`.
 */
export interface SecureRegistryProps {
  /**
   * The posture of every repository of the registry: declared ones (`addRepository`) and the
   * ones ECR creates from creation templates.
   *
   * @default - `new RegistryBaseline()` encrypted with the stack's customer managed key
   */
  readonly baseline?: RegistryBaseline;

  /**
   * Basic (AWS native, free) or enhanced (Amazon Inspector, billed) scanning.
   *
   * Enhanced scanning enables Amazon Inspector for ECR in the account: the deploying role needs
   * `inspector2:Enable` and `iam:CreateServiceLinkedRole` for `inspector2.amazonaws.com`.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html
   * Enhanced is the default because it is what finds vulnerabilities after the push (new CVEs
   * in images already deployed) and in language packages, and what Security Hub (Inspector.2)
   * and our own EcrSupplyChain-ESC8 ask for. Choose BASIC to avoid Inspector's per-image cost.
   *
   * @default ScanType.ENHANCED - Amazon Inspector scans on push (billed per image scanned)
   */
  readonly scanType?: ScanType;

  /**
   * Repositories scanned on push (scanning filters: `*` replaces zero or more characters and
   * anchors the match; a filter without `*` matches every name that contains it). The prefix
   * of every creation template is added, so repositories ECR creates are scanned too.
   *
   * @default ['*'] - every repository
   */
  readonly scanOnPushFilters?: string[];

  /**
   * Repositories scanned continuously (ENHANCED only); where both rules match, continuous
   * scanning wins.
   *
   * @default - none
   */
  readonly scanContinuousFilters?: string[];

  /**
   * Turn on blob mounting (pushes reuse layers already in the registry). Opt-in: creates the
   * account settings custom resource.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/blob-mounting.html
   * @default - the account setting is left as it is
   */
  readonly blobMounting?: boolean;

  /**
   * The registry policy scope. `V2` sets it through the account settings custom resource, and
   * the registry policy is created after it (under V1, ECR rejects every action but three).
   * `V1` says the registry is still on the original scope: nothing is set, and registry policy
   * statements are validated for V1.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
   * @default - the account setting is left as it is; statements are validated for V2, the scope
   * the ECR User Guide documents as current
   */
  readonly registryPolicyScope?: RegistryPolicyScope;

  /**
   * The basic scanning engine. Opt-in: creates the account settings custom resource.
   *
   * @default - the account setting is left as it is
   */
  readonly basicScanTypeVersion?: BasicScanTypeVersion;

  /**
   * Managed signing rules; more can be added with `addSigningRule`.
   *
   * @default - no signing
   */
  readonly signingRules?: SigningRuleOptions[];

  /**
   * Principals whose pulls do not update an image's last-pull time (for example a scanner or
   * a backup job), so `sinceImagePulled` lifecycle rules still archive images nobody else pulls.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-time-update-exclusions.html
   * @default - none
   */
  readonly pullTimeUpdateExclusions?: iam.IRole[];

  /**
   * The VPC the registry's Lambda functions run in (today the account settings custom
   * resource, created for `blobMounting`, `registryPolicyScope` `V2` or `basicScanTypeVersion`),
   * as AWS Control Tower's proactive control CT.LAMBDA.PR.3 asks. The subnets need a route to
   * the ECR API and to CloudFormation's response bucket in S3: a NAT gateway, or
   * `RegistryEndpoints` with `customResources: true`.
   *
   * @default - the functions run outside any VPC, and that finding is acknowledged with its reason
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` the registry's Lambda functions run in.
   *
   * @default - the VPC's private subnets (with egress, else isolated)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** "up to 100 exclusions per account". */
const MAX_PULL_TIME_EXCLUSIONS = 100;
/** 50 pull-through cache rules per registry, not adjustable (ECR service quotas). */
const MAX_PULL_THROUGH_CACHE_RULES = 50;
/** `PrincipalArn` of `AWS::ECR::PullTimeUpdateExclusion`: at most 200 characters (CloudFormation schema). */
const MAX_PRINCIPAL_ARN_LENGTH = 200;
const PULL_TIME_EXCLUSION_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)\/[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

/** The shape of `SigningRuleOptions`, checked at run time for JavaScript callers. */
const SIGNING_RULE_OPTIONS = struct('SigningRuleOptions', () => ({
  repositoryFilters: arrayOf(STRING, "['prod/*']"),
  signingProfile: SIGNING_PROFILE,
}));

/** The shape of `SecureRegistryProps`. */
const SECURE_REGISTRY_PROPS = struct('SecureRegistryProps', () => ({
  baseline: BASELINE,
  scanType: enumOf('ScanType', () => ScanType),
  scanOnPushFilters: arrayOf(STRING, "['*']"),
  scanContinuousFilters: arrayOf(STRING, "['prod/*']"),
  blobMounting: BOOLEAN,
  registryPolicyScope: enumOf('RegistryPolicyScope', () => RegistryPolicyScope),
  basicScanTypeVersion: enumOf('BasicScanTypeVersion', () => BasicScanTypeVersion),
  signingRules: arrayOf(SIGNING_RULE_OPTIONS),
  pullTimeUpdateExclusions: arrayOf(ROLE),
  vpc: VPC,
  vpcSubnets: SUBNET_SELECTION,
}));

/** SecureRegistry (and ReplicationDestination) owners by account+region, per app. */
const OWNERS = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * One secure Amazon ECR registry per account and Region: it owns the registry-level
 * singletons (scanning configuration, replication configuration, registry policy, signing
 * configuration, account settings) and merges every contribution into one resource each.
 *
 * Registry-level CloudFormation resources are singletons per account and Region: two stacks
 * that both declare one overwrite each other at deploy. A second `SecureRegistry` for the same
 * account and Region in one app is therefore an error, and so is a stack without an explicit
 * `env` (the library could not tell two registries apart).
 *
 * Every repository in it, declared (`addRepository`), created on push, pulled through a cache
 * or replicated in, carries the same `RegistryBaseline`: ECR-created ones through creation
 * templates, whose prefixes are always covered by the scanning rules.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
 *
 * @example
 * const registry = new SecureRegistry(this, 'Registry', {
 *   scanType: ScanType.ENHANCED,
 *   scanContinuousFilters: ['prod/*'],
 * });
 * registry.addRepository('Orders', { repositoryName: 'prod/orders' });
 * registry.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
 * registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
 */
export class SecureRegistry extends Construct implements IRepositoryRegistry {
  /** The account of the registry. */
  public readonly account: string;
  /** The Region of the registry. */
  public readonly region: string;
  /** The posture every repository of the registry starts from. */
  public readonly baseline: RegistryBaseline;
  /**
   * The customer managed key of the baseline.
   *
   * @default - none when the baseline uses AES256
   */
  public readonly encryptionKey?: kms.IKey;
  /** The registry scanning configuration (always present: it is what scans repositories). */
  public readonly scanningConfiguration: ecr.CfnRegistryScanningConfiguration;
  /** The scan type. */
  public readonly scanType: ScanType;

  private readonly scanning: RegistryScanning;
  private readonly replication: RegistryReplication;
  private readonly signing: RegistrySigning;
  private readonly templates = new Map<string, RepositoryCreationTemplate>();
  private readonly caches = new Map<string, PullThroughCache>();
  private readonly pullTimeExclusions = new Set<string>();
  private policy?: RegistryPolicy;
  private readonly policyScope?: RegistryPolicyScope;
  private readonly accountSettings?: RegistryAccountSettings;
  private alerts?: ScanFindingAlerts;

  constructor(scope: Construct, id: string, props: SecureRegistryProps = {}) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, SECURE_REGISTRY_PROPS]]);
    super(scope, id);
    const stack = Stack.of(this);
    this.account = stack.account;
    this.region = stack.region;
    claimEnvironment(this, 'SecureRegistry');
    claimRegistrySettings(this);
    this.node.addValidation({ validate: () => this.validateSingleOwner() });

    this.scanning = new RegistryScanning(this, props, () => this.templates.keys());
    this.scanningConfiguration = this.scanning.resource;
    this.scanType = this.scanning.scanType;
    this.replication = new RegistryReplication(this, this.account, this.region);
    this.signing = new RegistrySigning(this, this.region);

    const base = props.baseline ?? new RegistryBaseline();
    const resolved = base._resolve();
    this.encryptionKey = baselineEncryptionKey(this, resolved);
    // Repositories and templates of the registry name the key the registry chose.
    this.baseline = this.encryptionKey && !resolved.encryptionKey ? base.with({ encryptionKey: this.encryptionKey }) : base;

    this.policyScope = props.registryPolicyScope;
    const scopeToSet = props.registryPolicyScope === RegistryPolicyScope.V1 ? undefined : props.registryPolicyScope;
    if (props.blobMounting !== undefined || scopeToSet !== undefined || props.basicScanTypeVersion !== undefined) {
      this.accountSettings = new RegistryAccountSettings(this, 'AccountSettings', {
        blobMounting: props.blobMounting,
        registryPolicyScope: scopeToSet,
        basicScanTypeVersion: props.basicScanTypeVersion,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
      });
    }
    for (const rule of props.signingRules ?? []) {
      this.addSigningRule(rule);
    }
    for (const role of props.pullTimeUpdateExclusions ?? []) {
      this.addPullTimeUpdateExclusion(role);
    }
  }

  /**
   * Declares a repository with the registry's baseline (options override it for this
   * repository only). The same as `new SecureRepository(scope, id, { registry, ...options })`.
   */
  public addRepository(id: string, options: SecureRepositoryOptions = {}): SecureRepository {
    // The repository checks the fields of its props.
    checkArgs(this, [['id', id, required(ID)], ['options', options, struct('SecureRepositoryOptions', () => ({}))]]);
    return new SecureRepository(this, id, { ...options, registry: this });
  }

  /**
   * Adds a repository creation template (`CreationTemplate-<prefix>`) with the registry's
   * baseline unless another is given, and adds its prefix to the scan-on-push rule.
   *
   * A `CREATE_ON_PUSH` template turns on repository creation by push for every principal
   * allowed `ecr:CreateRepository` on a matching name: the registry adds one only here.
   */
  public addCreationTemplate(options: CreationTemplateOptions): RepositoryCreationTemplate {
    checkArgs(this, [['options', options, required(CREATION_TEMPLATE_OPTIONS)]]);
    const baseline = options.baseline ?? this.baseline;
    const prefix = normalizeTemplatePrefix(options.prefix);
    const existing = this.templates.get(prefix);
    if (existing) {
      if (existing.baseline === baseline || (options.baseline === undefined && existing.baseline === this.baseline)) {
        existing._addAppliedFor(options.appliedFor);
        return existing;
      }
      throw new SecureRegistryError(this, 'DuplicateCreationTemplatePrefix',
        `a creation template for prefix '${prefix}' already exists (${existing.node.path}, for ` +
        `${existing.appliesTo.join(', ')}) with another baseline: ECR keeps one template per prefix; ` +
        'use a more specific prefix or the same baseline');
    }
    // Each template gets its own role, limited to its prefix and key.
    const template = new RepositoryCreationTemplate(this, `CreationTemplate-${idSafe(prefix)}`, { ...options, baseline });
    this.templates.set(template.prefix, template);
    return template;
  }

  /**
   * Adds a pull-through cache rule for `upstream` (`PullThroughCache-<prefix>`) and a
   * `PULL_THROUGH_CACHE` creation template for its prefix with the registry's baseline, except
   * that tags are MUTABLE: ECR refreshes a cached tag by moving it to the upstream's new image,
   * which an immutable repository refuses, so the cache would serve stale images forever
   * (ECR's docs recommend MUTABLE for pull-through cache templates). Scanning covers the prefix.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
   */
  public addPullThroughCache(upstream: UpstreamRegistry, options: PullThroughCacheOptions = {}): PullThroughCache {
    checkArgs(this, [
      ['upstream', upstream, required(UPSTREAM)],
      ['options', options, struct('PullThroughCacheOptions', () => ({ ecrRepositoryPrefix: STRING, upstreamRepositoryPrefix: STRING }))],
    ]);
    const prefix = options.ecrRepositoryPrefix ?? upstream.defaultPrefix;
    const key = normalizeTemplatePrefix(prefix);
    const clash = this.caches.get(key);
    if (clash) {
      throw new SecureRegistryError(this, 'DuplicatePullThroughCachePrefix',
        `ecrRepositoryPrefix '${prefix}' is already used by ${clash.node.path} (${clash.upstream.url}): ` +
        "every cache rule needs its own prefix; pass ecrRepositoryPrefix, e.g. 'docker-hub-mirror'");
    }
    if (this.caches.size >= MAX_PULL_THROUGH_CACHE_RULES) {
      throw new SecureRegistryError(this, 'TooManyPullThroughCacheRules',
        `a registry has at most ${MAX_PULL_THROUGH_CACHE_RULES} pull-through cache rules ` +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html)');
    }
    const cache = new PullThroughCache(this, `PullThroughCache-${idSafe(prefix)}`, { ...options, upstream });
    this.caches.set(key, cache);
    const b = this.baseline.props;
    const cacheBaseline = new RegistryBaseline({
      ...b,
      imageTagMutability: ecr.TagMutability.MUTABLE,
      imageTagMutabilityExclusionFilters: undefined,
      // Each refresh of a cached tag leaves the old image untagged. Cached images are pulled, not
      // pushed, so no signing rule signs them, and they can be pulled again from upstream: here
      // an untagged rule is safe, and without one the cache grows forever.
      lifecyclePolicy: b.lifecyclePolicy ?? new LifecyclePolicy({
        rules: [LifecycleRule.keepNewest({ count: 100 }), LifecycleRule.expireUntagged(Duration.days(7))],
      }),
    });
    const existing = this.templates.get(normalizeTemplatePrefix(cache.ecrRepositoryPrefix));
    if (existing) {
      throw new SecureRegistryError(this, 'DuplicateCreationTemplatePrefix',
        `pull-through cache prefix '${cache.ecrRepositoryPrefix}' already has a creation template (${existing.node.path}): ` +
        'a cache needs its own template with mutable tags; use another ecrRepositoryPrefix');
    }
    const template = this.addCreationTemplate({
      prefix: cache.ecrRepositoryPrefix,
      appliedFor: [CreationTemplateAppliedFor.PULL_THROUGH_CACHE],
      baseline: cacheBaseline,
      description: `Pull-through cache for ${upstream.url}: secure baseline with MUTABLE tags so the cache can refresh them`,
    });
    // The first pull through the rule creates the cache repository from the template: a rule that
    // is live first would create it with ECR's defaults (AES256, mutable, no lifecycle policy).
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
    cache.resource.node.addDependency(template.resource);
    return cache;
  }

  /**
   * Replicates images to another Region (and optionally another account), all in the one
   * `ReplicationConfiguration`: calls with the same prefixes share a rule (one more
   * destination), calls with other prefixes add a rule.
   *
   * The destination needs a `ReplicationDestination` (creation template, and for another
   * account the registry policy); replication is not retroactive and does not chain.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
   */
  public replicateTo(options: ReplicationRuleOptions): void {
    checkArgs(this, [['options', options, required(struct('ReplicationRuleOptions', () => ({
      region: required(withExample(STRING, "'us-west-2'")),
      account: STRING,
      repositoryPrefixes: arrayOf(STRING, "['prod/']"),
    }), "{ region: 'us-west-2', repositoryPrefixes: ['prod/'] }"))]]);
    this.replication.replicateTo(options);
  }

  /**
   * Adds a statement to the registry policy (`RegistryPolicy`, created with the first one).
   * ECR must accept it in a registry policy (V2 scope): AWS principals, ECR actions,
   * repositories of this registry.
   */
  public addToRegistryPolicy(statement: iam.PolicyStatement): void {
    checkArgs(this, [['statement', statement, required(POLICY_STATEMENT)]]);
    if (!this.policy) {
      this.policy = new RegistryPolicy(this, 'RegistryPolicy', { v1Scope: this.policyScope === RegistryPolicyScope.V1 });
      if (this.policyScope === RegistryPolicyScope.V2 && this.accountSettings) {
        // Until the scope is V2, ECR rejects a registry policy with actions other than the three V1
        // ones: create the policy after the setting.
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
        this.policy.node.addDependency(this.accountSettings);
      }
    }
    this.policy.addStatements(statement);
  }

  /**
   * Lets the registry of another account cache this registry's images through an ECR-to-ECR
   * pull-through cache rule (`UpstreamRegistry.ecr` there): the registry-policy statement AWS
   * documents for the upstream side, `ecr:BatchGetImage`, `ecr:BatchImportUpstreamImage`,
   * `ecr:GetDownloadUrlForLayer` and `ecr:GetImageCopyStatus` for the downstream account on the
   * repositories under `repositoryPrefix` (every repository by default). Not needed when both
   * registries are in one account. These actions need the registry policy's V2 scope (the
   * default here; with `RegistryPolicyScope.V1` the policy is refused at synth). For one
   * repository, `SecureRepository.grantEcrToEcrCache` uses the repository policy instead.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
   * @param downstreamAccount the 12-digit id of the account whose cache rule pulls from here
   */
  public grantEcrToEcrCache(downstreamAccount: string, options: EcrToEcrCacheGrantOptions = {}): void {
    checkArgs(this, [
      ['downstreamAccount', downstreamAccount, required(withExample(STRING, "'333333333333'"))],
      ['options', options, struct('EcrToEcrCacheGrantOptions', () => ({ repositoryPrefix: STRING }))],
    ]);
    const problems = new Problems();
    validateAccountId(problems, downstreamAccount, 'downstreamAccount');
    if (options.repositoryPrefix !== undefined) {
      validateTemplatePrefix(problems, options.repositoryPrefix, 'repositoryPrefix');
    }
    if (!Token.isUnresolved(downstreamAccount) && !Token.isUnresolved(this.account) && downstreamAccount === this.account) {
      problems.add('PullThroughCacheSameAccount',
        `downstreamAccount ${downstreamAccount} is this registry's account: a cache in the same account needs no ` +
        'registry policy (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html); remove the call');
    }
    problems.throwIfAny(this);
    const prefix = options.repositoryPrefix ?? ROOT;
    this.addToRegistryPolicy(new iam.PolicyStatement({
      // IAM wants each Sid unique in a policy: one per account and prefix (letters and digits).
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
      sid: Token.isUnresolved(downstreamAccount) || Token.isUnresolved(prefix) ? undefined
        : `PullThroughCache${downstreamAccount}${prefix === ROOT ? '' : normalizeTemplatePrefix(prefix)}`.replace(/[^A-Za-z0-9]/g, ''),
      principals: [new iam.AccountPrincipal(downstreamAccount)],
      actions: ECR_TO_ECR_CACHE_UPSTREAM_POLICY_ACTIONS,
      resources: [Stack.of(this).formatArn({
        service: 'ecr',
        resource: 'repository',
        resourceName: repositoryNamePattern(prefix),
        account: this.account,
        region: this.region,
      })],
    }));
  }

  /**
   * Adds a managed signing rule: images pushed to matching repositories are signed with an
   * AWS Signer profile (the registry's own Notation profile unless another is given). Push
   * grants on covered repositories of this registry get `signer:SignPayload` on the profile.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
   */
  public addSigningRule(options: SigningRuleOptions = {}): signer.ISigningProfile {
    checkArgs(this, [['options', options, SIGNING_RULE_OPTIONS]]);
    return this.signing.addRule(options);
  }

  /**
   * Grants `grantee` what pushing to the repository named `repositoryName` needs beyond ECR's
   * push actions: `signer:SignPayload` on the profile of every signing rule that covers it, for
   * rules added before or after this call. `SecureRepository.grantPush` calls it for the
   * repositories of this registry.
   */
  public grantPushRequirements(grantee: iam.IGrantable, repositoryName: string): void {
    checkArgs(this, [['grantee', grantee, required(GRANTABLE)], ['repositoryName', repositoryName, required(STRING)]]);
    this.signing.grantPushRequirements(grantee, repositoryName);
  }

  /**
   * Whether a scanning rule of the registry (creation template prefixes included) covers the
   * repository named `repositoryName`; a token counts as covered.
   */
  public scansRepository(repositoryName: string): boolean {
    checkArgs(this, [['repositoryName', repositoryName, required(STRING)]]);
    return this.scanning.scans(repositoryName);
  }

  /**
   * The signing profiles of the rules that cover the repository named `repositoryName` (rules
   * without filters cover every repository); a token name is covered by no rule.
   */
  public signingProfilesFor(repositoryName: string): signer.ISigningProfile[] {
    checkArgs(this, [['repositoryName', repositoryName, required(STRING)]]);
    return this.signing.profilesFor(repositoryName);
  }

  /**
   * Adds scan-finding alerts (`FindingAlerts`); a registry has at most one.
   */
  public addFindingAlerts(props: ScanFindingAlertsProps = {}): ScanFindingAlerts {
    if (this.alerts) {
      throw new SecureRegistryError(this, 'DuplicateFindingAlerts',
        `finding alerts already exist (${this.alerts.node.path}): configure severities and prefixes in one call`);
    }
    this.alerts = new ScanFindingAlerts(this, 'FindingAlerts', props);
    return this.alerts;
  }

  /**
   * Excludes a role from pull-time updates: its pulls do not change an image's last-pull
   * time (`AWS::ECR::PullTimeUpdateExclusion`, at most 100 per account).
   */
  public addPullTimeUpdateExclusion(role: iam.IRole): void {
    checkArgs(this, [['role', role, required(ROLE)]]);
    const arn = role.roleArn;
    const problems = new Problems();
    if (!Token.isUnresolved(arn) && !PULL_TIME_EXCLUSION_ARN.test(arn)) {
      problems.add('InvalidPullTimeUpdateExclusion',
        `role ARN '${arn}' is not an IAM role or user ARN ECR accepts: use arn:aws:iam::<account>:role/<name>`);
    }
    if (this.pullTimeExclusions.size + 1 > MAX_PULL_TIME_EXCLUSIONS) {
      problems.add('TooManyPullTimeUpdateExclusions',
        `this would be pull-time update exclusion ${this.pullTimeExclusions.size + 1}; ECR accepts at most ${MAX_PULL_TIME_EXCLUSIONS} per account`);
    }
    if (!Token.isUnresolved(arn) && arn.length > MAX_PRINCIPAL_ARN_LENGTH) {
      problems.add('InvalidPullTimeUpdateExclusion',
        `role ARN '${arn}' is ${arn.length} characters; ECR accepts principal ARNs of at most ${MAX_PRINCIPAL_ARN_LENGTH}: use a role with a shorter path and name`);
    }
    const id = `PullTimeUpdateExclusion-${Names.uniqueId(role)}`;
    // The principal ARN is the exclusion's identifier: two imports of one role are one exclusion.
    const key = Token.isUnresolved(arn) ? id : arn;
    if (this.pullTimeExclusions.has(key)) {
      problems.add('DuplicatePullTimeUpdateExclusion',
        `${role.node.path} (${Token.isUnresolved(arn) ? 'this role' : arn}) is already excluded from pull-time updates: ` +
        'ECR keeps one exclusion per principal ARN; drop this call');
    }
    problems.throwIfAny(this);
    this.pullTimeExclusions.add(key);
    new ecr.CfnPullTimeUpdateExclusion(this, id, { principalArn: arn });
  }

  /**
   * Registry-wide resources declared outside this registry (an L1, another library) for the same
   * account and Region: each would overwrite the registry's own at deploy.
   */
  private validateSingleOwner(): string[] {
    const problems = new Problems();
    const env = environmentOf(this);
    for (const node of this.node.root.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || !REGISTRY_SINGLETON_TYPES.includes(node.cfnResourceType) ||
        node.node.scopes.includes(this) || environmentOf(node).key !== env.key) {
        continue;
      }
      problems.add('DuplicateRegistrySetting',
        `${node.node.path} declares an ${node.cfnResourceType} for ${env.label}, which this registry owns (one per account ` +
        'and Region: the two would overwrite each other at deploy); remove it and configure the registry instead ' +
        '(scanning props, replicateTo, addToRegistryPolicy, addSigningRule)');
    }
    return problems.toValidationMessages();
  }

  /** The creation templates of the registry, by prefix. */
  public get creationTemplates(): RepositoryCreationTemplate[] {
    return [...this.templates.values()];
  }

}

/**
 * Claims the registry-level singletons of the scope's account and Region for `owner`, or
 * fails naming the construct that already owns them.
 */
function claimEnvironment(owner: Construct, kind: string): void {
  const stack = Stack.of(owner);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    throw new SecureRegistryError(owner, 'EnvironmentRequired',
      `a ${kind} owns registry-level resources that exist once per account and Region, so its stack ` +
      `${stack.node.path} needs an explicit env: new Stack(app, 'Registry', { env: { account: '111111111111', region: 'us-east-1' } })`);
  }
  const root = owner.node.root;
  let owners = OWNERS.get(root);
  if (!owners) {
    owners = new Map();
    OWNERS.set(root, owners);
  }
  const key = `${stack.account}/${stack.region}`;
  const existing = owners.get(key);
  if (existing) {
    throw new SecureRegistryError(owner, 'DuplicateRegistry',
      `${existing.node.path} already owns the registry of ${key}; ECR keeps one registry policy, replication, scanning ` +
      'and signing configuration per account and Region, and two would overwrite each other at deploy: ' +
      'use that one (pass it as `registry`, or call its methods) instead of declaring a second');
  }
  owners.set(key, owner);
}

/** Registry-wide CloudFormation resources: one per account and Region. */
const REGISTRY_SINGLETON_TYPES = [
  'AWS::ECR::RegistryPolicy', 'AWS::ECR::ReplicationConfiguration', 'AWS::ECR::RegistryScanningConfiguration',
  'AWS::ECR::SigningConfiguration',
];

/**
 * Claims the registry-wide settings that standalone constructs (`RegistryPolicy`,
 * `RegistryAccountSettings`) could also declare, or fails naming the one that already does.
 */
function claimRegistrySettings(registry: Construct): void {
  const settings = [REGISTRY_POLICY_SETTING, ...ACCOUNT_SETTING_NAMES.map(accountSettingClaim)];
  const problems = new Problems();
  for (const setting of settings) {
    const other = otherClaimant(registry, setting);
    if (other) {
      problems.add('DuplicateRegistrySetting',
        `${other.node.path} already declares the ${setting.replace(/^registry-wide setting: /, '')} of ` +
        `${environmentOf(registry).label}, which a SecureRegistry owns: remove that construct and configure it here ` +
        '(addToRegistryPolicy; blobMounting, registryPolicyScope, basicScanTypeVersion)');
    }
  }
  problems.throwIfAny(registry);
  settings.forEach((setting) => recordClaim(registry, setting));
}

/** Construct ids cannot contain `/`. */
function idSafe(prefix: string): string {
  return prefix.replace(/\/+$/, '').replace(/\//g, '-');
}
