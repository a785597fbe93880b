/**
 * How a registry scans images for vulnerabilities.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html
 */
export enum ScanType {
  /**
   * Basic scanning (the AWS native engine): operating-system package CVEs, scan on push only,
   * no extra cost.
   */
  BASIC = 'BASIC',
  /**
   * Enhanced scanning with Amazon Inspector: operating-system and programming-language
   * packages, scan on push or continuously, billed by Inspector. Turning it on enables
   * Inspector for ECR in the account: the deploying role needs `inspector2:Enable` and
   * `iam:CreateServiceLinkedRole` for `inspector2.amazonaws.com`.
   */
  ENHANCED = 'ENHANCED',
}

/**
 * When ECR scans the images of repositories a scanning rule matches.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_RegistryScanningRule.html
 */
export enum ScanFrequency {
  /** Scan each image when it is pushed. */
  SCAN_ON_PUSH = 'SCAN_ON_PUSH',
  /** Scan on push and again whenever Inspector learns of a new vulnerability (ENHANCED only). */
  CONTINUOUS_SCAN = 'CONTINUOUS_SCAN',
}

