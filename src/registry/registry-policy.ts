import { Stack, Token, aws_ecr as ecr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { REGISTRY_POLICY_SETTING, claimEnvironment, otherClaimant, recordClaim } from '../private/claims';
import { ECR_REGISTRY_POLICY_V1_ACTIONS } from '../private/ecr-actions';
import { Problems } from '../private/errors';
import { checkResourcePolicy } from '../private/policy-checks';
import { futurePath } from '../private/scope-path';
import { BOOLEAN, POLICY_STATEMENT, arrayOf, checkArgs, constructArgs, struct } from '../private/shape';

/** ECR accepts registry policies up to 10,240 characters (CloudFormation schema). */
const MAX_POLICY_LENGTH = 10240;

/**
 * Properties of a `RegistryPolicy`.
 */
export interface RegistryPolicyProps {
  /**
   * Statements to start with.
   *
   * @default - none; add them with `addStatements`
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * Whether the registry uses the original policy scope (V1), which only accepts
   * `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository`.
   *
   * @default false - the V2 scope, which accepts every ECR action
   */
  readonly v1Scope?: boolean;
}

/**
 * The registry permissions policy of one account and Region (`AWS::ECR::RegistryPolicy`, a
 * singleton): every statement added to it lands in one resource.
 *
 * Usually owned by a `SecureRegistry` (`addToRegistryPolicy`), which creates it when the first
 * statement arrives. Statements are checked where they are added: AWS principals only, ECR
 * actions only (the three V1 actions under the V1 scope), resources in this registry.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 *
 * @example
 * declare const registry: SecureRegistry;
 * registry.addToRegistryPolicy(new iam.PolicyStatement({
 *   actions: ['ecr:ReplicateImage', 'ecr:CreateRepository'],
 *   principals: [new iam.AccountPrincipal('222222222222')],
 *   resources: ['*'],
 * }));
 */
export class RegistryPolicy extends Construct {
  /** The merged policy document. */
  public readonly document = new iam.PolicyDocument();
  /** The underlying CloudFormation resource. */
  public readonly resource: ecr.CfnRegistryPolicy;
  private readonly v1Scope: boolean;

  constructor(scope: Construct, id: string, props: RegistryPolicyProps = {}) {
    checkArgs(futurePath(scope, id), [...constructArgs(scope, id), ['props', props, struct('RegistryPolicyProps', () => ({
      statements: arrayOf(POLICY_STATEMENT),
      v1Scope: BOOLEAN,
    }))]]);
    super(scope, id);
    const other = otherClaimant(this, REGISTRY_POLICY_SETTING);
    if (other) {
      const problems = new Problems();
      problems.add('DuplicateRegistrySetting',
        `${other.node.path} already declares the registry policy of ${claimEnvironment(this).label}; ECR keeps one per ` +
        'account and Region and two would overwrite each other at deploy: add the statements there ' +
        '(SecureRegistry.addToRegistryPolicy, or RegistryPolicy.addStatements)');
      problems.throwIfAny(this);
    }
    recordClaim(this, REGISTRY_POLICY_SETTING);
    this.v1Scope = props.v1Scope ?? false;
    this.resource = new ecr.CfnRegistryPolicy(this, 'Resource', { policyText: this.document });
    this.addStatements(...(props.statements ?? []));
    this.node.addValidation({ validate: () => this.validateSize() });
  }

  /**
   * Adds statements after checking that ECR accepts them in a registry policy.
   */
  public addStatements(...statements: iam.PolicyStatement[]): void {
    checkArgs(this, [['statements', statements, arrayOf(POLICY_STATEMENT)]]);
    const problems = new Problems();
    statements.forEach((s, i) => this.validateStatement(problems, s, i));
    problems.throwIfAny(this);
    this.document.addStatements(...statements);
  }

  private validateStatement(problems: Problems, statement: iam.PolicyStatement, index: number): void {
    const json = statement.toStatementJson();
    const name = json.Sid ? `statement '${json.Sid}'` : `statement ${index + 1}`;
    const actions: string[] = [].concat(json.Action ?? []);
    if (json.NotAction !== undefined || json.NotPrincipal !== undefined) {
      problems.add('InvalidRegistryPolicyStatement',
        `${name} uses NotAction or NotPrincipal: list the ECR actions and principals explicitly`);
    }
    if (actions.length === 0) {
      problems.add('InvalidRegistryPolicyStatement', `${name} has no actions: add ECR actions, e.g. 'ecr:ReplicateImage'`);
    }
    for (const action of actions) {
      if (Token.isUnresolved(action)) {
        continue;
      }
      if (!action.startsWith('ecr:')) {
        problems.add('InvalidRegistryPolicyAction',
          `${name} has action '${action}', but a registry policy only accepts ECR actions ('ecr:...'): ` +
          'grant other services through IAM policies');
      } else if (this.v1Scope && !ECR_REGISTRY_POLICY_V1_ACTIONS.includes(action)) {
        problems.add('InvalidRegistryPolicyAction',
          `${name} has action '${action}', which the V1 registry policy scope rejects (it accepts ${ECR_REGISTRY_POLICY_V1_ACTIONS.join(', ')}): ` +
          'use the V2 scope (registryPolicyScope) or drop the action');
      }
    }
    const principal = json.Principal;
    if (principal === undefined) {
      problems.add('InvalidRegistryPolicyPrincipal',
        `${name} has no principal: a registry policy names AWS principals, e.g. new iam.AccountPrincipal('222222222222')`);
    } else if (principal !== '*' && typeof principal === 'object') {
      const kinds = Object.keys(principal).filter((k) => k !== 'AWS');
      if (kinds.length > 0) {
        problems.add('InvalidRegistryPolicyPrincipal',
          `${name} names ${kinds.join(', ')} principals; a registry policy accepts AWS accounts and IAM principals only`);
      }
    }
    if (principal === '*' || (typeof principal === 'object' && ([] as unknown[]).concat(principal.AWS ?? []).includes('*'))) {
      if (json.Condition === undefined) {
        problems.add('InvalidRegistryPolicyPrincipal',
          `${name} allows every principal ('*') without a condition: name accounts, or add a condition such as aws:PrincipalOrgID`);
      }
    }
    const stack = Stack.of(this);
    for (const resource of ([] as string[]).concat(json.Resource ?? [])) {
      if (Token.isUnresolved(resource) || resource === '*') {
        continue;
      }
      const m = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):([0-9]{12}):repository\/.+$/.exec(resource);
      const region = m?.[1];
      const account = m?.[2];
      if (!m ||
        (!Token.isUnresolved(stack.region) && region !== stack.region) ||
        (!Token.isUnresolved(stack.account) && account !== stack.account)) {
        problems.add('InvalidRegistryPolicyResource',
          `${name} has resource '${resource}', which is not a repository of this registry ` +
          `(${stack.account}/${stack.region}): use '*' or arn:aws:ecr:<region>:<account>:repository/<name or prefix*>`);
      }
    }
  }

  /** Malformed account or organization ids, and the length limit, on the merged document. */
  private validateSize(): string[] {
    const document = Stack.of(this).resolve(this.document.toJSON());
    const problems = new Problems();
    if (document !== undefined) {
      checkResourcePolicy(problems, document, {
        what: 'the registry policy',
        resourceAllowed: true,
        principalExample: "new iam.AccountPrincipal('222222222222')",
      });
    }
    const length = JSON.stringify(document ?? {}).length;
    if (length > MAX_POLICY_LENGTH) {
      problems.add('RegistryPolicyTooLarge', `the registry policy is ${length} characters; ECR accepts at most 10,240: ` +
        'merge statements or grant by account instead of single principals');
    }
    return problems.toValidationMessages();
  }
}
