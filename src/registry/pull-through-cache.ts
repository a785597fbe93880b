import { Stack, Token, aws_ecr as ecr, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UpstreamRegistry } from './upstream-registry';
import { claimEnvironment, otherClaimant, recordClaim } from '../private/claims';
import { ECR_AUTH_ACTIONS, ECR_PULL_THROUGH_CACHE_ACTIONS } from '../private/ecr-actions';
import { ROOT, hasPullThroughCache, normalizeTemplatePrefix, repositoryNamePattern, validateCachePrefix } from '../private/ecr-model';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import { GRANTABLE, STRING, UPSTREAM, checkArgs, constructArgs, required, struct } from '../private/shape';

/**
 * Options for a pull through cache rule, used by `SecureRegistry.addPullThroughCache`.
 */
export interface PullThroughCacheOptions {
  /**
   * The prefix of the cache repositories in this registry (`<prefix>/<upstream repository>`):
   * 2-30 characters, lowercase letters and digits separated by `.`, `_`, `__`, `-` or `/`, or
   * `ROOT` to map every repository name to the upstream.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
   * @default - the upstream's `defaultPrefix`, e.g. `docker-hub`
   */
  readonly ecrRepositoryPrefix?: string;

  /**
   * The upstream repository prefix the cache prefix maps to (e.g. `my-app` -> `upstream-app`).
   * Only with a non-`ROOT` `ecrRepositoryPrefix`.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private-wildcards.html
   * @default - `ROOT`: any upstream repository
   */
  readonly upstreamRepositoryPrefix?: string;
}

/**
 * Properties of a `PullThroughCache`.
 */
export interface PullThroughCacheProps extends PullThroughCacheOptions {
  /** The upstream registry to cache. */
  readonly upstream: UpstreamRegistry;
}

/**
 * A pull through cache rule: the registry caches images of an upstream registry in
 * repositories named `<ecrRepositoryPrefix>/<upstream repository>`.
 *
 * Every property of `AWS::ECR::PullThroughCacheRule` is create-only and the rule is identified
 * by its prefix: a changed upstream for the same prefix makes CloudFormation create the new
 * rule before deleting the old one, which fails because the prefix is taken. The construct
 * keeps the logical id stable and rotates credentials through the secret's value (never its
 * ARN), so only an upstream or prefix change replaces the rule; change the upstream together
 * with the prefix, or remove the rule in one deployment and add it in the next.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 * @example
 * new PullThroughCache(this, 'EcrPublic', { upstream: UpstreamRegistry.ecrPublic() });
 */
export class PullThroughCache extends Construct {
  /** The prefix of the cache repositories (or `ROOT`). */
  public readonly ecrRepositoryPrefix: string;

  /** The upstream registry. */
  public readonly upstream: UpstreamRegistry;

  /**
   * The secret holding the upstream credentials, for upstreams that need them.
   *
   * @default - none for anonymous and ECR upstreams
   */
  public readonly credentialSecret?: secretsmanager.ISecret;

  /**
   * The role ECR assumes for an ECR-to-ECR upstream.
   *
   * @default - none for other upstreams
   */
  public readonly role?: iam.IRole;

  /** The rule. */
  public readonly resource: ecr.CfnPullThroughCacheRule;

  constructor(scope: Construct, id: string, props: PullThroughCacheProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(struct('PullThroughCacheProps', () => ({
      upstream: required(UPSTREAM),
      ecrRepositoryPrefix: STRING,
      upstreamRepositoryPrefix: STRING,
    }), '{ upstream: UpstreamRegistry.ecrPublic() }'))]]);
    super(scope, id);
    this.upstream = props.upstream;
    this.ecrRepositoryPrefix = props.ecrRepositoryPrefix ?? props.upstream.defaultPrefix;

    const problems = this.validate(props);
    const upstream = props.upstream._bind(this, {
      ecrRepositoryPrefix: this.ecrRepositoryPrefix,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
      cacheRepositoryArn: this.repositoryArnPattern,
    });
    problems.addAll(upstream.problems);
    problems.throwIfAny(this);
    this.credentialSecret = upstream.credentialSecret;
    this.role = upstream.role;

    this.resource = new ecr.CfnPullThroughCacheRule(this, 'Resource', {
      ecrRepositoryPrefix: this.ecrRepositoryPrefix,
      upstreamRegistry: upstream.upstreamRegistry,
      upstreamRegistryUrl: upstream.upstreamRegistryUrl,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
      credentialArn: this.credentialSecret?.secretArn,
      customRoleArn: this.role?.roleArn,
    });
    if (this.role) {
      this.resource.node.addDependency(this.role);
    }
    if (this.prefixClaim) {
      recordClaim(this, this.prefixClaim);
    }
  }

  /** The claim of the rule's prefix in its account and Region (none for a token). */
  private get prefixClaim(): string | undefined {
    return Token.isUnresolved(this.ecrRepositoryPrefix) ? undefined
      : `pull-through cache rule ${normalizeTemplatePrefix(this.ecrRepositoryPrefix)}`;
  }

  /**
   * The ARN pattern of the cache repositories (`repository/<prefix>/*`, or `repository/*` for
   * `ROOT`).
   */
  public get repositoryArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'ecr',
      resource: 'repository',
      resourceName: repositoryNamePattern(this.ecrRepositoryPrefix),
    });
  }

  /**
   * Grants a principal what it needs to pull through the cache: the pull actions,
   * `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` (first pull) on the cache
   * repositories, and `ecr:GetAuthorizationToken` on `*` (AWS allows no narrower resource).
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
   */
  public grantPullThroughCache(grantee: iam.IGrantable): iam.Grant {
    checkArgs(this, [['grantee', grantee, required(GRANTABLE)]]);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ECR_PULL_THROUGH_CACHE_ACTIONS,
      resourceArns: [this.repositoryArnPattern],
    });
    // AWS forces '*': GetAuthorizationToken has no resource type.
    iam.Grant.addToPrincipal({ grantee, actions: ECR_AUTH_ACTIONS, resourceArns: ['*'] });
    return grant;
  }

  /** The problems of the rule's own properties (the upstream checks its own when bound). */
  private validate(props: PullThroughCacheProps): Problems {
    const problems = new Problems();
    validateCachePrefix(problems, this.ecrRepositoryPrefix, 'ecrRepositoryPrefix');
    const other = this.prefixClaim ? otherClaimant(this, this.prefixClaim) : undefined;
    if (other) {
      problems.add('DuplicatePullThroughCachePrefix',
        `ecrRepositoryPrefix '${this.ecrRepositoryPrefix}' is already the prefix of ${other.node.path} in ${claimEnvironment(this).label}: ` +
        "ECR keeps one cache rule per prefix in an account and Region; pass another ecrRepositoryPrefix, e.g. 'docker-hub-mirror'");
    }
    if (props.upstreamRepositoryPrefix !== undefined) {
      validateCachePrefix(problems, props.upstreamRepositoryPrefix, 'upstreamRepositoryPrefix');
      if (this.ecrRepositoryPrefix === ROOT) {
        problems.add('UpstreamPrefixWithRoot',
          `upstreamRepositoryPrefix '${props.upstreamRepositoryPrefix}' can only be set with a non-ROOT ` +
          'ecrRepositoryPrefix: set ecrRepositoryPrefix (e.g. \'team-a\') or remove upstreamRepositoryPrefix');
      }
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && !hasPullThroughCache(region)) {
      problems.add('PullThroughCacheUnsupportedRegion',
        `Region '${region}' has no ECR pull through cache (not in China or AWS GovCloud (US) Regions): ` +
        'deploy the cache in a commercial Region');
    }
    return problems;
  }
}
