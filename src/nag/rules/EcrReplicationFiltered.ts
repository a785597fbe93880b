import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnReplicationConfiguration } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, literalObject } from '../../private/nag';

/**
 * Every rule of a replication configuration has at least one repository filter (`PREFIX_MATCH`).
 * A rule without filters copies every repository of the registry, present and future, to its
 * destinations (other Regions or accounts): a choice that should be explicit, not a default.
 * A deploy-time rule list is NOT_APPLICABLE.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnReplicationConfiguration)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const config = literalObject(node, node.replicationConfiguration);
    if (config === UNRESOLVED || config?.rules === UNRESOLVED) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const rules: any[] = Array.isArray(config?.rules) ? config.rules : [];
    const unfiltered = rules.some((r) => !Array.isArray(r?.repositoryFilters) || r.repositoryFilters.length === 0);
    return unfiltered ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
