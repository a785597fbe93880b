import {
  Stack, Token, Validations,
  aws_ecr as ecr, aws_iam as iam, aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { Problems } from '../private/errors';
import { acknowledgeWildcardResources } from '../private/nag';
import { validateAccountId, validateRegion } from '../private/validation';

/**
 * Secrets that hold upstream credentials must be named with this prefix.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 */
export const PULL_THROUGH_CACHE_SECRET_PREFIX = 'ecr-pullthroughcache/';

/**
 * `ecrRepositoryPrefix` / `upstreamRepositoryPrefix`: 2-30 characters or `ROOT`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-pullthroughcacherule.html
 */
const PREFIX_PATTERN = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;

/** The prefix value that matches every repository. */
export const ROOT_PREFIX = 'ROOT';

/**
 * Actions a principal needs to pull through the cache: the first pull imports the image and
 * creates the cache repository; later pulls are ordinary pulls.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export const PULL_THROUGH_CACHE_ACTIONS: string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:CreateRepository',
  'ecr:GetDownloadUrlForLayer',
];

/**
 * Actions the ECR-to-ECR role needs on the upstream repositories.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
 */
const ECR_UPSTREAM_READ_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetImageCopyStatus',
];

/**
 * Actions the ECR-to-ECR role needs on the downstream (cache) repositories.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
 */
const ECR_DOWNSTREAM_WRITE_ACTIONS = [
  'ecr:BatchImportUpstreamImage',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/**
 * Regions (and partitions) where ECR has no pull through cache.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
const UNSUPPORTED_REGION = /^(cn-|us-gov-)/;

/** Reason given for the cdk-nag rules that want a CMK or rotation on a PTC secret. */
const DEFAULT_KEY_REASON =
  'ECR pull through cache only reads secrets encrypted with the AWS managed aws/secretsmanager key ' +
  '(https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html); ' +
  'a customer managed key breaks the rule';
const ROTATION_REASON =
  'The secret holds an access token issued by the upstream registry (Docker Hub, GitHub, ...); ' +
  'Secrets Manager cannot rotate it, the owner replaces it with put-secret-value when the upstream token changes';

/**
 * Credentials ECR uses to authenticate to an upstream registry: a Secrets Manager secret named
 * `ecr-pullthroughcache/...`, in the rule's account and Region, encrypted with the default
 * `aws/secretsmanager` key, whose JSON value is `{"username": "...", "accessToken": "..."}`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 * @example
 * declare const secret: secretsmanager.ISecret;
 * const fromExisting = UpstreamCredentials.fromSecret(secret);
 * const toFillIn = UpstreamCredentials.placeholder('ecr-pullthroughcache/docker-hub');
 */
export class UpstreamCredentials {
  /**
   * An existing secret. Its name must start with `ecr-pullthroughcache/` (checked when the name
   * or ARN is known at synth time).
   */
  public static fromSecret(secret: secretsmanager.ISecret): UpstreamCredentials {
    return new UpstreamCredentials(secret, undefined);
  }

  /**
   * A secret created with a generated placeholder value that the owner replaces after deploy:
   *
   * ```sh
   * aws secretsmanager put-secret-value --secret-id ecr-pullthroughcache/docker-hub \
   *   --secret-string '{"username":"<user>","accessToken":"<token>"}'
   * ```
   *
   * The credential never appears in the template or the code.
   *
   * @param secretName the secret name, starting with `ecr-pullthroughcache/`
   * (default: `ecr-pullthroughcache/<ecrRepositoryPrefix>`)
   */
  public static placeholder(secretName?: string): UpstreamCredentials {
    return new UpstreamCredentials(undefined, secretName ?? '');
  }

  private constructor(
    private readonly secret: secretsmanager.ISecret | undefined,
    private readonly placeholderName: string | undefined,
  ) {}

  /** Whether the secret is created by the library with a placeholder value. */
  public get isPlaceholder(): boolean {
    return this.secret === undefined;
  }

  /**
   * The secret for a rule with the given prefix (creating the placeholder secret in `scope`).
   * @internal
   */
  public _bind(scope: Construct, ecrRepositoryPrefix: string): secretsmanager.ISecret {
    if (this.secret) {
      return this.secret;
    }
    const existing = scope.node.tryFindChild('Credentials') as secretsmanager.ISecret | undefined;
    if (existing) {
      return existing;
    }
    const prefixPart = Token.isUnresolved(ecrRepositoryPrefix) ? 'cache' :
      ecrRepositoryPrefix === ROOT_PREFIX ? 'root' : ecrRepositoryPrefix.replace(/\/$/, '');
    const name = this.placeholderName || `${PULL_THROUGH_CACHE_SECRET_PREFIX}${prefixPart}`;
    const secret = new secretsmanager.Secret(scope, 'Credentials', {
      secretName: name,
      description: `Upstream credentials of the ECR pull through cache rule '${prefixPart}': ` +
        'replace the placeholder with {"username":...,"accessToken":...}',
      // No encryptionKey: ECR only accepts the default aws/secretsmanager key.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'REPLACE_ME' }),
        generateStringKey: 'accessToken',
        excludePunctuation: true,
      },
    });
    return secret;
  }

  /**
   * The secret's name as far as it is known at synth time.
   * @internal
   */
  public _knownName(): string | undefined {
    if (!this.secret) {
      return this.placeholderName || undefined;
    }
    const child = this.secret.node.defaultChild;
    if (child instanceof secretsmanager.CfnSecret && typeof child.name === 'string' && !Token.isUnresolved(child.name)) {
      return child.name;
    }
    if (!Token.isUnresolved(this.secret.secretName)) {
      return this.secret.secretName;
    }
    if (!Token.isUnresolved(this.secret.secretArn)) {
      const match = /:secret:(.+)$/.exec(this.secret.secretArn);
      return match ? match[1] : undefined;
    }
    return undefined;
  }
}

/**
 * Credentials for an upstream registry that requires them.
 */
export interface UpstreamCredentialsOptions {
  /**
   * The Secrets Manager secret with the upstream username and access token.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
   */
  readonly credentials: UpstreamCredentials;
}

/**
 * An Azure Container Registry upstream.
 */
export interface AzureContainerRegistryOptions extends UpstreamCredentialsOptions {
  /**
   * The registry name, the `<name>` of `<name>.azurecr.io` (5-50 letters and digits).
   */
  readonly registryName: string;
}

/**
 * A private ECR registry as upstream (ECR-to-ECR pull through cache).
 */
export interface EcrUpstreamOptions {
  /** The upstream registry's account id. */
  readonly account: string;

  /** The upstream registry's Region. */
  readonly region: string;

  /**
   * The role ECR assumes to pull from the upstream registry. It must be in the account of the
   * cache, trusted by `pullthroughcache.ecr.amazonaws.com`.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
   * @default - a role trusted by `pullthroughcache.ecr.amazonaws.com` with least-privilege
   * permissions on the upstream and cache repositories, in a managed policy
   */
  readonly role?: iam.IRole;
}

/**
 * The rendered properties of an upstream, for the L1.
 * @internal
 */
export interface UpstreamRender {
  readonly upstreamRegistry: string;
  readonly upstreamRegistryUrl: string;
}

/**
 * An upstream registry a pull through cache rule caches images from.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 * @example
 * declare const secret: secretsmanager.ISecret;
 * UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.fromSecret(secret) });
 * UpstreamRegistry.ecrPublic();
 * UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' });
 */
export class UpstreamRegistry {
  /** Docker Hub (`registry-1.docker.io`); official images live under `library/`. */
  public static dockerHub(options: UpstreamCredentialsOptions): UpstreamRegistry {
    return new UpstreamRegistry('docker-hub', 'registry-1.docker.io', 'docker-hub', options.credentials);
  }

  /** GitHub Container Registry (`ghcr.io`). */
  public static githubContainerRegistry(options: UpstreamCredentialsOptions): UpstreamRegistry {
    return new UpstreamRegistry('github-container-registry', 'ghcr.io', 'ghcr', options.credentials);
  }

  /** Quay (`quay.io`), no credentials. */
  public static quay(): UpstreamRegistry {
    return new UpstreamRegistry('quay', 'quay.io', 'quay', undefined);
  }

  /** Amazon ECR Public (`public.ecr.aws`), no credentials. */
  public static ecrPublic(): UpstreamRegistry {
    return new UpstreamRegistry('ecr-public', 'public.ecr.aws', 'ecr-public', undefined);
  }

  /** The Kubernetes container image registry (`registry.k8s.io`), no credentials. */
  public static kubernetes(): UpstreamRegistry {
    return new UpstreamRegistry('k8s', 'registry.k8s.io', 'k8s', undefined);
  }

  /** A Microsoft Azure Container Registry (`<registryName>.azurecr.io`). */
  public static azureContainerRegistry(options: AzureContainerRegistryOptions): UpstreamRegistry {
    const problems = new Problems();
    // Azure registry names: 5-50 alphanumeric characters.
    // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftcontainerregistry
    if (!Token.isUnresolved(options.registryName) && !/^[a-zA-Z0-9]{5,50}$/.test(options.registryName)) {
      problems.add('InvalidAzureRegistryName',
        `registryName '${options.registryName}' is not an Azure Container Registry name: use the 5-50 letters ` +
        'and digits before .azurecr.io, e.g. \'myregistry\'');
    }
    problems.throwIfAnyUnscoped();
    return new UpstreamRegistry('azure-container-registry', `${options.registryName.toLowerCase()}.azurecr.io`,
      'azure', options.credentials);
  }

  /** The GitLab Container Registry (`registry.gitlab.com`, GitLab SaaS only). */
  public static gitLab(options: UpstreamCredentialsOptions): UpstreamRegistry {
    return new UpstreamRegistry('gitlab-container-registry', 'registry.gitlab.com', 'gitlab', options.credentials);
  }

  /** Chainguard (`cgr.dev`); the secret holds the username and a pull token. */
  public static chainguard(options: UpstreamCredentialsOptions): UpstreamRegistry {
    return new UpstreamRegistry('chainguard', 'cgr.dev', 'chainguard', options.credentials);
  }

  /**
   * A private ECR registry in another account or Region (ECR-to-ECR). Cross-account, the
   * upstream registry (or repository) policy must also allow the cache account
   * `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`, `ecr:BatchImportUpstreamImage` and
   * `ecr:GetImageCopyStatus`.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
   */
  public static ecr(options: EcrUpstreamOptions): UpstreamRegistry {
    const problems = new Problems();
    validateAccountId(problems, options.account, 'account');
    validateRegion(problems, options.region, 'region');
    problems.throwIfAnyUnscoped();
    return new UpstreamRegistry('ecr', `${options.account}.dkr.ecr.${options.region}.amazonaws.com`, 'ecr',
      undefined, options);
  }

  /** The upstream registry URL, e.g. `registry-1.docker.io`. */
  public readonly url: string;

  /** Whether the upstream needs credentials in a Secrets Manager secret. */
  public readonly requiresCredentials: boolean;

  /** The CloudFormation `UpstreamRegistry` value, e.g. `docker-hub`. */
  public readonly upstreamRegistryType: string;

  /** The cache prefix used when none is given, e.g. `docker-hub`, `ghcr`, `ecr-public`. */
  public readonly defaultPrefix: string;

  /**
   * The credentials, for upstreams that need them.
   *
   * @default - none for anonymous and ECR upstreams
   */
  public readonly credentials?: UpstreamCredentials;

  /**
   * The upstream account (ECR-to-ECR only).
   *
   * @default - none for other upstreams
   */
  public readonly ecrAccount?: string;

  /**
   * The upstream Region (ECR-to-ECR only).
   *
   * @default - none for other upstreams
   */
  public readonly ecrRegion?: string;

  /**
   * The role ECR assumes (ECR-to-ECR only), when given.
   *
   * @default - none: `PullThroughCache` creates one
   */
  public readonly ecrRole?: iam.IRole;

  private constructor(upstreamRegistry: string, url: string, defaultPrefix: string,
    credentials: UpstreamCredentials | undefined, ecrOptions?: EcrUpstreamOptions) {
    this.upstreamRegistryType = upstreamRegistry;
    this.url = url;
    this.defaultPrefix = defaultPrefix;
    this.credentials = credentials;
    this.requiresCredentials = !['quay', 'ecr-public', 'k8s', 'ecr'].includes(upstreamRegistry);
    this.ecrAccount = ecrOptions?.account;
    this.ecrRegion = ecrOptions?.region;
    this.ecrRole = ecrOptions?.role;
  }

  /**
   * The L1 properties that name the upstream.
   * @internal
   */
  public _render(): UpstreamRender {
    return { upstreamRegistry: this.upstreamRegistryType, upstreamRegistryUrl: this.url };
  }
}

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
    super(scope, id);
    const upstream = props.upstream;
    this.upstream = upstream;
    this.ecrRepositoryPrefix = props.ecrRepositoryPrefix ?? upstream.defaultPrefix;
    this.validate(props);

    if (upstream.credentials) {
      this.credentialSecret = upstream.credentials._bind(this, this.ecrRepositoryPrefix);
      if (upstream.credentials.isPlaceholder) {
        acknowledgeDefaultKeySecret(this.credentialSecret);
      }
    }
    if (upstream.upstreamRegistryType === 'ecr') {
      this.role = upstream.ecrRole ?? this.createEcrRole(props);
    }

    const rendered = upstream._render();
    this.resource = new ecr.CfnPullThroughCacheRule(this, 'Resource', {
      ecrRepositoryPrefix: this.ecrRepositoryPrefix,
      upstreamRegistry: rendered.upstreamRegistry,
      upstreamRegistryUrl: rendered.upstreamRegistryUrl,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
      credentialArn: this.credentialSecret?.secretArn,
      customRoleArn: this.role?.roleArn,
    });
    if (this.role) {
      this.resource.node.addDependency(this.role);
    }
  }

  /**
   * The ARN pattern of the cache repositories (`repository/<prefix>/*`, or `repository/*` for
   * `ROOT`).
   */
  public get repositoryArnPattern(): string {
    return cacheRepositoryArn(this, this.ecrRepositoryPrefix);
  }

  /**
   * Grants a principal what it needs to pull through the cache: `ecr:BatchImportUpstreamImage`
   * and `ecr:CreateRepository` (first pull) plus the pull actions on the cache repositories,
   * and `ecr:GetAuthorizationToken` on `*` (AWS allows no narrower resource).
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
   */
  public grantPullThroughCache(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: PULL_THROUGH_CACHE_ACTIONS,
      resourceArns: [this.repositoryArnPattern],
    });
    // AWS forces '*': GetAuthorizationToken has no resource type.
    iam.Grant.addToPrincipal({ grantee, actions: ['ecr:GetAuthorizationToken'], resourceArns: ['*'] });
    return grant;
  }

  private validate(props: PullThroughCacheProps): void {
    const problems = new Problems();
    const upstream = props.upstream;
    const stack = Stack.of(this);
    validatePrefix(problems, this.ecrRepositoryPrefix, 'ecrRepositoryPrefix');
    if (props.upstreamRepositoryPrefix !== undefined) {
      validatePrefix(problems, props.upstreamRepositoryPrefix, 'upstreamRepositoryPrefix');
      if (this.ecrRepositoryPrefix === ROOT_PREFIX) {
        problems.add('UpstreamPrefixWithRoot',
          `upstreamRepositoryPrefix '${props.upstreamRepositoryPrefix}' can only be set with a non-ROOT ` +
          'ecrRepositoryPrefix: set ecrRepositoryPrefix (e.g. \'team-a\') or remove upstreamRepositoryPrefix');
      }
    }
    if (upstream.requiresCredentials && !upstream.credentials) {
      problems.add('MissingUpstreamCredentials',
        `upstream '${upstream.upstreamRegistryType}' needs credentials: pass UpstreamCredentials.fromSecret(secret) ` +
        'or UpstreamCredentials.placeholder()');
    }
    const name = upstream.credentials?._knownName();
    if (name !== undefined && !name.startsWith(PULL_THROUGH_CACHE_SECRET_PREFIX)) {
      problems.add('InvalidCredentialSecretName',
        `secret name '${name}' does not start with '${PULL_THROUGH_CACHE_SECRET_PREFIX}': ECR only reads secrets ` +
        `with that prefix; name it e.g. '${PULL_THROUGH_CACHE_SECRET_PREFIX}${upstream.defaultPrefix}'`);
    }
    const region = stack.region;
    if (!Token.isUnresolved(region) && UNSUPPORTED_REGION.test(region)) {
      problems.add('PullThroughCacheUnsupportedRegion',
        `Region '${region}' has no ECR pull through cache (not in China or AWS GovCloud (US) Regions): ` +
        'deploy the cache in a commercial Region');
    }
    if (upstream.upstreamRegistryType === 'ecr') {
      const sameAccount = upstream.ecrAccount === stack.account && !Token.isUnresolved(stack.account);
      const sameRegion = upstream.ecrRegion === stack.region && !Token.isUnresolved(stack.region);
      if (sameAccount && sameRegion) {
        problems.add('EcrUpstreamIsSelf',
          `upstream ECR registry ${upstream.ecrAccount}/${upstream.ecrRegion} is this registry: ` +
          'an ECR-to-ECR cache needs another account or Region');
      }
      // "This role must be in the same account as the registry that you are configuring."
      // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
      const roleAccount = upstream.ecrRole?.env.account;
      if (roleAccount !== undefined && !Token.isUnresolved(roleAccount) && !Token.isUnresolved(stack.account) &&
        roleAccount !== stack.account) {
        problems.add('EcrRoleInOtherAccount',
          `role ${upstream.ecrRole!.roleArn} is in account ${roleAccount}, but ECR only assumes a role in the cache's ` +
          `account ${stack.account}: use a role of ${stack.account}, or leave role out to have one created`);
      }
      if (upstream.ecrRegion && !Token.isUnresolved(upstream.ecrRegion) && UNSUPPORTED_REGION.test(upstream.ecrRegion)) {
        problems.add('PullThroughCacheUnsupportedRegion',
          `upstream Region '${upstream.ecrRegion}' is in a partition without ECR pull through cache: ` +
          'use a commercial Region');
      }
    }
    problems.throwIfAny(this);
  }

  private createEcrRole(props: PullThroughCacheProps): iam.IRole {
    const upstream = props.upstream;
    const stack = Stack.of(this);
    const upstreamPrefix = props.upstreamRepositoryPrefix;
    const upstreamRepos = upstreamPrefix === undefined || upstreamPrefix === ROOT_PREFIX ? 'repository/*' :
      `repository/${upstreamPrefix.replace(/\/$/, '')}/*`;
    const upstreamArn = `arn:${stack.partition}:ecr:${upstream.ecrRegion}:${upstream.ecrAccount}:${upstreamRepos}`;
    const policy = new iam.ManagedPolicy(this, 'RolePolicy', {
      description: `ECR pull through cache from ${upstream.url}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadUpstream',
          actions: ECR_UPSTREAM_READ_ACTIONS,
          resources: [upstreamArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteCache',
          actions: ECR_DOWNSTREAM_WRITE_ACTIONS,
          resources: [this.repositoryArnPattern],
        }),
        new iam.PolicyStatement({
          sid: 'Authenticate',
          // AWS forces '*': GetAuthorizationToken has no resource type.
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        }),
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pullthroughcache.ecr.amazonaws.com'),
      description: `Assumed by ECR to pull through cache from ${upstream.url}`,
      managedPolicies: [policy],
    });
    acknowledgeWildcardResources(policy, [upstreamArn, this.repositoryArnPattern],
      'ECR creates the cache repositories on first pull with names only known by prefix, and the upstream ' +
      'repositories are only known by prefix too: each wildcard is limited to one prefix in one account and Region');
    acknowledgeWildcardResources(policy, ['*'],
      'ecr:GetAuthorizationToken has no resource type, so AWS accepts only * for it');
    return role;
  }
}

function validatePrefix(problems: Problems, prefix: string, prop: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  if (prefix !== ROOT_PREFIX && (prefix.length < 2 || prefix.length > 30 || !PREFIX_PATTERN.test(prefix))) {
    problems.add('InvalidRepositoryPrefix',
      `${prop} '${prefix}' is invalid: use 2-30 lowercase letters and digits separated by '.', '_', '__', '-' ` +
      'or \'/\' (e.g. \'docker-hub\'), or \'ROOT\'');
  }
}

function cacheRepositoryArn(scope: IConstruct, prefix: string): string {
  const stack = Stack.of(scope);
  const resourceName = prefix === ROOT_PREFIX ? '*' :
    Token.isUnresolved(prefix) ? `${prefix}/*` : `${prefix.replace(/\/$/, '')}/*`;
  return stack.formatArn({ service: 'ecr', resource: 'repository', resourceName });
}

/**
 * Acknowledges the findings that ask for a CMK or rotation on a secret that ECR requires to use
 * the default key and whose value is a token issued by the upstream.
 */
function acknowledgeDefaultKeySecret(secret: IConstruct): void {
  const v = Validations.of(secret);
  for (const id of [
    'HIPAA.Security::HIPAA.Security-SecretsManagerUsingKMSKey',
    'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerUsingKMSKey',
    'PCI.DSS.321::PCI.DSS.321-SecretsManagerUsingKMSKey',
  ]) {
    v.acknowledge({ id, reason: DEFAULT_KEY_REASON });
  }
  for (const id of [
    'AwsSolutions::AwsSolutions-SMG4',
    'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
    'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
  ]) {
    v.acknowledge({ id, reason: ROTATION_REASON });
  }
}
