import {
  Annotations, Lazy, Names, Stack, Token,
  aws_ecr as ecr, aws_iam as iam, aws_kms as kms, aws_signer as signer,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { BasicScanTypeVersion, RegistryAccountSettings, RegistryPolicyScope } from './account-settings';
import { CreationTemplateAppliedFor, CreationTemplateOptions, CreationTemplateRole, RepositoryCreationTemplate } from './creation-template';
import { ScanFindingAlerts, ScanFindingAlertsProps } from './finding-alerts';
import { PullThroughCache, PullThroughCacheOptions, UpstreamRegistry } from './pull-through-cache';
import { RegistryPolicy } from './registry-policy';
import { ScanFrequency, ScanType } from './scanning';
import { SigningRuleOptions } from './signing';
import { RegistryBaseline } from '../baseline/registry-baseline';
import { Problems, SecureRegistryError } from '../private/errors';
import {
  SIGNING_REGIONS, normalizeTemplatePrefix, scanFilterCoversPrefix, scanFilterMatches,
  validateReplicationPrefixes, validateScanFilters, validateSigningFilters, wildcardRegex,
} from '../private/registry-filters';
import { sharedRegistryKey } from '../private/shared-key';
import { validateAccountId, validateRegion } from '../private/validation';
import { SecureRepository, SecureRepositoryOptions } from '../repository/secure-repository';

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
   * The registry policy scope. Opt-in: creates the account settings custom resource.
   *
   * @default - the account setting is left as it is; statements are validated for V2
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
}

/**
 * Options for one replication rule.
 */
export interface ReplicationRuleOptions {
  /** The destination Region, e.g. `us-west-2`. */
  readonly region: string;

  /**
   * The destination account (12 digits). Another account needs a `ReplicationDestination` in
   * its registry, which grants this one `ecr:ReplicateImage` and `ecr:CreateRepository`.
   *
   * @default - this registry's own account (cross-Region replication)
   */
  readonly account?: string;

  /**
   * Replicate only repositories whose names start with one of these prefixes (e.g. `prod/`),
   * at most 100.
   *
   * @default - every repository
   */
  readonly repositoryPrefixes?: string[];
}

/**
 * "up to 25 unique destinations across all rules, with a maximum of 10 rules total". The
 * CloudFormation schema allows 100 destinations per rule; the service quota is 25, and that is
 * what ECR enforces at deploy, so we fail at synth with it.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 */
const MAX_REPLICATION_RULES = 10;
const MAX_REPLICATION_DESTINATIONS = 25;
/** The API and the user guide allow 10 signing rules; the CloudFormation schema says 50. We use 10. */
const MAX_SIGNING_RULES = 10;
/** "up to 100 exclusions per account". */
const MAX_PULL_TIME_EXCLUSIONS = 100;
/** 50 pull-through cache rules per registry, not adjustable (ECR service quotas). */
const MAX_PULL_THROUGH_CACHE_RULES = 50;
const PULL_TIME_EXCLUSION_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)\/[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

/** SecureRegistry (and ReplicationDestination) owners by account+region, per app. */
const OWNERS = new WeakMap<IConstruct, Map<string, IConstruct>>();

interface ReplicationRule {
  readonly destinations: Array<{ readonly region: string; readonly account: string }>;
  readonly prefixes: string[];
  readonly filterKey: string;
}

interface SigningRule {
  readonly profile: signer.ISigningProfile;
  readonly filters?: string[];
}

interface PushGrant {
  readonly repository: SecureRepository;
  readonly grantee: iam.IGrantable;
}

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
export class SecureRegistry extends Construct {
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

  private readonly scanOnPushFilters: string[];
  private readonly scanContinuousFilters: string[];
  private readonly replicationRules: ReplicationRule[] = [];
  private readonly signingRules: SigningRule[] = [];
  private readonly templates = new Map<string, RepositoryCreationTemplate>();
  private readonly caches = new Map<string, PullThroughCache>();
  private readonly repositories: SecureRepository[] = [];
  private readonly pushGrants: PushGrant[] = [];
  private readonly signPayloadGrants = new Set<string>();
  private readonly pullTimeExclusions = new Set<string>();
  private policy?: RegistryPolicy;
  private replication?: ecr.CfnReplicationConfiguration;
  private signing?: ecr.CfnSigningConfiguration;
  private signingProfile?: signer.SigningProfile;
  private templateRole?: CreationTemplateRole;
  private alerts?: ScanFindingAlerts;

  constructor(scope: Construct, id: string, props: SecureRegistryProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.account = stack.account;
    this.region = stack.region;
    claimEnvironment(this, 'SecureRegistry');

    const problems = new Problems();
    this.scanType = props.scanType ?? ScanType.ENHANCED;
    this.scanOnPushFilters = [...(props.scanOnPushFilters ?? ['*'])];
    this.scanContinuousFilters = [...(props.scanContinuousFilters ?? [])];
    validateScanFilters(problems, this.scanOnPushFilters, 'scanOnPushFilters');
    validateScanFilters(problems, this.scanContinuousFilters, 'scanContinuousFilters');
    if (this.scanType === ScanType.BASIC && this.scanContinuousFilters.length > 0) {
      problems.add('ContinuousScanNeedsEnhanced',
        `scanContinuousFilters [${this.scanContinuousFilters.join(', ')}] need scanType ENHANCED: basic scanning only ` +
        'scans on push (see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html)');
    }
    problems.throwIfAny(this);
    for (const f of [...this.scanOnPushFilters, ...this.scanContinuousFilters]) {
      if (!Token.isUnresolved(f) && !f.includes('*')) {
        Annotations.of(this).addWarningV2('cdk-secure-registry:substringScanFilter',
          `scanning filter '${f}' has no '*', so ECR matches every repository whose name contains it ` +
          `(e.g. 'pre${f}'); use '${f}*' or '${f}/*' for a prefix`);
      }
    }

    const base = props.baseline ?? new RegistryBaseline();
    const resolved = base._resolve();
    const usesKms = resolved.encryption !== ecr.RepositoryEncryption.AES_256;
    this.encryptionKey = usesKms ? (resolved.encryptionKey ?? sharedRegistryKey(this)) : undefined;
    this.baseline = usesKms && !resolved.encryptionKey ? base.with({ encryptionKey: this.encryptionKey }) : base;

    if (this.scanType === ScanType.ENHANCED) {
      Annotations.of(this).addInfo('Enhanced scanning enables Amazon Inspector for ECR in this account and Region ' +
        '(billed per image scanned and rescanned); the deploying role needs inspector2:Enable and ' +
        'iam:CreateServiceLinkedRole for inspector2.amazonaws.com');
    }
    this.scanningConfiguration = new ecr.CfnRegistryScanningConfiguration(this, 'ScanningConfiguration', {
      scanType: this.scanType,
      rules: Lazy.any({ produce: () => this.renderScanningRules() }, { omitEmptyArray: false }),
    });

    if (props.blobMounting !== undefined || props.registryPolicyScope !== undefined || props.basicScanTypeVersion !== undefined) {
      new RegistryAccountSettings(this, 'AccountSettings', {
        blobMounting: props.blobMounting,
        registryPolicyScope: props.registryPolicyScope,
        basicScanTypeVersion: props.basicScanTypeVersion,
      });
    }
    for (const rule of props.signingRules ?? []) {
      this.addSigningRule(rule);
    }
    for (const role of props.pullTimeUpdateExclusions ?? []) {
      this.addPullTimeUpdateExclusion(role);
    }
    this.node.addValidation({ validate: () => this.validateCoverage() });
  }

  /**
   * Declares a repository with the registry's baseline (options override it for this
   * repository only).
   */
  public addRepository(id: string, options: SecureRepositoryOptions = {}): SecureRepository {
    const repository = new SecureRepository(this, id, { ...options, baseline: options.baseline ?? this.baseline });
    this.repositories.push(repository);
    repository._attachToRegistry({ onPushGrant: (_, grantee) => this.onPushGrant(repository, grantee) });
    return repository;
  }

  /**
   * Adds a repository creation template (`CreationTemplate-<prefix>`) with the registry's
   * baseline unless another is given, and adds its prefix to the scan-on-push rule.
   *
   * A `CREATE_ON_PUSH` template turns on repository creation by push for every principal
   * allowed `ecr:CreateRepository` on a matching name: the registry adds one only here.
   */
  public addCreationTemplate(options: CreationTemplateOptions): RepositoryCreationTemplate {
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
    const role = this.ensureTemplateRole();
    const template = new RepositoryCreationTemplate(this, `CreationTemplate-${idSafe(prefix)}`, {
      ...options,
      baseline,
      role: role.role,
    });
    role.grantTemplate(template.prefix, template.encryptionKey);
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
    });
    const existing = this.templates.get(normalizeTemplatePrefix(cache.ecrRepositoryPrefix));
    if (existing) {
      throw new SecureRegistryError(this, 'DuplicateCreationTemplatePrefix',
        `pull-through cache prefix '${cache.ecrRepositoryPrefix}' already has a creation template (${existing.node.path}): ` +
        'a cache needs its own template with mutable tags; use another ecrRepositoryPrefix');
    }
    this.addCreationTemplate({
      prefix: cache.ecrRepositoryPrefix,
      appliedFor: [CreationTemplateAppliedFor.PULL_THROUGH_CACHE],
      baseline: cacheBaseline,
      description: `Pull-through cache for ${upstream.url}: secure baseline with MUTABLE tags so the cache can refresh them`,
    });
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
    const problems = new Problems();
    const account = options.account ?? this.account;
    const prefixes = [...(options.repositoryPrefixes ?? [])];
    validateRegion(problems, options.region, 'region');
    validateAccountId(problems, options.account, 'account');
    validateReplicationPrefixes(problems, prefixes, 'repositoryPrefixes');
    if (options.repositoryPrefixes !== undefined && prefixes.length === 0) {
      problems.add('InvalidReplicationPrefix',
        'repositoryPrefixes is empty: omit it to replicate every repository, or give prefixes such as \'prod/\'');
    }
    if (sameValue(account, this.account) && sameValue(options.region, this.region)) {
      problems.add('ReplicationToSelf',
        `replicateTo ${account}/${options.region} is this registry's own account and Region: ` +
        'give another Region or another account');
    }
    const destinationKey = `${account}/${options.region}`;
    const filterKey = prefixes.slice().sort().join(',');
    // Calls with the same prefixes share one rule (one more destination); others add a rule.
    const sameFilters = this.replicationRules.find((r) => r.filterKey === filterKey);
    if (sameFilters?.destinations.some((d) => `${d.account}/${d.region}` === destinationKey)) {
      problems.add('DuplicateReplicationRule',
        `replication to ${destinationKey} with the same prefixes already exists: drop this call`);
    }
    if (!sameFilters && this.replicationRules.length + 1 > MAX_REPLICATION_RULES) {
      problems.add('TooManyReplicationRules',
        `this would be replication rule ${this.replicationRules.length + 1}; ECR accepts at most ${MAX_REPLICATION_RULES} ` +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html): merge prefixes into fewer rules');
    }
    const destinations = new Set(this.replicationRules.flatMap((r) => r.destinations.map((d) => `${d.account}/${d.region}`)));
    destinations.add(destinationKey);
    if (destinations.size > MAX_REPLICATION_DESTINATIONS) {
      problems.add('TooManyReplicationDestinations',
        `this would be unique replication destination ${destinations.size}; ECR accepts at most ${MAX_REPLICATION_DESTINATIONS} ` +
        'across all rules (see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html)');
    }
    problems.throwIfAny(this);
    if (sameFilters) {
      sameFilters.destinations.push({ region: options.region, account });
    } else {
      this.replicationRules.push({ destinations: [{ region: options.region, account }], prefixes, filterKey });
    }
    if (!this.replication) {
      this.replication = new ecr.CfnReplicationConfiguration(this, 'ReplicationConfiguration', {
        replicationConfiguration: { rules: Lazy.any({ produce: () => this.renderReplicationRules() }) },
      });
    }
  }

  /**
   * Adds a statement to the registry policy (`RegistryPolicy`, created with the first one).
   * ECR must accept it in a registry policy (V2 scope): AWS principals, ECR actions,
   * repositories of this registry.
   */
  public addToRegistryPolicy(statement: iam.PolicyStatement): void {
    if (!this.policy) {
      this.policy = new RegistryPolicy(this, 'RegistryPolicy');
    }
    this.policy.addStatements(statement);
  }

  /**
   * Adds a managed signing rule: images pushed to matching repositories are signed with an
   * AWS Signer profile (the registry's own Notation profile unless another is given). Push
   * grants on covered repositories of this registry get `signer:SignPayload` on the profile.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
   */
  public addSigningRule(options: SigningRuleOptions = {}): signer.ISigningProfile {
    const problems = new Problems();
    if (!Token.isUnresolved(this.region) && !SIGNING_REGIONS.has(this.region)) {
      problems.add('SigningUnavailableInRegion',
        `managed signing is not available in ${this.region}: sign in a Region that supports it ` +
        '(e.g. us-east-1, eu-west-1; see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html) ' +
        'or sign in CI with Notation');
    }
    if (options.repositoryFilters !== undefined) {
      validateSigningFilters(problems, options.repositoryFilters, 'repositoryFilters');
    }
    if (this.signingRules.length + 1 > MAX_SIGNING_RULES) {
      problems.add('TooManySigningRules',
        `this would be signing rule ${this.signingRules.length + 1}; ECR accepts at most ${MAX_SIGNING_RULES} per registry ` +
        '(API and user guide; the CloudFormation schema says 50): merge filters into fewer rules');
    }
    const profileRegion = options.signingProfile?.env.region;
    if (profileRegion && !Token.isUnresolved(profileRegion) && !Token.isUnresolved(this.region) && profileRegion !== this.region) {
      problems.add('SigningProfileInOtherRegion',
        `signingProfile is in ${profileRegion} but the registry is in ${this.region}: ECR does not sign across Regions`);
    }
    problems.throwIfAny(this);

    const profile = options.signingProfile ?? this.ensureSigningProfile();
    const rule: SigningRule = { profile, filters: options.repositoryFilters ? [...options.repositoryFilters] : undefined };
    this.signingRules.push(rule);
    if (!this.signing) {
      this.signing = new ecr.CfnSigningConfiguration(this, 'SigningConfiguration', {
        rules: Lazy.any({ produce: () => this.renderSigningRules() }),
      });
    }
    for (const grant of this.pushGrants) {
      this.grantSignPayload(grant, rule);
    }
    return profile;
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
    const id = `PullTimeUpdateExclusion-${Names.uniqueId(role)}`;
    if (this.pullTimeExclusions.has(id)) {
      problems.add('DuplicatePullTimeUpdateExclusion', `${role.node.path} is already excluded from pull-time updates`);
    }
    problems.throwIfAny(this);
    this.pullTimeExclusions.add(id);
    new ecr.CfnPullTimeUpdateExclusion(this, id, { principalArn: arn });
  }

  /** The creation templates of the registry, by prefix. */
  public get creationTemplates(): RepositoryCreationTemplate[] {
    return [...this.templates.values()];
  }

  /**
   * A push grant on a repository of this registry: adds `signer:SignPayload` on every signing
   * profile whose rule covers the repository, now and for rules added later.
   */
  private onPushGrant(repository: SecureRepository, grantee: iam.IGrantable): void {
    const grant = { repository, grantee };
    this.pushGrants.push(grant);
    for (const rule of this.signingRules) {
      this.grantSignPayload(grant, rule);
    }
  }

  private grantSignPayload(grant: PushGrant, rule: SigningRule): void {
    const name = grant.repository._declaredName;
    const covered = rule.filters === undefined || name === undefined || Token.isUnresolved(name) ||
      rule.filters.some((f) => Token.isUnresolved(f) || wildcardRegex(f, true).test(name));
    if (!covered) {
      return;
    }
    const key = `${Names.uniqueId(rule.profile)}|${grant.grantee.grantPrincipal.toString()}|${grantableId(grant.grantee)}`;
    if (this.signPayloadGrants.has(key)) {
      return;
    }
    this.signPayloadGrants.add(key);
    // Managed signing signs with the pusher's identity.
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
    iam.Grant.addToPrincipal({
      grantee: grant.grantee,
      actions: ['signer:SignPayload'],
      resourceArns: [rule.profile.signingProfileArn],
    });
  }

  private ensureSigningProfile(): signer.SigningProfile {
    if (!this.signingProfile) {
      this.signingProfile = new signer.SigningProfile(this, 'SigningProfile', {
        platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA,
      });
    }
    return this.signingProfile;
  }

  private ensureTemplateRole(): CreationTemplateRole {
    if (!this.templateRole) {
      this.templateRole = new CreationTemplateRole(this, 'CreationTemplateRole');
    }
    return this.templateRole;
  }

  /** Scan-on-push filters with every template prefix added where no filter covers it. */
  private effectiveScanOnPushFilters(): string[] {
    const filters = [...this.scanOnPushFilters];
    const all = () => [...filters, ...(this.scanType === ScanType.ENHANCED ? this.scanContinuousFilters : [])];
    for (const prefix of this.templates.keys()) {
      if (Token.isUnresolved(prefix)) {
        continue;
      }
      const probe = prefix === 'ROOT' ? '' : prefix;
      if (!all().some((f) => !Token.isUnresolved(f) && scanFilterCoversPrefix(f, probe))) {
        filters.push(prefix === 'ROOT' ? '*' : `${prefix}*`);
      }
    }
    return filters;
  }

  private renderScanningRules(): ecr.CfnRegistryScanningConfiguration.ScanningRuleProperty[] {
    const rule = (frequency: ScanFrequency, filters: string[]) => ({
      scanFrequency: frequency,
      repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD' })),
    });
    const rules = [];
    const onPush = this.effectiveScanOnPushFilters();
    if (onPush.length > 0) {
      rules.push(rule(ScanFrequency.SCAN_ON_PUSH, onPush));
    }
    if (this.scanType === ScanType.ENHANCED && this.scanContinuousFilters.length > 0) {
      rules.push(rule(ScanFrequency.CONTINUOUS_SCAN, this.scanContinuousFilters));
    }
    return rules;
  }

  private renderReplicationRules(): ecr.CfnReplicationConfiguration.ReplicationRuleProperty[] {
    return this.replicationRules.map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region, registryId: d.account })),
      repositoryFilters: r.prefixes.length > 0
        ? r.prefixes.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' }))
        : undefined,
    }));
  }

  private renderSigningRules(): ecr.CfnSigningConfiguration.RuleProperty[] {
    return this.signingRules.map((r) => ({
      signingProfileArn: r.profile.signingProfileArn,
      repositoryFilters: r.filters?.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
    }));
  }

  /** Warns about declared repositories no scanning rule covers (ECR ignores their own flag). */
  private validateCoverage(): string[] {
    const filters = [...this.effectiveScanOnPushFilters(), ...(this.scanType === ScanType.ENHANCED ? this.scanContinuousFilters : [])];
    const problems = new Problems();
    const onPush = this.effectiveScanOnPushFilters();
    if (onPush.length > 100) {
      problems.add('TooManyScanFilters', `the scan-on-push rule has ${onPush.length} filters (creation template prefixes included); ` +
        "ECR accepts 100: use wildcards such as 'team-*'");
    }
    for (const repo of this.repositories) {
      const name = repo._declaredName;
      if (name === undefined || Token.isUnresolved(name) || filters.some((f) => Token.isUnresolved(f) || scanFilterMatches(f, name))) {
        continue;
      }
      Annotations.of(repo).addWarningV2('cdk-secure-registry:repositoryNotScanned',
        `repository '${name}' matches no registry scanning filter, so ECR does not scan it ` +
        '(registry scanning overrides the repository flag): add a filter that matches it');
    }
    return problems.toValidationMessages();
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

function sameValue(a: string, b: string): boolean {
  return !Token.isUnresolved(a) && !Token.isUnresolved(b) && a === b;
}

/** Construct ids cannot contain `/`. */
function idSafe(prefix: string): string {
  return prefix.replace(/\/+$/, '').replace(/\//g, '-');
}

function grantableId(grantee: iam.IGrantable): string {
  return Construct.isConstruct(grantee) ? grantee.node.path : String(grantee.grantPrincipal);
}
