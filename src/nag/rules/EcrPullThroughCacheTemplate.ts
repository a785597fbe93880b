import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnPullThroughCacheRule } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { ROOT, normalizeTemplatePrefix } from '../../private/ecr-model';
import { UNRESOLVED, literal, literalObject, registryResources } from '../../private/nag';

/**
 * A pull through cache rule has a repository creation template for the repositories it creates:
 * a template in the same registry (account + Region), applied for `PULL_THROUGH_CACHE`, whose
 * prefix is the rule's `EcrRepositoryPrefix` (ECR assumes a trailing `/` on both) or `ROOT`.
 * Without one, ECR creates cache repositories with its defaults: AES256, no lifecycle policy,
 * no repository policy ("the repository prefix you specify during rule creation is what you
 * should specify as your repository creation template prefix as well").
 * A deploy-time prefix or `AppliedFor` is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnPullThroughCacheRule)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const prefix = literal(node, node.ecrRepositoryPrefix);
    if (prefix === UNRESOLVED || prefix === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const wanted = normalizeTemplatePrefix(String(prefix));
    for (const template of registryResources(node, 'AWS::ECR::RepositoryCreationTemplate')) {
      const templatePrefix = literal(template, (template as any).prefix);
      const appliedFor = literalObject(template, (template as any).appliedFor);
      if (templatePrefix === UNRESOLVED || appliedFor === UNRESOLVED) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      const forCache = Array.isArray(appliedFor) && appliedFor.includes('PULL_THROUGH_CACHE');
      const p = normalizeTemplatePrefix(String(templatePrefix));
      if (forCache && (p === ROOT || p === wanted)) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
