import {
  Stack, Token, Validations,
  aws_iam as iam, aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ECR_AUTH_ACTIONS, ECR_TO_ECR_CACHE_ROLE_ACTIONS } from '../private/ecr-actions';
import {
  PULL_THROUGH_CACHE_SECRET_PREFIX, ROOT, hasPullThroughCache, prefixWithoutSlash, repositoryNamePattern,
  upstreamRequiresCredentials,
} from '../private/ecr-model';
import { Problems, ValidationProblem } from '../private/errors';
import { acknowledgeWildcardResources } from '../private/nag';
import { ROLE, SECRET, STRING, UPSTREAM_CREDENTIALS, checkArgs, required, struct, withExample } from '../private/shape';
import { validateAccountId, validateRegion } from '../private/validation';

/** The shape of `UpstreamCredentialsOptions`, checked at run time for JavaScript callers. */
const CREDENTIALS_OPTIONS = required(struct('UpstreamCredentialsOptions', () => ({
  credentials: required(UPSTREAM_CREDENTIALS),
}), '{ credentials: UpstreamCredentials.placeholder() }'));

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
    checkArgs(undefined, [['secret', secret, required(SECRET)]]);
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
    checkArgs(undefined, [['secretName', secretName, withExample(STRING, "'ecr-pullthroughcache/docker-hub'")]]);
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
      ecrRepositoryPrefix === ROOT ? 'root' : prefixWithoutSlash(ecrRepositoryPrefix);
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
    acknowledgeDefaultKeySecret(secret);
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
 * What a pull through cache rule tells its upstream when binding it.
 * @internal
 */
export interface UpstreamBindOptions {
  /** The rule's cache prefix (or `ROOT`). */
  readonly ecrRepositoryPrefix: string;
  /** The rule's upstream repository prefix, if any. */
  readonly upstreamRepositoryPrefix?: string;
  /** The ARN pattern of the rule's cache repositories. */
  readonly cacheRepositoryArn: string;
}

/**
 * What a bound upstream gives its pull through cache rule.
 * @internal
 */
export interface UpstreamConfig {
  /** The L1 `UpstreamRegistry`. */
  readonly upstreamRegistry: string;
  /** The L1 `UpstreamRegistryUrl`. */
  readonly upstreamRegistryUrl: string;
  /** The secret for the L1 `CredentialArn`. */
  readonly credentialSecret?: secretsmanager.ISecret;
  /** The role for the L1 `CustomRoleArn` (ECR-to-ECR). */
  readonly role?: iam.IRole;
  /** What is wrong with the upstream in this rule's scope; nothing was created when not empty. */
  readonly problems: ValidationProblem[];
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
    checkArgs(undefined, [['options', options, CREDENTIALS_OPTIONS]]);
    return new UpstreamRegistry('docker-hub', 'registry-1.docker.io', 'docker-hub', options.credentials);
  }

  /** GitHub Container Registry (`ghcr.io`). */
  public static githubContainerRegistry(options: UpstreamCredentialsOptions): UpstreamRegistry {
    checkArgs(undefined, [['options', options, CREDENTIALS_OPTIONS]]);
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
    checkArgs(undefined, [['options', options, required(struct('AzureContainerRegistryOptions', () => ({
      credentials: required(UPSTREAM_CREDENTIALS),
      registryName: required(withExample(STRING, "'myregistry'")),
    }), "{ registryName: 'myregistry', credentials: UpstreamCredentials.placeholder() }"))]]);
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
    checkArgs(undefined, [['options', options, CREDENTIALS_OPTIONS]]);
    return new UpstreamRegistry('gitlab-container-registry', 'registry.gitlab.com', 'gitlab', options.credentials);
  }

  /** Chainguard (`cgr.dev`); the secret holds the username and a pull token. */
  public static chainguard(options: UpstreamCredentialsOptions): UpstreamRegistry {
    checkArgs(undefined, [['options', options, CREDENTIALS_OPTIONS]]);
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
    checkArgs(undefined, [['options', options, required(struct('EcrUpstreamOptions', () => ({
      account: required(withExample(STRING, "'222222222222'")),
      region: required(withExample(STRING, "'eu-west-1'")),
      role: ROLE,
    }), "{ account: '222222222222', region: 'eu-west-1' }"))]]);
    const problems = new Problems();
    validateAccountId(problems, options.account, 'account');
    validateRegion(problems, options.region, 'region');
    problems.throwIfAnyUnscoped();
    return new UpstreamRegistry('ecr', `${options.account}.dkr.ecr.${options.region}.amazonaws.com`, 'ecr',
      undefined, new EcrUpstream(options));
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

  /** What only an ECR-to-ECR upstream does when bound: its role and its checks. */
  private readonly ecrUpstream?: EcrUpstream;

  private constructor(upstreamRegistry: string, url: string, defaultPrefix: string,
    credentials: UpstreamCredentials | undefined, ecrUpstream?: EcrUpstream) {
    this.upstreamRegistryType = upstreamRegistry;
    this.url = url;
    this.defaultPrefix = defaultPrefix;
    this.credentials = credentials;
    this.requiresCredentials = upstreamRequiresCredentials(upstreamRegistry);
    this.ecrUpstream = ecrUpstream;
  }

  /**
   * Binds the upstream to a pull through cache rule: checks what the upstream needs in the
   * rule's scope, and when nothing is wrong creates what it needs there (the placeholder
   * secret, the role ECR assumes) and returns the rule's upstream properties.
   * @internal
   */
  public _bind(scope: Construct, options: UpstreamBindOptions): UpstreamConfig {
    const problems = new Problems();
    if (this.requiresCredentials && !this.credentials) {
      problems.add('MissingUpstreamCredentials',
        `upstream '${this.upstreamRegistryType}' needs credentials: pass UpstreamCredentials.fromSecret(secret) ` +
        'or UpstreamCredentials.placeholder()');
    }
    const name = this.credentials?._knownName();
    if (name !== undefined && !name.startsWith(PULL_THROUGH_CACHE_SECRET_PREFIX)) {
      problems.add('InvalidCredentialSecretName',
        `secret name '${name}' does not start with '${PULL_THROUGH_CACHE_SECRET_PREFIX}': ECR only reads secrets ` +
        `with that prefix; name it e.g. '${PULL_THROUGH_CACHE_SECRET_PREFIX}${this.defaultPrefix}'`);
    }
    this.ecrUpstream?.validate(scope, problems);
    const config = { upstreamRegistry: this.upstreamRegistryType, upstreamRegistryUrl: this.url, problems: problems.items };
    if (!problems.isEmpty) {
      return config;
    }
    return {
      ...config,
      credentialSecret: this.credentials?._bind(scope, options.ecrRepositoryPrefix),
      role: this.ecrUpstream?.bindRole(scope, this.url, options),
    };
  }
}

/**
 * An ECR-to-ECR upstream: the role ECR assumes to read the upstream registry and write the
 * cache, and the checks that only apply to it.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
 */
class EcrUpstream {
  constructor(private readonly options: EcrUpstreamOptions) {}

  public validate(scope: Construct, problems: Problems): void {
    const { account, region, role } = this.options;
    const stack = Stack.of(scope);
    const sameAccount = account === stack.account && !Token.isUnresolved(stack.account);
    const sameRegion = region === stack.region && !Token.isUnresolved(stack.region);
    if (sameAccount && sameRegion) {
      problems.add('EcrUpstreamIsSelf',
        `upstream ECR registry ${account}/${region} is this registry: ` +
        'an ECR-to-ECR cache needs another account or Region');
    }
    // "This role must be in the same account as the registry that you are configuring."
    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
    const roleAccount = role?.env.account;
    if (roleAccount !== undefined && !Token.isUnresolved(roleAccount) && !Token.isUnresolved(stack.account) &&
      roleAccount !== stack.account) {
      problems.add('EcrRoleInOtherAccount',
        `role ${role!.roleArn} is in account ${roleAccount}, but ECR only assumes a role in the cache's ` +
        `account ${stack.account}: use a role of ${stack.account}, or leave role out to have one created`);
    }
    if (!Token.isUnresolved(region) && !hasPullThroughCache(region)) {
      problems.add('PullThroughCacheUnsupportedRegion',
        `upstream Region '${region}' is in a partition without ECR pull through cache: ` +
        'use a commercial Region');
    }
  }

  /** The given role, or a least-privilege role created in `scope`. */
  public bindRole(scope: Construct, url: string, options: UpstreamBindOptions): iam.IRole {
    if (this.options.role) {
      return this.options.role;
    }
    const stack = Stack.of(scope);
    const upstreamPrefix = options.upstreamRepositoryPrefix ?? ROOT;
    const upstreamArn = `arn:${stack.partition}:ecr:${this.options.region}:${this.options.account}:` +
      `repository/${repositoryNamePattern(upstreamPrefix)}`;
    const policy = new iam.ManagedPolicy(scope, 'RolePolicy', {
      description: `ECR pull through cache from ${url}`,
      statements: [
        // AWS documents nine actions for this role, on '*', without saying which it calls on the
        // upstream and which on the cache repositories: all nine, on the two sets of repositories
        // the rule touches (the upstream prefix there, the cache prefix here), and the token on '*'.
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
        new iam.PolicyStatement({
          sid: 'PullThroughCache',
          actions: ECR_TO_ECR_CACHE_ROLE_ACTIONS.filter((a) => !ECR_AUTH_ACTIONS.includes(a)),
          resources: [upstreamArn, options.cacheRepositoryArn],
        }),
        new iam.PolicyStatement({
          sid: 'Authenticate',
          // AWS forces '*': GetAuthorizationToken has no resource type.
          actions: ECR_AUTH_ACTIONS,
          resources: ['*'],
        }),
      ],
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('pullthroughcache.ecr.amazonaws.com'),
      description: `Assumed by ECR to pull through cache from ${url}`,
      managedPolicies: [policy],
    });
    acknowledgeWildcardResources(policy, [upstreamArn, options.cacheRepositoryArn],
      'ECR creates the cache repositories on first pull with names only known by prefix, and the upstream ' +
      'repositories are only known by prefix too: each wildcard is limited to one prefix in one account and Region');
    acknowledgeWildcardResources(policy, ['*'],
      'ecr:GetAuthorizationToken has no resource type, so AWS accepts only * for it');
    return role;
  }
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
