import { Annotations, Lazy, Stack, Token, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CreationTemplateAppliedFor, RepositoryCreationTemplate } from './creation-template';
import { ReplicationFailureAlerts } from './replication-failure-alerts';
import { SecureRegistry } from './secure-registry';
import { RegistryBaseline } from '../baseline/registry-baseline';
import { ECR_REPLICATION_ACTIONS, ECR_TAG_ACTIONS } from '../private/ecr-actions';
import { ROOT, validateReplicationPrefixes } from '../private/ecr-model';
import { Problems } from '../private/errors';
import { futurePath } from '../private/scope-path';
import {
  BASELINE, BOOLEAN, SECURE_REGISTRY, STRING, arrayOf, checkArgs, constructArgs, required, struct, withExample,
} from '../private/shape';
import { validateAccountId, validateRegion } from '../private/validation';

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

interface ReplicationRule {
  readonly destinations: Array<{ readonly region: string; readonly account: string }>;
  readonly prefixes: string[];
  readonly filterKey: string;
}

/**
 * The replication of one registry: its rules and the one `ReplicationConfiguration` (created
 * with the first rule). Calls with the same prefixes share a rule (one more destination),
 * calls with other prefixes add a rule.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 */
export class RegistryReplication {
  private readonly rules: ReplicationRule[] = [];
  private configuration?: ecr.CfnReplicationConfiguration;

  /**
   * @param owner the registry construct: errors name it, the configuration is its child
   * @param account the registry's account
   * @param region the registry's Region
   */
  constructor(private readonly owner: Construct, private readonly account: string, private readonly region: string) {}

  /** Adds a destination, to the rule with the same prefixes or to a new rule. */
  public replicateTo(options: ReplicationRuleOptions): void {
    const problems = new Problems();
    const account = options.account ?? this.account;
    const prefixes = validatedPrefixes(problems, options.repositoryPrefixes, 'replicate every repository');
    validateRegion(problems, options.region, 'region');
    validateAccountId(problems, options.account, 'account');
    if (sameValue(account, this.account) && sameValue(options.region, this.region)) {
      problems.add('ReplicationToSelf',
        `replicateTo ${account}/${options.region} is this registry's own account and Region: ` +
        'give another Region or another account');
    }
    const destinationKey = `${account}/${options.region}`;
    const filterKey = prefixes.slice().sort().join(',');
    const sameFilters = this.rules.find((r) => r.filterKey === filterKey);
    if (sameFilters?.destinations.some((d) => `${d.account}/${d.region}` === destinationKey)) {
      problems.add('DuplicateReplicationRule',
        `replication to ${destinationKey} with the same prefixes already exists: drop this call`);
    }
    if (!sameFilters && this.rules.length + 1 > MAX_REPLICATION_RULES) {
      problems.add('TooManyReplicationRules',
        `this would be replication rule ${this.rules.length + 1}; ECR accepts at most ${MAX_REPLICATION_RULES} ` +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html): merge prefixes into fewer rules');
    }
    const destinations = new Set(this.rules.flatMap((r) => r.destinations.map((d) => `${d.account}/${d.region}`)));
    destinations.add(destinationKey);
    if (destinations.size > MAX_REPLICATION_DESTINATIONS) {
      problems.add('TooManyReplicationDestinations',
        `this would be unique replication destination ${destinations.size}; ECR accepts at most ${MAX_REPLICATION_DESTINATIONS} ` +
        'across all rules (see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html)');
    }
    problems.throwIfAny(this.owner);
    if (sameFilters) {
      sameFilters.destinations.push({ region: options.region, account });
    } else {
      this.rules.push({ destinations: [{ region: options.region, account }], prefixes, filterKey });
    }
    if (!this.configuration) {
      this.configuration = new ecr.CfnReplicationConfiguration(this.owner, 'ReplicationConfiguration', {
        replicationConfiguration: { rules: Lazy.any({ produce: () => this.render() }) },
      });
    }
  }

  private render(): ecr.CfnReplicationConfiguration.ReplicationRuleProperty[] {
    return this.rules.map((r) => ({
      destinations: r.destinations.map((d) => ({ region: d.region, registryId: d.account })),
      repositoryFilters: r.prefixes.length > 0
        ? r.prefixes.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' }))
        : undefined,
    }));
  }
}

/**
 * The `repositoryPrefixes` of a replication rule or destination, checked: valid prefixes, and
 * not an empty list (omitting it means every repository; `whenOmitted` says what for).
 */
function validatedPrefixes(problems: Problems, given: string[] | undefined, whenOmitted: string): string[] {
  const prefixes = [...(given ?? [])];
  validateReplicationPrefixes(problems, prefixes, 'repositoryPrefixes');
  if (given !== undefined && prefixes.length === 0) {
    problems.add('InvalidReplicationPrefix',
      `repositoryPrefixes is empty: omit it to ${whenOmitted}, or give prefixes such as 'prod/'`);
  }
  return prefixes;
}

function sameValue(a: string, b: string): boolean {
  return !Token.isUnresolved(a) && !Token.isUnresolved(b) && a === b;
}


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
   * Without it, the destination creates a `SecureRegistry` with default settings, which owns
   * the destination's registry-wide scanning configuration (ENHANCED, on push for every
   * repository) and registry policy: CloudFormation replaces what another stack or tool set
   * there. The construct warns (`cdk-secure-registry:destinationOwnsRegistry`) so that this is
   * never silent.
   *
   * @default - a `SecureRegistry` with default settings is created as `Registry`
   */
  readonly registry?: SecureRegistry;

  /**
   * Alert on an encrypted SNS topic when an image fails to replicate into this registry
   * (`ReplicationFailureAlerts`, here because ECR emits replication events in the destination
   * Region).
   *
   * @default true
   */
  readonly failureAlerts?: boolean;
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
  /**
   * The replication failure alerts.
   *
   * @default - none when `failureAlerts` is false
   */
  public readonly failureAlerts?: ReplicationFailureAlerts;

  constructor(scope: Construct, id: string, props: ReplicationDestinationProps) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, required(struct('ReplicationDestinationProps', () => ({
      sourceAccount: required(withExample(STRING, "'111111111111'")),
      sourceRegion: STRING,
      repositoryPrefixes: arrayOf(STRING, "['prod/']"),
      baseline: BASELINE,
      registry: SECURE_REGISTRY,
      failureAlerts: BOOLEAN,
    }), "{ sourceAccount: '111111111111', repositoryPrefixes: ['prod/'] }"))]]);
    super(scope, id);
    const problems = new Problems();
    const prefixes = validatedPrefixes(problems, props.repositoryPrefixes, 'receive every repository');
    validateAccountId(problems, props.sourceAccount, 'sourceAccount');
    validateRegion(problems, props.sourceRegion, 'sourceRegion');
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
    if (!props.registry) {
      Annotations.of(this).addWarningV2('cdk-secure-registry:destinationOwnsRegistry',
        `no registry was given, so this destination declares the SecureRegistry of ${stack.account}/${stack.region} ` +
        '(ENHANCED scanning on push for every repository, the registry policy): on deploy it replaces the ' +
        'scanning configuration and registry policy that another stack or tool manages there. Pass registry ' +
        'to configure it, or acknowledge this warning if this stack is meant to own the registry');
    }
    const baseline = props.registry ? (props.baseline ?? this.registry.baseline) : this.registry.baseline;
    const templatePrefixes = prefixes.length > 0 ? prefixes : [ROOT];
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
        actions: tags ? [...ECR_REPLICATION_ACTIONS, ...ECR_TAG_ACTIONS] : ECR_REPLICATION_ACTIONS,
        resources: (prefixes.length > 0 ? prefixes : ['']).map((p) => stack.formatArn({
          service: 'ecr',
          resource: 'repository',
          resourceName: `${p}*`,
        })),
      }));
    }
    if (props.failureAlerts ?? true) {
      this.failureAlerts = new ReplicationFailureAlerts(this, 'FailureAlerts', {
        repositoryPrefixes: prefixes.length > 0 ? prefixes : undefined,
      });
    }
  }
}
