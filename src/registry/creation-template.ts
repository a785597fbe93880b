import { Lazy, Stack, Token, aws_ecr as ecr, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RegistryBaseline } from '../baseline/registry-baseline';
import { claimEnvironment, otherClaimant, recordClaim } from '../private/claims';
import { ECR_TEMPLATE_ACTIONS, KMS_TEMPLATE_ACTIONS } from '../private/ecr-actions';
import { ROOT, TEMPLATE_PREFIX_TRAILING_SLASH_CONTEXT, normalizeTemplatePrefix, repositoryNamePattern, validateEncryptionRegion, validateTemplatePrefix } from '../private/ecr-model';
import { Problems } from '../private/errors';
import { acknowledgeWildcardResources } from '../private/nag';
import { repositoryPolicyProblems } from '../private/policy-checks';
import { CREATION_TEMPLATE_PROPS } from '../private/registry-shapes';
import { renderExclusionFilters } from '../private/resolved-baseline';
import { futurePath } from '../private/scope-path';
import { checkArgs, constructArgs, required } from '../private/shape';
import { baselineEncryptionKey } from '../private/shared-key';

/**
 * What a repository creation template applies to.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export enum CreationTemplateAppliedFor {
  /**
   * Repositories ECR creates when an image is pushed to a repository that does not exist.
   * Opt-in: every principal allowed `ecr:CreateRepository` can then create repositories by
   * pushing.
   */
  CREATE_ON_PUSH = 'CREATE_ON_PUSH',
  /** Repositories a pull-through cache rule creates on the first pull. */
  PULL_THROUGH_CACHE = 'PULL_THROUGH_CACHE',
  /** Repositories replication creates in this (destination) registry. */
  REPLICATION = 'REPLICATION',
}

/**
 * Options for a repository creation template.
 */
export interface CreationTemplateOptions {
  /**
   * The repository name prefix the template applies to (ECR assumes a trailing `/`: `prod`
   * means `prod/`), or `ROOT` for every repository no other template matches. Rendered in AWS's
   * form, without the trailing `/` (context `cdk-secure-registry:templatePrefixTrailingSlash`
   * keeps the `prod/` form of earlier releases).
   */
  readonly prefix: string;

  /**
   * What the template applies to.
   */
  readonly appliedFor: CreationTemplateAppliedFor[];

  /**
   * The posture of the repositories ECR creates from this template. The repository-level scan
   * on push flag and the removal policy do not apply to templates: scanning comes from the
   * registry's scanning rules.
   *
   * @default - the registry's baseline
   */
  readonly baseline?: RegistryBaseline;

  /**
   * A description (at most 256 characters).
   *
   * @default - one that names the library and what the template applies to
   */
  readonly description?: string;
}

/**
 * Properties of a `RepositoryCreationTemplate`.
 */
export interface RepositoryCreationTemplateProps extends CreationTemplateOptions {
  /**
   * The role ECR assumes to apply KMS encryption and tags to the repositories it creates.
   * When you give one, grant it what the template needs (`ecr:CreateRepository`,
   * `ecr:ReplicateImage`, `ecr:TagResource`, `kms:CreateGrant`, `kms:RetireGrant`,
   * `kms:DescribeKey`).
   *
   * @default - a least-privilege role is created when the template uses KMS or tags
   */
  readonly role?: iam.IRole;
}

/**
 * `CustomRoleArn` of a creation template: a role without a path.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html
 */
const TEMPLATE_ROLE_ARN_PATTERN = /^arn:aws[-a-z0-9]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,\-.@_]*$/;

/** "The full ARN of the KMS key must be specified" (ECR API, RepositoryCreationTemplate). */
const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-z0-9-]+$/;

/**
 * The least-privilege role ECR assumes to create repositories from a template: the three ECR
 * actions AWS documents for it on the template's prefix only, and the three KMS actions on the
 * template's key only, in a managed policy.
 *
 * The trust policy names `ecr.amazonaws.com` without conditions, as AWS documents it: no page
 * says ECR sends `aws:SourceAccount` or `aws:SourceArn` when it assumes the role, and a condition
 * it does not send would make every repository creation fail.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
 * @internal
 */
export class CreationTemplateRole extends Construct {
  public readonly role: iam.Role;
  private readonly ecrStatement: iam.PolicyStatement;
  private readonly kmsStatement: iam.PolicyStatement;
  /** The managed policy with the role's permissions: templates are created after it. */
  public readonly policy: iam.ManagedPolicy;
  private readonly repositoryArns = new Set<string>();
  private readonly keyArns = new Set<string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'Resource', {
      assumedBy: new iam.ServicePrincipal('ecr.amazonaws.com'),
      description: 'Lets Amazon ECR apply KMS encryption and tags to repositories it creates from creation templates',
    });
    this.ecrStatement = new iam.PolicyStatement({ actions: ECR_TEMPLATE_ACTIONS });
    this.kmsStatement = new iam.PolicyStatement({ actions: KMS_TEMPLATE_ACTIONS });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this.role] });
    this.policy.addStatements(this.ecrStatement);
  }

  /** Adds the permissions a template for `prefix` encrypted with `key` needs. */
  public grantTemplate(prefix: string, key: kms.IKey | undefined): void {
    const stack = Stack.of(this);
    const name = repositoryNamePattern(prefix);
    const arn = stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: name });
    if (!this.repositoryArns.has(name)) {
      this.repositoryArns.add(name);
      this.ecrStatement.addResources(arn);
      acknowledgeWildcardResources(this.policy, [arn],
        'ECR creates the repositories of a creation template on demand, so their names are only known by ' +
        'prefix: the resource is the template prefix with a wildcard, in this account and Region only');
    }
    if (key && !this.keyArns.has(key.keyArn)) {
      if (this.keyArns.size === 0) {
        this.policy.addStatements(this.kmsStatement);
      }
      this.keyArns.add(key.keyArn);
      this.kmsStatement.addResources(key.keyArn);
    }
  }
}

/**
 * A repository creation template: the settings ECR gives the repositories it creates itself
 * (on push, through a pull-through cache, by replication), from a `RegistryBaseline`.
 *
 * Usually created through `SecureRegistry.addCreationTemplate`, `addPullThroughCache` or
 * `ReplicationDestination`. ECR applies a template only when it creates a repository; the
 * most specific prefix wins. Templates cannot set scan on push: registry scanning rules do
 * (a `SecureRegistry` adds every template prefix to them).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 *
 * @example
 * declare const registry: SecureRegistry;
 * registry.addCreationTemplate({
 *   prefix: 'sandbox',
 *   appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH],
 * });
 */
export class RepositoryCreationTemplate extends Construct {
  /**
   * The prefix in AWS's form, without the trailing `/` that ECR assumes (or `ROOT`): `prod`
   * covers `prod/*`.
   */
  public readonly prefix: string;
  /** The posture of repositories created from this template. */
  public readonly baseline: RegistryBaseline;
  /**
   * The KMS key of the repositories created from this template.
   *
   * @default - none with AES256 encryption
   */
  public readonly encryptionKey?: kms.IKey;
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnRepositoryCreationTemplate;
  private readonly appliedFor = new Set<CreationTemplateAppliedFor>();

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplateProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(CREATION_TEMPLATE_PROPS)]]);
    super(scope, id);
    const problems = new Problems();
    validateTemplatePrefix(problems, props.prefix, 'prefix');
    const prefixClaim = Token.isUnresolved(props.prefix) ? undefined : `creation template ${normalizeTemplatePrefix(props.prefix)}`;
    const other = prefixClaim ? otherClaimant(this, prefixClaim) : undefined;
    if (other) {
      problems.add('DuplicateCreationTemplatePrefix',
        `prefix '${props.prefix}' already has a creation template, ${other.node.path}, in ${claimEnvironment(this).label}: ` +
        'ECR keeps one template per prefix in an account and Region (the second fails at deploy); use another prefix, or ' +
        'add what this one applies to to that template (SecureRegistry.addCreationTemplate merges templates with one baseline)');
    }
    if (props.appliedFor.length === 0) {
      problems.add('NoAppliedFor',
        'appliedFor is empty: give at least one of CREATE_ON_PUSH, PULL_THROUGH_CACHE, REPLICATION');
    }
    if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.length > 256) {
      problems.add('InvalidTemplateDescription',
        `description is ${props.description.length} characters; ECR accepts at most 256`);
    }
    this.baseline = props.baseline ?? new RegistryBaseline();
    const s = this.baseline._resolve();
    validateEncryptionRegion(problems, s.encryption, s.encryptionKey, Stack.of(this).region, 'creation template');
    this.encryptionKey = baselineEncryptionKey(this, s);
    const keyArn = this.encryptionKey?.keyArn;
    // An alias (kms.Alias, kms.Alias.fromAliasName) has a keyArn that is usually a token, but
    // still names the alias, not the key.
    const isAlias = this.encryptionKey !== undefined && keyArn !== undefined && Token.isUnresolved(keyArn) &&
      ('aliasName' in this.encryptionKey || keyArn.includes(':alias/'));
    if (isAlias) {
      const cfnAlias = this.encryptionKey!.node.defaultChild;
      const aliasName = cfnAlias instanceof kms.CfnAlias ? cfnAlias.aliasName : (this.encryptionKey as kms.IAlias).aliasName;
      problems.add('TemplateKeyNotArn',
        `the baseline's encryptionKey is the alias ${aliasName !== undefined && !Token.isUnresolved(aliasName) ? `'${aliasName}'` : this.encryptionKey!.node.path}, ` +
        'but a creation template needs the full key ARN (arn:aws:kms:<region>:<account>:key/<id>): pass the key itself ' +
        '(alias.aliasTargetKey, or kms.Key.fromKeyArn) ' +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfigurationForRepositoryCreationTemplate.html)');
    } else if (keyArn !== undefined && !Token.isUnresolved(keyArn) && !KMS_KEY_ARN_PATTERN.test(keyArn)) {
      problems.add('TemplateKeyNotArn',
        `the baseline's encryptionKey resolves to '${keyArn}', but a creation template needs the full key ARN ` +
        '(arn:aws:kms:<region>:<account>:key/<id>), not an alias: import the key with kms.Key.fromKeyArn ' +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_EncryptionConfigurationForRepositoryCreationTemplate.html)');
    }
    const roleArn = props.role?.roleArn;
    if (roleArn !== undefined && !Token.isUnresolved(roleArn) && !TEMPLATE_ROLE_ARN_PATTERN.test(roleArn)) {
      problems.add('InvalidTemplateRoleArn',
        `role '${roleArn}' is not a role ARN a creation template accepts: CustomRoleArn must be ` +
        'arn:aws:iam::<account>:role/<name>, without a path (CloudFormation schema of AWS::ECR::RepositoryCreationTemplate); ' +
        'use a role without a path, or leave role out to have one created');
    }
    problems.throwIfAny(this);

    this.prefix = normalizeTemplatePrefix(props.prefix);
    props.appliedFor.forEach((a) => this.appliedFor.add(a));

    const tags = Object.entries(s.tags);
    // ECR needs a custom role "when using repository tags and/or KMS in the template,
    // otherwise the repository creation will fail".
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
    let role = props.role;
    let ownRole: CreationTemplateRole | undefined;
    if (!role && (this.encryptionKey !== undefined || tags.length > 0)) {
      ownRole = new CreationTemplateRole(this, 'Role');
      ownRole.grantTemplate(this.prefix, this.encryptionKey);
      role = ownRole.role;
    }
    const stack = Stack.of(this);
    const policy = new iam.PolicyDocument({ statements: s.repositoryPolicyStatements });

    this.resource = new ecr.CfnRepositoryCreationTemplate(this, 'Resource', {
      // AWS's form, without the slash, unless the app keeps the earlier rendering (the prefix is
      // create-only: changing its string replaces the template).
      prefix: [true, 'true'].includes(this.node.tryGetContext(TEMPLATE_PREFIX_TRAILING_SLASH_CONTEXT)) && this.prefix !== ROOT
        && !Token.isUnresolved(this.prefix) ? `${this.prefix}/` : this.prefix,
      appliedFor: Lazy.list({ produce: () => [...this.appliedFor].sort() }),
      description: props.description ?? 'Secure baseline for repositories ECR creates (cdk-secure-registry)',
      encryptionConfiguration: { encryptionType: s.encryption.value, kmsKey: keyArn },
      imageTagMutability: s.imageTagMutability,
      imageTagMutabilityExclusionFilters: renderExclusionFilters(s),
      lifecyclePolicy: s.lifecyclePolicy.render(),
      repositoryPolicy: policy.isEmpty ? undefined : stack.toJsonString(policy.toJSON()),
      resourceTags: tags.length > 0 ? tags.map(([key, value]) => ({ key, value })) : undefined,
      customRoleArn: role?.roleArn,
    });
    if (prefixClaim) {
      recordClaim(this, prefixClaim);
    }
    if (!policy.isEmpty) {
      this.node.addValidation({ validate: () => this.validatePolicy(policy) });
    }
    if (ownRole) {
      // ECR assumes the role when it first creates a repository from the template: a template
      // live before the role's permissions would create that repository without its KMS key and
      // tags. https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
      this.resource.node.addDependency(ownRole.policy);
    }
  }

  /** What the template applies to, sorted. */
  public get appliesTo(): CreationTemplateAppliedFor[] {
    return [...this.appliedFor].sort();
  }

  /**
   * Makes the template also apply to `appliedFor` (used when a registry feature needs a
   * template for a prefix that already has one with the same baseline).
   * @internal
   */
  public _addAppliedFor(appliedFor: CreationTemplateAppliedFor[]): void {
    appliedFor.forEach((a) => this.appliedFor.add(a));
  }

  /**
   * What ECR refuses in a template's repository policy, as in a repository's own (no principal,
   * a Resource, malformed ids), and its length: CloudFormation's `RepositoryPolicy` takes at most
   * 10,240 characters.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html
   */
  private validatePolicy(policy: iam.PolicyDocument): string[] {
    return repositoryPolicyProblems(this, policy, {
      what: "the template's repository policy",
      resourceAllowed: false,
      principalExample: "new iam.AccountPrincipal('333333333333')",
      service: 'ECR',
      sizeFix: 'grant by organization or account pattern instead of many single principals',
    });
  }
}
