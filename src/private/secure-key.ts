import { aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KMS_CREATE_GRANT_ACTIONS } from './ecr-actions';

/*
 * Every KMS key the library creates comes from `secureKey`, so every one carries the statement
 * AWS Control Tower's proactive control CT.KMS.PR.3 asks for
 * (https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html): deny
 * `kms:CreateGrant` to everyone unless the grant is for an AWS resource or an AWS service
 * principal asks for it.
 *
 * Why nothing we rely on is denied:
 * - ECR encrypts repositories through grants, but ECR creates them itself, on behalf of the
 *   principal that creates the repository (CloudFormation's role, a creation template's role):
 *   "Amazon ECR sends two CreateGrant requests to AWS KMS"
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html). A request
 *   that an AWS service integrated with KMS sends on a principal's behalf has
 *   `kms:GrantIsForAWSResource` true
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html,
 *   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource),
 *   so the condition below is false and the Deny does not apply.
 * - SNS (encrypted topics), EventBridge and CloudWatch alarms publishing to them use the key
 *   through key-policy statements (`kms:Decrypt`, `kms:GenerateDataKey*`), not grants
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); so does CloudWatch Logs
 *   for encrypted log groups
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 *
 * The guard rule wants exactly this shape: Deny, principal `*`, resource `*`, only the action
 * `kms:CreateGrant`, and only a `BoolIfExists` condition with both keys set to the string
 * "false" (it refuses a boolean).
 */

/** The CT.KMS.PR.3 statement: no grant on this key unless it is for an AWS resource or asked by an AWS service. */
export function denyGrantsNotForAwsResources(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: KMS_CREATE_GRANT_ACTIONS,
    resources: ['*'], // in a key policy, '*' means this key
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  });
}

/**
 * A customer managed key with rotation on and the CT.KMS.PR.3 statement in its key policy: the
 * one way the library creates KMS keys.
 */
export function secureKey(scope: Construct, id: string, props: kms.KeyProps): kms.Key {
  const key = new kms.Key(scope, id, { enableKeyRotation: true, ...props });
  key.addToResourcePolicy(denyGrantsNotForAwsResources());
  return key;
}
