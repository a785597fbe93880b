import { RemovalPolicy, Stack, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ResolvedBaseline } from './resolved-baseline';
import { secureKey } from './secure-key';

/** Construct id of the stack-wide key; public API (renaming it replaces the key). */
export const SHARED_KEY_ID = 'SecureRegistryKey';

/**
 * The one customer managed key that repositories declared without a key in a stack share.
 *
 * A key costs money and a resource, so the library creates one per stack, not one per
 * repository. Rotation is on, grants are limited to those AWS services create (secure-key.ts) and the key is retained: destroying it would make every image
 * encrypted with it unreadable.
 */
export function sharedRegistryKey(scope: IConstruct): kms.IKey {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(SHARED_KEY_ID);
  if (existing) {
    return existing as kms.Key;
  }
  return secureKey(stack, SHARED_KEY_ID, {
    description: `Encrypts the ECR repositories of ${stack.stackName} (cdk-secure-registry)`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * The KMS key of repositories with a baseline: the baseline's key when it names one, else the
 * stack's shared key; none when the baseline encrypts with AES256.
 */
export function baselineEncryptionKey(scope: IConstruct, settings: ResolvedBaseline): kms.IKey | undefined {
  if (settings.encryption === ecr.RepositoryEncryption.AES_256) {
    return undefined;
  }
  return settings.encryptionKey ?? sharedRegistryKey(scope);
}
