import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnSigningProfile } from 'aws-cdk-lib/aws-signer';
import { NagRuleCompliance } from 'cdk-nag';
import { NOTATION_PLATFORM } from '../../private/ecr-model';
import { UNRESOLVED, literal, literalObject, registryResources } from '../../private/nag';

/**
 * An AWS Signer profile for container images (platform `Notation-OCI-SHA384-ECDSA`) is used by ECR
 * managed signing: some `AWS::ECR::SigningConfiguration` in the app, for the same registry
 * (account + Region), has at least one rule. Without one, images pushed to the registry are not
 * signed by ECR even though the profile exists.
 * A deploy-time platform id or rule list is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnSigningProfile)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const platform = literal(node, node.platformId);
    if (platform === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (platform !== NOTATION_PLATFORM) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    for (const config of registryResources(node, 'AWS::ECR::SigningConfiguration')) {
      const rules = literalObject(config, (config as any).rules);
      if (rules === UNRESOLVED) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      if (Array.isArray(rules) && rules.length > 0) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
