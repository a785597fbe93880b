import { RemovalPolicy, aws_ecr as ecr, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { LifecyclePolicy } from '../lifecycle';

/**
 * A baseline with every default applied.
 */
export interface ResolvedBaseline {
  readonly encryption: ecr.RepositoryEncryption;
  readonly encryptionKey?: kms.IKey;
  readonly imageTagMutability: ecr.TagMutability;
  readonly imageTagMutabilityExclusionFilters: string[];
  readonly scanOnPush: boolean;
  readonly lifecyclePolicy: LifecyclePolicy;
  readonly removalPolicy: RemovalPolicy;
  readonly emptyOnDelete: boolean;
  readonly tags: { [key: string]: string };
  readonly repositoryPolicyStatements: iam.PolicyStatement[];
}

/**
 * The tag-mutability exclusion filters in the shape `AWS::ECR::Repository` and
 * `AWS::ECR::RepositoryCreationTemplate` share (ECR knows only the WILDCARD filter type).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html
 */
export function renderExclusionFilters(settings: ResolvedBaseline) {
  return settings.imageTagMutabilityExclusionFilters.length > 0
    ? settings.imageTagMutabilityExclusionFilters.map((value) => ({
      imageTagMutabilityExclusionFilterType: 'WILDCARD',
      imageTagMutabilityExclusionFilterValue: value,
    }))
    : undefined;
}
