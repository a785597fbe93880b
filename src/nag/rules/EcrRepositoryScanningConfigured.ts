import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { scanFilterMatches, scanFilterMatchesEverything } from '../../private/ecr-model';
import { UNRESOLVED, literal, literalObject, registryResources } from '../../private/nag';

/**
 * ECR repositories are scanned on push or continuously, at the repository or the registry level.
 *
 * - When an `AWS::ECR::RegistryScanningConfiguration` exists anywhere in the app for the same
 *   registry (account + Region), it decides: ECR sets repositories that no rule matches to
 *   manual scanning (BASIC) or no scanning (ENHANCED), so the repository passes only if one of
 *   its rules has a filter matching the repository name (filters: substring without `*`,
 *   anchored wildcard with `*`). A repository without a literal name matches only `*` filters.
 *   @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
 * - Otherwise the repository passes with `ImageScanningConfiguration.ScanOnPush: true`.
 * - A deploy-time `ScanOnPush` (a parameter) is NOT_APPLICABLE: it cannot be judged at synth.
 *
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRepository)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const registryConfigs = registryResources(node, 'AWS::ECR::RegistryScanningConfiguration');
    if (registryConfigs.length > 0) {
      const name = literal(node, node.repositoryName);
      const knownName = typeof name === 'string' ? name : undefined;
      for (const config of registryConfigs) {
        const rules = literalObject(config, (config as any).rules);
        if (rules === UNRESOLVED) {
          return NagRuleCompliance.NOT_APPLICABLE;
        }
        for (const rule of Array.isArray(rules) ? rules : []) {
          for (const f of rule?.repositoryFilters ?? []) {
            const filter = f?.filter;
            if (typeof filter !== 'string') {
              continue;
            }
            if (knownName !== undefined ? scanFilterMatches(filter, knownName) : scanFilterMatchesEverything(filter)) {
              return NagRuleCompliance.COMPLIANT;
            }
          }
        }
      }
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const scanning = literalObject(node, node.imageScanningConfiguration);
    if (scanning === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const scanOnPush = literal(node, scanning?.scanOnPush);
    if (scanOnPush === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return scanOnPush === true || scanOnPush === 'true'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
