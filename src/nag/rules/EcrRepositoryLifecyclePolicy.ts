import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, literal, literalObject } from '../../private/nag';

/**
 * ECR repositories have a lifecycle policy (`LifecyclePolicy.LifecyclePolicyText`), so that old
 * and untagged images are expired or archived instead of piling up with their vulnerabilities.
 * A deploy-time policy text (a parameter) counts as present.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRepository)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const policy = literalObject(node, node.lifecyclePolicy);
    if (policy === UNRESOLVED) {
      return NagRuleCompliance.COMPLIANT;
    }
    const text = literal(node, policy?.lifecyclePolicyText);
    if (text === UNRESOLVED) {
      return NagRuleCompliance.COMPLIANT;
    }
    return typeof text === 'string' && text.trim().length > 0
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
