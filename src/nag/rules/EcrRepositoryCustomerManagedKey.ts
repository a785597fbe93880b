import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { KeyPosture, keyPosture } from '../../private/nag';

/**
 * ECR repositories are encrypted with a customer managed KMS key: `EncryptionType` `KMS` (or
 * `KMS_DSSE`) with a `KmsKey` that is not the AWS managed `aws/ecr` key. Not AES256 (ECR's
 * default), not KMS without a key (which uses `aws/ecr`). A deploy-time encryption type is
 * NOT_APPLICABLE; a key given as a reference counts as customer managed.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRepository)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    switch (keyPosture(node, node.encryptionConfiguration)) {
      case KeyPosture.CUSTOMER_MANAGED:
        return NagRuleCompliance.COMPLIANT;
      case KeyPosture.UNKNOWN:
        return NagRuleCompliance.NOT_APPLICABLE;
      default:
        return NagRuleCompliance.NON_COMPLIANT;
    }
  },
  'name',
  { value: parse(__filename).name },
);
