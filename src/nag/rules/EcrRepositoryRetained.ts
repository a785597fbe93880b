import { parse } from 'path';
import { CfnDeletionPolicy, CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, literal } from '../../private/nag';

/** Deletion policies that keep a repository and its images when the stack is deleted. */
const RETAINING = [CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE];

/**
 * ECR repositories survive stack deletion and replacement with their images:
 * - `DeletionPolicy` is `Retain` or `RetainExceptOnCreate` (the latter only deletes a repository
 *   whose creation failed, which holds no images);
 * - `UpdateReplacePolicy` is `Retain` (a replacement, e.g. a new `RepositoryName` or
 *   `EncryptionConfiguration`, would otherwise delete the old repository);
 * - `EmptyOnDelete` is not `true` (it lets CloudFormation delete a repository that holds images).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html#cfn-ecr-repository-emptyondelete
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRepository)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const deletion = node.cfnOptions.deletionPolicy;
    const replace = node.cfnOptions.updateReplacePolicy;
    if (deletion === undefined || !RETAINING.includes(deletion) || replace !== CfnDeletionPolicy.RETAIN) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const empty = literal(node, node.emptyOnDelete);
    if (empty === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return empty === true || empty === 'true' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
