import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * What a repository tells the registry it belongs to (kept out of the public API so that the
 * repository module does not depend on the registry module).
 */
export interface RegistryHooks {
  /** A push grant on `repository`: the registry adds what its signing rules need. */
  onPushGrant(repository: { readonly _declaredName?: string }, grantee: iam.IGrantable): void;
}
