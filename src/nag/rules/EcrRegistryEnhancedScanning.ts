import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRegistryScanningConfiguration } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, literal, literalObject } from '../../private/nag';

/**
 * A registry scanning configuration uses `ENHANCED` scanning (Amazon Inspector: operating system
 * and language package vulnerabilities, rescanned as new CVEs appear) and has at least one rule
 * with a repository filter; with ENHANCED, repositories no rule matches are not scanned at all.
 * A deploy-time scan type or rule list is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRegistryScanningConfiguration)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const scanType = literal(node, node.scanType);
    const rules = literalObject(node, node.rules);
    if (scanType === UNRESOLVED || rules === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (scanType !== 'ENHANCED') {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const scansSomething = (Array.isArray(rules) ? rules : [])
      .some((r: any) => r?.repositoryFilters === UNRESOLVED || (Array.isArray(r?.repositoryFilters) && r.repositoryFilters.length > 0));
    return scansSomething ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
