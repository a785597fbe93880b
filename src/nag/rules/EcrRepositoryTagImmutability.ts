import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { IMMUTABLE_TAG_SETTINGS } from '../../private/ecr-model';
import { UNRESOLVED, literal } from '../../private/nag';

/**
 * ECR repositories have immutable tags: `IMMUTABLE`, or `IMMUTABLE_WITH_EXCLUSION` (a deliberate,
 * listed set of mutable tags such as `latest`). ECR's default is `MUTABLE`.
 * A deploy-time value is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRepository)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const mutability = literal(node, node.imageTagMutability);
    if (mutability === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return IMMUTABLE_TAG_SETTINGS.includes(mutability)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
