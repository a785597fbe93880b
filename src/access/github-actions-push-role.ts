import { Duration, Stack, Token, aws_ecr as ecr, aws_iam as iam, aws_signer as signer } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { repositoryArn } from '../private/arn';
import {
  ECR_AUTH_ACTIONS,
  ECR_CREATE_ON_PUSH_ACTIONS,
  ECR_PUSH_ACTIONS,
  SIGNER_SIGN_ACTIONS,
} from '../private/ecr-actions';
import { Problems, SecureRegistryError } from '../private/errors';
import { addToManagedPolicy } from '../private/managed-policy-role';
import { futurePath } from '../private/scope-path';
import {
  BOOLEAN, DURATION, OIDC_PROVIDER, REPOSITORY, SCOPE, SIGNING_PROFILE, STRING, arrayOf, checkArgs, constructArgs, required, struct, withExample,
} from '../private/shape';

/** The shape of `GitHubActionsPushRoleProps`, checked at run time for JavaScript callers. */
const PUSH_ROLE_PROPS = struct('GitHubActionsPushRoleProps', () => ({
  githubRepository: required(withExample(STRING, "'example-org/orders'")),
  branches: arrayOf(STRING, "['main']"),
  environments: arrayOf(STRING, "['production']"),
  repositories: arrayOf(REPOSITORY),
  repositoryPrefixes: arrayOf(STRING, "['team-a/']"),
  registryAccount: STRING,
  registryRegion: STRING,
  createOnPush: BOOLEAN,
  signingProfiles: arrayOf(SIGNING_PROFILE),
  oidcProvider: OIDC_PROVIDER,
  maxSessionDuration: DURATION,
  roleName: STRING,
}), "{ githubRepository: 'example-org/orders', repositoryPrefixes: ['orders/'] }");
import { validateAccountId, validateRegion, validateRepositoryName } from '../private/validation';

/** `owner/repository` as GitHub spells it: no wildcards, exactly one `/`. */
const GITHUB_REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** A git branch name or GitHub environment name without IAM wildcards. */
const NO_WILDCARD_PATTERN = /^[^*?\s]+$/;

/** A signer profile ARN, as ECR's signing configuration schema spells it. */
const SIGNING_PROFILE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$/;

/**
 * Properties of a `GitHubActionsPushRole`.
 */
export interface GitHubActionsPushRoleProps {
  /**
   * The GitHub repository whose workflows may assume the role, as `owner/name`
   * (e.g. `example-org/orders`). Wildcards are refused: they would let other repositories in.
   */
  readonly githubRepository: string;

  /**
   * Branches whose workflows may assume the role (exact names, e.g. `main`). Each becomes a
   * `sub` claim `repo:<owner>/<name>:ref:refs/heads/<branch>`.
   *
   * @default - `['main']` when `environments` is not given, otherwise none
   */
  readonly branches?: string[];

  /**
   * GitHub environments whose jobs may assume the role (e.g. `production`). Each becomes a
   * `sub` claim `repo:<owner>/<name>:environment:<environment>`. Prefer environments with
   * protection rules for production pushes.
   *
   * @default - no environment
   */
  readonly environments?: string[];

  /**
   * Repositories the role may push to, each granted with `repository.grantPush(role)`: a
   * `SecureRepository` of a registry with managed signing adds `signer:SignPayload` on the
   * profiles of the rules that cover it.
   *
   * @default - none; give `repositories` or `repositoryPrefixes` (or both)
   */
  readonly repositories?: ecr.IRepository[];

  /**
   * Repository name prefixes the role may push to, in this stack's registry (account and Region)
   * unless `registryAccount`/`registryRegion` say otherwise; `team-a/` allows
   * `repository/team-a/*`. A trailing `/` is added when missing so that `team-a` does not also
   * match `team-ab/...`.
   *
   * @default - none
   */
  readonly repositoryPrefixes?: string[];

  /**
   * The account of the registry that `repositoryPrefixes` refer to.
   *
   * @default - this stack's account
   */
  readonly registryAccount?: string;

  /**
   * The Region of the registry that `repositoryPrefixes` refer to.
   *
   * @default - this stack's Region
   */
  readonly registryRegion?: string;

  /**
   * Let pushes create repositories under `repositoryPrefixes` through a `CREATE_ON_PUSH`
   * repository creation template: adds `ecr:CreateRepository` on those prefixes only.
   *
   * @default false - pushes only reach repositories that exist
   */
  readonly createOnPush?: boolean;

  /**
   * Signer profiles of the registry's managed signing rules that cover `repositoryPrefixes`.
   * ECR signs with the pusher's identity, so the role gets `signer:SignPayload` on exactly
   * these profiles. `repositories` that belong to a `SecureRegistry` need none: their
   * `grantPush` asks the registry.
   *
   * @default - no signing permission for pushes to `repositoryPrefixes`
   */
  readonly signingProfiles?: signer.ISigningProfile[];

  /**
   * The account's GitHub Actions OpenID Connect provider. IAM holds one provider per URL in an
   * account, so creating a second one fails the deploy: in an account that already trusts
   * GitHub Actions (from another stack or tool), pass
   * `GitHubActionsPushRole.existingOidcProvider(this)`.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
   * @default - a new `AWS::IAM::OIDCProvider` for `token.actions.githubusercontent.com`, one per
   * stack, shared by the stack's push roles
   */
  readonly oidcProvider?: iam.IOidcProvider;

  /**
   * How long a session may last. IAM accepts 1 to 12 hours.
   *
   * @default Duration.hours(1) - the shortest IAM allows
   */
  readonly maxSessionDuration?: Duration;

  /**
   * A name for the role.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;
}

/**
 * A least-privilege role GitHub Actions assumes through OpenID Connect to push images.
 *
 * The trust policy accepts only tokens for audience `sts.amazonaws.com` whose `sub` claim is one
 * of the listed branches or environments of one GitHub repository (`StringEquals`, no
 * wildcards). The permissions, in a customer managed policy (not inline), are the push actions
 * on the given repositories or prefixes, `ecr:GetAuthorizationToken` (which has no resource
 * type), and, only where they apply, `ecr:CreateRepository` for create-on-push prefixes and
 * `signer:SignPayload` for managed signing. No `kms:*`: ECR encrypts with its own grant on the
 * repository key. No repository-policy, delete or lifecycle actions.
 *
 * For a repository in another account, the registry account must also allow the push in the
 * repository policy (account root with an `aws:PrincipalArn` condition).
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 * @example
 * declare const repository: ecr.IRepository;
 * new GitHubActionsPushRole(this, 'PushRole', {
 *   githubRepository: 'example-org/orders',
 *   branches: ['main'],
 *   repositories: [repository],
 * });
 */
export class GitHubActionsPushRole extends iam.Role {
  /** GitHub's OpenID Connect issuer for GitHub Actions on github.com. */
  public static readonly OIDC_PROVIDER_URL = 'https://token.actions.githubusercontent.com';

  /** The audience `aws-actions/configure-aws-credentials` requests. */
  public static readonly AUDIENCE = 'sts.amazonaws.com';

  /**
   * The GitHub Actions OpenID Connect provider the account already has, imported by its
   * well-known ARN (`arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`,
   * the scope's account): no resource is created. One import per stack, shared.
   *
   * @example
   * new GitHubActionsPushRole(this, 'PushRole', {
   *   githubRepository: 'example-org/orders',
   *   repositoryPrefixes: ['orders/'],
   *   oidcProvider: GitHubActionsPushRole.existingOidcProvider(this),
   * });
   */
  public static existingOidcProvider(scope: Construct): iam.IOidcProvider {
    checkArgs(undefined, [['scope', scope, required(SCOPE)]]);
    const stack = Stack.of(scope);
    const id = 'ExistingGitHubActionsOidcProvider';
    const existing = stack.node.tryFindChild(id) as iam.IOidcProvider | undefined;
    if (existing) {
      return existing;
    }
    const host = GitHubActionsPushRole.OIDC_PROVIDER_URL.replace(/^https:\/\//, '');
    return iam.OidcProviderNative.fromOidcProviderArn(stack, id,
      stack.formatArn({ service: 'iam', region: '', resource: 'oidc-provider', resourceName: host }));
  }

  /** The customer managed policy that holds every permission of the role. */
  public readonly policy: iam.ManagedPolicy;

  /** The OpenID Connect provider the role trusts. */
  public readonly oidcProvider: iam.IOidcProvider;

  /** The `sub` claims the trust policy accepts. */
  public readonly subjects: string[];

  constructor(scope: Construct, id: string, props: GitHubActionsPushRoleProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(PUSH_ROLE_PROPS)]]);
    const problems = new Problems();
    const subjects = validateAndRenderSubjects(problems, props);
    const prefixes = (props.repositoryPrefixes ?? []).map((p) => (p.endsWith('/') || Token.isUnresolved(p) ? p : `${p}/`));
    for (const prefix of props.repositoryPrefixes ?? []) {
      validateRepositoryName(problems, prefix.replace(/\/$/, ''), 'repositoryPrefixes');
    }
    validateAccountId(problems, props.registryAccount, 'registryAccount');
    validateRegion(problems, props.registryRegion, 'registryRegion');
    if ((props.repositories ?? []).length === 0 && prefixes.length === 0) {
      problems.add('NoPushTarget',
        'a push role needs somewhere to push: give repositories (ecr.IRepository[]) or repositoryPrefixes (e.g. [\'team-a/\'])');
    }
    if (props.createOnPush && prefixes.length === 0) {
      problems.add('CreateOnPushNeedsPrefix',
        'createOnPush is true but repositoryPrefixes is empty: ecr:CreateRepository is only granted on prefixes; ' +
        'add the prefix of your CREATE_ON_PUSH creation template to repositoryPrefixes');
    }
    for (const profile of props.signingProfiles ?? []) {
      const arn = profile.signingProfileArn;
      if (!Token.isUnresolved(arn) && !SIGNING_PROFILE_ARN_PATTERN.test(arn)) {
        problems.add('InvalidSigningProfileArn',
          `signingProfiles entry '${arn}' is not a signer profile ARN: import the profile with ` +
          '\'arn:aws:signer:<region>:<account>:/signing-profiles/<name>\' ' +
          '(signer.SigningProfile.fromSigningProfileAttributes)');
      }
    }
    const duration = props.maxSessionDuration ?? Duration.hours(1);
    if (!duration.isUnresolved()) {
      const seconds = duration.toSeconds();
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (MaxSessionDuration 3600-43200)
      if (seconds < 3600 || seconds > 43200) {
        problems.add('InvalidMaxSessionDuration',
          `maxSessionDuration is ${seconds} seconds; IAM accepts 1 to 12 hours: use e.g. Duration.hours(1)`);
      }
    }
    problems.throwIfAny(futurePath(scope, id));

    const oidcProvider = props.oidcProvider ?? providerFor(scope, futurePath(scope, id));
    super(scope, id, {
      roleName: props.roleName,
      maxSessionDuration: duration,
      description: `Pushes images from GitHub Actions (${props.githubRepository}) to Amazon ECR`,
      assumedBy: new iam.OpenIdConnectPrincipal(oidcProvider, {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': GitHubActionsPushRole.AUDIENCE,
          'token.actions.githubusercontent.com:sub': subjects.length === 1 ? subjects[0] : subjects,
        },
      }),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least-privilege ECR push for ${props.githubRepository}`,
      roles: [this],
    });
    this.oidcProvider = oidcProvider;
    this.subjects = subjects;

    // ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource. The same
    // statement as the one grantPush adds, so the policy holds it once.
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
    iam.Grant.addToPrincipal({ grantee: this, actions: ECR_AUTH_ACTIONS, resourceArns: ['*'] });
    const stack = Stack.of(this);
    const prefixArns = prefixes.map((prefix) => repositoryArn(stack,
      props.registryAccount ?? stack.account, props.registryRegion ?? stack.region, `${prefix}*`));
    if (prefixArns.length > 0) {
      this.policy.addStatements(new iam.PolicyStatement({ sid: 'PushImages', actions: ECR_PUSH_ACTIONS, resources: prefixArns }));
    }
    if (props.createOnPush) {
      this.policy.addStatements(new iam.PolicyStatement({
        sid: 'CreateOnPush',
        actions: ECR_CREATE_ON_PUSH_ACTIONS,
        resources: prefixArns,
      }));
    }
    const profiles = props.signingProfiles ?? [];
    if (profiles.length > 0) {
      // Managed signing signs with the pusher's identity.
      // https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
      this.policy.addStatements(new iam.PolicyStatement({
        sid: 'ManagedSigning',
        actions: SIGNER_SIGN_ACTIONS,
        resources: profiles.map((p) => p.signingProfileArn),
      }));
    }
    for (const repository of props.repositories ?? []) {
      repository.grantPush(this);
    }
  }

  /**
   * Adds statements to the role's managed policy instead of an inline policy, so grants made
   * later (e.g. `repository.grantPush(role)`) stay out of inline policies.
   */
  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return addToManagedPolicy(this.policy, statement) ?? super.addToPrincipalPolicy(statement);
  }
}

/** Stacks that create the GitHub Actions provider, by account, per app. */
const PROVIDER_OWNERS = new WeakMap<IConstruct, Map<string, Stack>>();

function providerFor(scope: Construct, where: IConstruct): iam.IOidcProvider {
  const stack = Stack.of(scope);
  const id = 'GitHubActionsOidcProvider';
  const existing = stack.node.tryFindChild(id) as iam.IOidcProvider | undefined;
  if (existing) {
    return existing;
  }
  // IAM keeps one provider per URL in an account: a second stack of the same account that
  // creates it would fail at deploy.
  if (!Token.isUnresolved(stack.account)) {
    let owners = PROVIDER_OWNERS.get(stack.node.root);
    if (!owners) {
      owners = new Map();
      PROVIDER_OWNERS.set(stack.node.root, owners);
    }
    const owner = owners.get(stack.account);
    if (owner) {
      throw new SecureRegistryError(where, 'DuplicateOidcProvider',
        `stack ${owner.node.path} already creates the GitHub Actions OIDC provider of account ${stack.account}, and IAM ` +
        'keeps one per URL in an account: pass oidcProvider: GitHubActionsPushRole.existingOidcProvider(this) ' +
        '(or that stack\'s role.oidcProvider) here');
    }
    owners.set(stack.account, stack);
  }
  return new iam.OidcProviderNative(stack, id, {
    url: GitHubActionsPushRole.OIDC_PROVIDER_URL,
    clientIds: [GitHubActionsPushRole.AUDIENCE],
  });
}

function validateAndRenderSubjects(problems: Problems, props: GitHubActionsPushRoleProps): string[] {
  const repo = props.githubRepository;
  if (!Token.isUnresolved(repo) && !GITHUB_REPOSITORY_PATTERN.test(repo)) {
    problems.add('InvalidGitHubRepository',
      `githubRepository '${repo}' is not a GitHub repository: use 'owner/name' without wildcards, e.g. 'example-org/orders'`);
  }
  const branches = props.branches ?? (props.environments && props.environments.length > 0 ? [] : ['main']);
  const environments = props.environments ?? [];
  for (const [prop, values] of [['branches', branches], ['environments', environments]] as const) {
    for (const value of values) {
      if (!Token.isUnresolved(value) && !NO_WILDCARD_PATTERN.test(value)) {
        problems.add('WildcardSubject',
          `${prop} entry '${value}' contains a wildcard or space: the trust policy matches the 'sub' claim exactly; ` +
          `list each ${prop === 'branches' ? 'branch' : 'environment'} by name`);
      }
    }
  }
  if (branches.length === 0 && environments.length === 0) {
    problems.add('NoGitHubSubject',
      'branches and environments are both empty: no workflow could assume the role; give e.g. branches: [\'main\']');
  }
  return [
    ...branches.map((b) => `repo:${repo}:ref:refs/heads/${b}`),
    ...environments.map((e) => `repo:${repo}:environment:${e}`),
  ];
}
