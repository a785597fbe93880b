import { RemovalPolicy, aws_ecr as ecr, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { LifecyclePolicy } from '../lifecycle';

/**
 * A baseline with every default applied.
 * @internal
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
