import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRegistryPolicy, CfnRepository, CfnRepositoryCreationTemplate } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, openStatementReason, policyDocument, statementsOf } from '../../private/nag';

/**
 * Repository policies, registry policies and the repository policy of a creation template have no
 * `Allow` statement open to everyone (`Principal: "*"`, `{ AWS: "*" }`, or `NotPrincipal`) without a
 * `Condition`. Unlike AwsSolutions-ECR1, a statement scoped by a condition (for example
 * `aws:PrincipalOrgID`) passes: the rule does not judge the condition itself.
 * A policy built at deploy time (e.g. `Fn::Join`) is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    let raw: unknown;
    if (node instanceof CfnRepository) {
      raw = node.repositoryPolicyText;
    } else if (node instanceof CfnRegistryPolicy) {
      raw = node.policyText;
    } else if (node instanceof CfnRepositoryCreationTemplate) {
      raw = node.repositoryPolicy;
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const doc = policyDocument(node, raw);
    if (doc === undefined) {
      return NagRuleCompliance.COMPLIANT;
    }
    if (doc === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return statementsOf(doc).some((s) => openStatementReason(s) !== undefined)
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
