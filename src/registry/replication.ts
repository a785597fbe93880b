import { Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CreationTemplateAppliedFor, RepositoryCreationTemplate } from './creation-template';
import { SecureRegistry } from './secure-registry';
import { RegistryBaseline } from '../baseline/registry-baseline';
import { ECR_REPLICATION_ACTIONS } from '../private/ecr-actions';
import { validateReplicationPrefixes } from '../private/ecr-model';
import { Problems } from '../private/errors';
import { validateAccountId, validateRegion } from '../private/validation';

/** The registry permissions a source account needs in a destination registry to replicate into it. */
const REPLICATION_ACTIONS = ECR_REPLICATION_ACTIONS;

/**
 * Properties of a `ReplicationDestination`.
 */
export interface ReplicationDestinationProps {
  /** The account that replicates into this registry (12 digits). */
  readonly sourceAccount: string;

  /**
   * The Region that replicates into this registry. Only used to check that the source is
   * not this registry itself.
   *
   * @default - not checked
   */
  readonly sourceRegion?: string;

  /**
   * The prefixes of the replicated repositories (as given to `replicateTo`), e.g. `prod/`;
   * each gets a `REPLICATION` creation template and, for another account, its own resource in
   * the registry policy.
   *
   * @default - every repository (a `ROOT` template; the policy covers `repository/*`)
   */
  readonly repositoryPrefixes?: string[];

  /**
   * The posture of replicated repositories.
   *
   * @default - the registry's baseline
   */
  readonly baseline?: RegistryBaseline;

  /**
   * The `SecureRegistry` of this account and Region, if the app declares one: the destination
   * adds its template and policy statement to it instead of declaring second singletons.
   *
   * @default - a `SecureRegistry` with default settings is created as `Registry`
   */
  readonly registry?: SecureRegistry;
}

/**
 * What a registry needs to receive replication: a `REPLICATION` creation template, so that
 * every replicated repository gets the baseline (KMS key, immutable tags, lifecycle policy,
 * tags), and, when the source is another account, a registry policy statement that lets the
 * source replicate (`ecr:ReplicateImage`, `ecr:CreateRepository`) into the replicated prefixes
 * and nothing else. Same-account cross-Region replication needs no policy.
 *
 * Deploy it in each destination environment before the source's replication rule.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 *
 * @example
 * new ReplicationDestination(this, 'FromRegistry', {
 *   sourceAccount: '111111111111',
 *   sourceRegion: 'us-east-1',
 *   repositoryPrefixes: ['prod/'],
 * });
 */
export class ReplicationDestination extends Construct {
  /** The registry that receives the replicated repositories. */
  public readonly registry: SecureRegistry;
  /** The creation templates of the replicated prefixes. */
  public readonly templates: RepositoryCreationTemplate[];

  constructor(scope: Construct, id: string, props: ReplicationDestinationProps) {
    super(scope, id);
    const problems = new Problems();
    const prefixes = props.repositoryPrefixes ?? [];
    validateAccountId(problems, props.sourceAccount, 'sourceAccount');
    validateRegion(problems, props.sourceRegion, 'sourceRegion');
    validateReplicationPrefixes(problems, prefixes, 'repositoryPrefixes');
    if (props.repositoryPrefixes !== undefined && prefixes.length === 0) {
      problems.add('InvalidReplicationPrefix',
        'repositoryPrefixes is empty: omit it to receive every repository, or give prefixes such as \'prod/\'');
    }
    const stack = Stack.of(this);
    if (props.registry && Stack.of(props.registry) !== stack &&
      (props.registry.account !== stack.account || props.registry.region !== stack.region)) {
      problems.add('RegistryInOtherEnvironment',
        `registry ${props.registry.node.path} is in ${props.registry.account}/${props.registry.region}, not in this ` +
        `destination's ${stack.account}/${stack.region}: pass the registry of this environment`);
    }
    if (props.sourceRegion !== undefined && !Token.isUnresolved(props.sourceRegion) &&
      props.sourceAccount === stack.account && props.sourceRegion === stack.region) {
      problems.add('ReplicationFromSelf',
        `the source ${props.sourceAccount}/${props.sourceRegion} is this registry itself: ECR replicates to other ` +
        'Regions or accounts only');
    }
    problems.throwIfAny(this);

    this.registry = props.registry ?? new SecureRegistry(this, 'Registry', { baseline: props.baseline });
    const baseline = props.registry ? (props.baseline ?? this.registry.baseline) : this.registry.baseline;
    const templatePrefixes = prefixes.length > 0 ? prefixes : ['ROOT'];
    this.templates = templatePrefixes.map((prefix) => this.registry.addCreationTemplate({
      prefix,
      appliedFor: [CreationTemplateAppliedFor.REPLICATION],
      baseline,
      description: `Secure baseline for repositories replicated from ${props.sourceAccount} (cdk-secure-registry)`,
    }));

    const crossAccount = Token.isUnresolved(props.sourceAccount) || Token.isUnresolved(stack.account) ||
      props.sourceAccount !== stack.account;
    if (crossAccount) {
      const tags = Object.keys(baseline._resolve().tags).length > 0;
      this.registry.addToRegistryPolicy(new iam.PolicyStatement({
        sid: `ReplicationFrom${Token.isUnresolved(props.sourceAccount) ? 'Source' : props.sourceAccount}`,
        principals: [new iam.AccountPrincipal(props.sourceAccount)],
        // Tags that a template applies to replicated repositories need ecr:TagResource in the
        // destination registry policy.
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
        actions: tags ? [...REPLICATION_ACTIONS, 'ecr:TagResource'] : REPLICATION_ACTIONS,
        resources: (prefixes.length > 0 ? prefixes : ['']).map((p) => stack.formatArn({
          service: 'ecr',
          resource: 'repository',
          resourceName: `${p}*`,
        })),
      }));
    }
  }
}
