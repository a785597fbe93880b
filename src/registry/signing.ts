import { aws_signer as signer } from 'aws-cdk-lib';

/**
 * A managed signing rule: images pushed to the repositories it matches are signed by ECR with
 * an AWS Signer profile (Notation format).
 *
 * Signing uses the pusher's identity: every principal that pushes to a matched repository
 * needs `signer:SignPayload` on the profile. `SecureRepository.grantPush` on a repository of
 * the registry adds it.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export interface SigningRuleOptions {
  /**
   * Repository name patterns (`*` matches any sequence of characters, e.g. `prod/*`); images
   * pushed to a repository that matches any of them are signed. 1-100 patterns.
   *
   * @default - every repository of the registry
   */
  readonly repositoryFilters?: string[];

  /**
   * The AWS Signer profile (platform `Notation-OCI-SHA384-ECDSA`), in the registry's Region.
   *
   * @default - the registry's own profile (`SigningProfile`), created on first use
   */
  readonly signingProfile?: signer.ISigningProfile;
}
