import { Stack, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { ACCOUNT_ID_PATTERN, ORGANIZATION_ID_PATTERN } from './validation';

/*
 * Checks of the resource policies we render (repository, creation-template repository, registry,
 * public repository policies) for what IAM or ECR refuse at deploy, on the resolved document:
 * values that are still CloudFormation intrinsics (objects) are skipped.
 */

/**
 * ECR accepts repository and registry policy texts up to 10,240 characters (CloudFormation
 * `AWS::ECR::RegistryPolicy.PolicyText` and `AWS::ECR::RepositoryCreationTemplate.RepositoryPolicy`
 * maxLength 10240; API `SetRepositoryPolicy` `policyText` 0..10240).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 */
export const MAX_RESOURCE_POLICY_LENGTH = 10240;

/** How one policy is checked. */
export interface ResourcePolicyCheck {
  /** How messages name the policy, e.g. `the repository policy`. */
  readonly what: string;
  /**
   * Whether statements may carry `Resource`: ECR refuses it in repository policies ("Invalid
   * repository policy provided"; the policy applies to its own repository). See
   * https://github.com/awsdocs/amazon-ecr-user-guide/pull/20 and aws/aws-cdk#24314.
   */
  readonly resourceAllowed: boolean;
  /** Where a fix for a missing principal points. */
  readonly principalExample: string;
}

/** How one repository policy is validated at synth (`repositoryPolicyProblems`). */
export interface RepositoryPolicyCheck extends ResourcePolicyCheck {
  /** The service named in the size message, e.g. `ECR`. */
  readonly service: string;
  /** How to shrink a policy over the limit. */
  readonly sizeFix: string;
}

/** An IAM or STS principal ARN, with the account in group 1 (a wildcard in the name is IAM's business). */
const PRINCIPAL_ARN = /^arn:[^:]*:(?:iam|sts)::([^:]*):.+$/;

/** Stands for a deploy-time value inside a joined string. */
const UNKNOWN = '\u0000';

/**
 * A string, or an `Fn::Join` of strings and intrinsics (as `{ Ref: AWS::Partition }` renders in
 * ARNs) with each intrinsic replaced by `UNKNOWN`; `undefined` for any other value.
 */
function literalOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as Record<string, unknown> | null)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part: unknown) => (typeof part === 'string' ? part : UNKNOWN)).join(join[0]);
  }
  return undefined;
}

/** Condition keys whose values are account ids or organization ids. */
const ACCOUNT_KEYS = ['aws:principalaccount', 'aws:sourceaccount', 'aws:resourceaccount'];
const ORGANIZATION_KEYS = ['aws:principalorgid', 'aws:sourceorgid', 'aws:resourceorgid'];

function list(value: unknown): unknown[] {
  return value === undefined ? [] : ([] as unknown[]).concat(value);
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/** Reports what IAM or ECR refuse in a resolved resource policy document (`{ Statement: [...] }`). */
export function checkResourcePolicy(problems: Problems, document: any, check: ResourcePolicyCheck): void {
  const statements = list(document?.Statement);
  statements.forEach((raw, index) => {
    const statement = raw as Record<string, any>;
    const name = `statement ${typeof statement.Sid === 'string' ? `'${statement.Sid}'` : index + 1} of ${check.what}`;
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      problems.add('MissingPolicyPrincipal',
        `${name} has no principal, and a resource policy statement without one is refused at deploy: add principals, ` +
        `e.g. ${check.principalExample}`);
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      problems.add('MissingPolicyAction', `${name} has no action: add the ECR actions it allows, e.g. 'ecr:BatchGetImage'`);
    }
    if (!check.resourceAllowed && (statement.Resource !== undefined || statement.NotResource !== undefined)) {
      problems.add('ResourceInRepositoryPolicy',
        `${name} has Resource ${JSON.stringify(statement.Resource ?? statement.NotResource)}, which ECR refuses in a ` +
        'repository policy (the policy applies to its own repository): build the statement without resources');
    }
    for (const principal of [statement.Principal, statement.NotPrincipal]) {
      if (principal === undefined || principal === '*' || typeof principal !== 'object') {
        continue;
      }
      for (const principalValue of list(principal.AWS)) {
        const value = literalOf(principalValue);
        if (value === undefined || value === '*' || ACCOUNT_ID_PATTERN.test(value)) {
          continue;
        }
        const arn = PRINCIPAL_ARN.exec(value);
        if (arn ? !arn[1].includes(UNKNOWN) && !ACCOUNT_ID_PATTERN.test(arn[1]) : !value.includes(UNKNOWN)) {
          problems.add('InvalidPolicyPrincipal',
            `${name} names the AWS principal '${value.split(UNKNOWN).join('${...}')}', which IAM refuses: use a 12-digit account id or an IAM ARN ` +
            "such as 'arn:aws:iam::333333333333:root' or 'arn:aws:iam::333333333333:role/name'");
        }
      }
    }
    for (const [operator, keys] of Object.entries((statement.Condition ?? {}) as Record<string, any>)) {
      const like = /Like/.test(operator);
      for (const [key, values] of Object.entries((keys ?? {}) as Record<string, unknown>)) {
        const lower = key.toLowerCase();
        for (const value of list(values)) {
          if (typeof value !== 'string' || (like && hasWildcard(value))) {
            continue;
          }
          if (ACCOUNT_KEYS.includes(lower) && !ACCOUNT_ID_PATTERN.test(value)) {
            problems.add('InvalidAccountId',
              `${name} compares ${key} with '${value}', which is not an AWS account id: use the 12-digit account number`);
          }
          if (ORGANIZATION_KEYS.includes(lower) && !ORGANIZATION_ID_PATTERN.test(value)) {
            problems.add('InvalidOrganizationId',
              `${name} compares ${key} with '${value}', which is not an AWS Organizations id: use 'o-' followed by ` +
              '10-32 lowercase letters or digits');
          }
        }
      }
    }
  });
}

/**
 * The validation messages of a repository policy rendered in `scope`'s stack: what
 * `checkResourcePolicy` reports, and more than `MAX_RESOURCE_POLICY_LENGTH` characters
 * (`RepositoryPolicyTooLarge`). For a construct's `node.addValidation`.
 */
export function repositoryPolicyProblems(scope: IConstruct, policy: iam.PolicyDocument, check: RepositoryPolicyCheck): string[] {
  const document = Stack.of(scope).resolve(policy.toJSON());
  const problems = new Problems();
  checkResourcePolicy(problems, document, check);
  const length = JSON.stringify(document).length;
  if (length > MAX_RESOURCE_POLICY_LENGTH) {
    problems.add('RepositoryPolicyTooLarge', `${check.what} is ${length} characters; ${check.service} accepts at most 10,240: ` +
      check.sizeFix);
  }
  return problems.toValidationMessages();
}
