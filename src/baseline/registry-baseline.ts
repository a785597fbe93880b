import { RemovalPolicy, Token, aws_ecr as ecr, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { LifecyclePolicy } from '../lifecycle';
import { Problems } from '../private/errors';
import { ResolvedBaseline } from '../private/resolved-baseline';
import { baselineFields, checkArgs, struct } from '../private/shape';

/** The shape of `RegistryBaselineProps`, checked at run time for JavaScript callers. */
const BASELINE_PROPS = struct('RegistryBaselineProps', baselineFields);

/**
 * The secure posture one registry applies to every repository in it.
 *
 * Each property is optional; what is left out falls back to the library's secure default.
 */
export interface RegistryBaselineProps {
  /**
   * How images are encrypted at rest.
   *
   * @default - `RepositoryEncryption.KMS` with `encryptionKey`, or with a customer managed key
   * (rotation on) shared by every repository of the stack or registry
   */
  readonly encryption?: ecr.RepositoryEncryption;

  /**
   * The customer managed KMS key for `KMS` or `KMS_DSSE` encryption.
   *
   * Encryption is create-only: changing it later replaces the repository.
   *
   * @default - one key shared by every repository of the stack (or the registry's key)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Whether image tags can be overwritten.
   *
   * With `imageTagMutabilityExclusionFilters`, `IMMUTABLE` becomes `IMMUTABLE_WITH_EXCLUSION`.
   *
   * @default ecr.TagMutability.IMMUTABLE - tags can never be moved; ECR itself defaults to MUTABLE
   */
  readonly imageTagMutability?: ecr.TagMutability;

  /**
   * Tag wildcard patterns (1-5; letters, digits, `.`, `_`, `-` and `*`, up to 128 characters)
   * exempt from the tag mutability setting, e.g. `['latest', 'dev-*']` for tags that may move in
   * an otherwise immutable repository.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
   * @default - no exclusions
   */
  readonly imageTagMutabilityExclusionFilters?: string[];

  /**
   * Whether ECR scans each image when it is pushed (repository-level flag).
   *
   * Registry scanning configured on a `SecureRegistry` takes precedence in ECR, but AWS Config,
   * Control Tower and checkov still read this flag.
   *
   * @default true
   */
  readonly scanOnPush?: boolean;

  /**
   * The lifecycle policy that expires (or archives) images.
   *
   * @default LifecyclePolicy.secureDefault()
   */
  readonly lifecyclePolicy?: LifecyclePolicy;

  /**
   * What happens to repositories when they are removed from the stack or the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN - images are never lost with a stack
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete every image when the repository is deleted. Only with `RemovalPolicy.DESTROY`.
   *
   * @default false
   */
  readonly emptyOnDelete?: boolean;

  /**
   * Tags for every repository (at most 50; keys 1-127 and values 1-255 characters).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Statements every repository's policy carries (for example an organization-wide pull).
   *
   * @default - no statements
   */
  readonly repositoryPolicyStatements?: iam.PolicyStatement[];
}

/** ECR allows 1-5 exclusion filters. */
const MAX_EXCLUSION_FILTERS = 5;
/** @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html */
const EXCLUSION_FILTER_PATTERN = /^[0-9a-zA-Z._*-]{1,128}$/;
/** Repository tags (CloudFormation AWS::ECR::Repository Tags): at most 50. */
const MAX_TAGS = 50;

/**
 * The shared secure posture of a registry: one value that repositories and repository
 * creation templates both apply, so that repositories declared in code and repositories ECR
 * creates (on push, through a pull-through cache, by replication) look the same.
 *
 * Defaults: KMS encryption with a customer managed key, immutable tags, scan on push, the
 * library's lifecycle policy, retained on delete.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 *
 * @example
 * const baseline = new RegistryBaseline({
 *   imageTagMutabilityExclusionFilters: ['latest'],
 *   tags: { team: 'platform' },
 * });
 */
export class RegistryBaseline {
  /** @internal */
  public static _merge(base: RegistryBaselineProps, overrides: RegistryBaselineProps): RegistryBaselineProps {
    return RegistryBaseline.merge(base, overrides);
  }

  /**
   * Validates a set of baseline properties; problems name the value and the fix.
   * @internal
   */
  public static _validate(props: RegistryBaselineProps): Problems {
    return RegistryBaseline.validate(props);
  }

  private static merge(base: RegistryBaselineProps, overrides: RegistryBaselineProps): RegistryBaselineProps {
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    return {
      ...base,
      ...defined,
      tags: (base.tags || overrides.tags) ? { ...(base.tags ?? {}), ...(overrides.tags ?? {}) } : undefined,
      repositoryPolicyStatements: (base.repositoryPolicyStatements || overrides.repositoryPolicyStatements)
        ? [...(base.repositoryPolicyStatements ?? []), ...(overrides.repositoryPolicyStatements ?? [])]
        : undefined,
    };
  }

  private static validate(props: RegistryBaselineProps): Problems {
    const problems = new Problems();
    const encryption = props.encryption;
    if (encryption === ecr.RepositoryEncryption.AES_256 && props.encryptionKey) {
      problems.add('KeyWithAes256',
        'encryptionKey is set but encryption is AES256, which uses an AWS owned key: ' +
        'remove encryptionKey, or set encryption to RepositoryEncryption.KMS');
    }
    const filters = props.imageTagMutabilityExclusionFilters;
    const mutability = props.imageTagMutability;
    const withExclusion = mutability === ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION ||
      mutability === ecr.TagMutability.MUTABLE_WITH_EXCLUSION;
    if (filters !== undefined) {
      if (mutability === ecr.TagMutability.MUTABLE) {
        problems.add('ExclusionFiltersWithMutable',
          `imageTagMutabilityExclusionFilters [${filters.join(', ')}] cannot be used with MUTABLE tags: ` +
          'use TagMutability.MUTABLE_WITH_EXCLUSION (the filters then name the tags that are immutable), ' +
          'or drop the filters');
      }
      if (filters.length < 1 || filters.length > MAX_EXCLUSION_FILTERS) {
        problems.add('TooManyExclusionFilters',
          `imageTagMutabilityExclusionFilters has ${filters.length} entries; ECR accepts 1-5 ` +
          '(see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html)');
      }
      for (const f of filters) {
        if (Token.isUnresolved(f)) {
          continue;
        }
        if (!EXCLUSION_FILTER_PATTERN.test(f)) {
          problems.add('InvalidExclusionFilter',
            `imageTagMutabilityExclusionFilters entry '${f}' is invalid: use 1-128 letters, digits, ` +
            "'.', '_', '-' and '*' wildcards, e.g. 'latest' or 'dev-*'");
        }
      }
    } else if (withExclusion) {
      problems.add('MissingExclusionFilters',
        `imageTagMutability ${mutability} needs imageTagMutabilityExclusionFilters: ` +
        "add the tag patterns to exempt (e.g. ['latest']), or use IMMUTABLE / MUTABLE");
    }
    if (props.emptyOnDelete && props.removalPolicy !== RemovalPolicy.DESTROY) {
      problems.add('EmptyOnDeleteWithoutDestroy',
        `emptyOnDelete is true but removalPolicy is ${props.removalPolicy ?? 'RETAIN (the default)'}: ` +
        'a retained repository is never emptied; set removalPolicy to RemovalPolicy.DESTROY as well, ' +
        'or drop emptyOnDelete');
    }
    const tags = props.tags ?? {};
    const keys = Object.keys(tags);
    if (keys.length > MAX_TAGS) {
      problems.add('TooManyTags', `tags has ${keys.length} entries; ECR repositories accept at most 50`);
    }
    for (const [k, v] of Object.entries(tags)) {
      if (!Token.isUnresolved(k) && (k.length < 1 || k.length > 127 || k.toLowerCase().startsWith('aws:'))) {
        problems.add('InvalidTag',
          `tag key '${k}' is invalid: keys are 1-127 characters and must not start with 'aws:'`);
      }
      if (!Token.isUnresolved(v) && (v.length < 1 || v.length > 255)) {
        problems.add('InvalidTag', `tag '${k}' has a value of ${v.length} characters; values are 1-255 characters`);
      }
    }
    return problems;
  }

  /** The properties given, before defaults. */
  public readonly props: RegistryBaselineProps;

  constructor(props: RegistryBaselineProps = {}) {
    checkArgs(undefined, [['props', props, BASELINE_PROPS]]);
    this.props = props;
    const problems = RegistryBaseline.validate(props);
    problems.throwIfAnyUnscoped();
  }

  /**
   * A new baseline with `overrides` applied over this one (tags and policy statements merge).
   */
  public with(overrides: RegistryBaselineProps): RegistryBaseline {
    checkArgs(undefined, [['overrides', overrides, BASELINE_PROPS]]);
    return new RegistryBaseline(RegistryBaseline.merge(this.props, overrides));
  }

  /**
   * The effective settings with every default applied.
   * @internal
   */
  public _resolve(): ResolvedBaseline {
    const filters = this.props.imageTagMutabilityExclusionFilters ?? [];
    let mutability = this.props.imageTagMutability ?? ecr.TagMutability.IMMUTABLE;
    if (filters.length > 0 && mutability === ecr.TagMutability.IMMUTABLE) {
      mutability = ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION;
    }
    return {
      encryption: this.props.encryption ?? ecr.RepositoryEncryption.KMS,
      encryptionKey: this.props.encryptionKey,
      imageTagMutability: mutability,
      imageTagMutabilityExclusionFilters: filters,
      scanOnPush: this.props.scanOnPush ?? true,
      lifecyclePolicy: this.props.lifecyclePolicy ?? LifecyclePolicy.secureDefault(),
      removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      emptyOnDelete: this.props.emptyOnDelete ?? false,
      tags: { ...(this.props.tags ?? {}) },
      repositoryPolicyStatements: [...(this.props.repositoryPolicyStatements ?? [])],
    };
  }

}

