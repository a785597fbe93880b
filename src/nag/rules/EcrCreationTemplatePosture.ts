import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { CfnRepositoryCreationTemplate } from 'aws-cdk-lib/aws-ecr';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IMMUTABLE_TAG_SETTINGS } from '../../private/ecr-model';
import { KeyPosture, UNRESOLVED, keyPosture, literal, literalObject } from '../../private/nag';

/**
 * Repository creation templates give the repositories ECR creates (create on push, pull through
 * cache, replication) the same posture as declared repositories. One finding per gap:
 * - `Encryption`: a customer managed KMS key (not AES256, not `aws/ecr`);
 * - `TagImmutability`: `IMMUTABLE` or `IMMUTABLE_WITH_EXCLUSION`, except for templates applied to
 *   `PULL_THROUGH_CACHE`, where immutable tags stop ECR from refreshing cached tags (the user
 *   guide recommends MUTABLE there);
 * - `LifecyclePolicy`: a lifecycle policy;
 * - `CustomRole`: a `CustomRoleArn` when the template uses KMS or resource tags, without which
 *   ECR fails to create the repository.
 * Deploy-time values are skipped (no finding for them).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    if (!(node instanceof CfnRepositoryCreationTemplate)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings: string[] = [];
    const posture = keyPosture(node, node.encryptionConfiguration);
    if (posture === KeyPosture.NOT_CUSTOMER_MANAGED) {
      findings.push('Encryption');
    }

    const appliedFor = literalObject(node, node.appliedFor);
    const forPullThroughCache = appliedFor === UNRESOLVED ||
      (Array.isArray(appliedFor) && appliedFor.some((a) => a === 'PULL_THROUGH_CACHE' || typeof a !== 'string'));
    const mutability = literal(node, node.imageTagMutability);
    if (!forPullThroughCache && mutability !== UNRESOLVED && !IMMUTABLE_TAG_SETTINGS.includes(mutability)) {
      findings.push('TagImmutability');
    }

    const lifecycle = literal(node, node.lifecyclePolicy);
    if (lifecycle !== UNRESOLVED && (typeof lifecycle !== 'string' || lifecycle.trim().length === 0)) {
      findings.push('LifecyclePolicy');
    }

    const encryptionType = literal(node, (literalObject(node, node.encryptionConfiguration) as any)?.encryptionType);
    const usesKms = encryptionType === 'KMS' || encryptionType === 'KMS_DSSE';
    const tags = literalObject(node, node.resourceTags);
    const usesTags = tags === UNRESOLVED || (Array.isArray(tags) && tags.length > 0);
    if ((usesKms || usesTags) && node.customRoleArn === undefined) {
      findings.push('CustomRole');
    }
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  'name',
  { value: parse(__filename).name },
);
