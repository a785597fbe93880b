import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnPullThroughCacheRule } from 'aws-cdk-lib/aws-ecr';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagRuleCompliance, NagRules } from 'cdk-nag';
import {
  PULL_THROUGH_CACHE_SECRET_ARN_PATTERN, PULL_THROUGH_CACHE_SECRET_PREFIX, upstreamFromUrl, upstreamRequiresCredentials,
} from '../../private/ecr-model';
import { UNRESOLVED, literal } from '../../private/nag';

/**
 * Pull through cache rules for upstreams that need credentials (Docker Hub, GitHub Container
 * Registry, Azure Container Registry, GitLab Container Registry, Chainguard) have a
 * `CredentialArn` to a Secrets Manager secret whose name starts with `ecr-pullthroughcache/`.
 * The upstream comes from `UpstreamRegistry`, or else from the host of `UpstreamRegistryUrl`.
 *
 * - a literal ARN must match `arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/...`;
 * - a reference to an `AWS::SecretsManager::Secret` in the same stack must have a literal `Name`
 *   with that prefix (a generated name never has it) and no customer managed `KmsKeyId`: ECR
 *   only reads pull-through-cache secrets encrypted with the default `aws/secretsmanager` key;
 * - any other deploy-time value (an imported ARN, a parameter) counts as present.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnPullThroughCacheRule)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const upstream = literal(node, node.upstreamRegistry);
    const url = literal(node, node.upstreamRegistryUrl);
    let kind: string | undefined;
    if (typeof upstream === 'string') {
      kind = upstream;
    } else if (typeof url === 'string') {
      kind = upstreamFromUrl(url);
    }
    if (kind === undefined || !upstreamRequiresCredentials(kind)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const credential = literal(node, node.credentialArn);
    if (credential === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    if (credential !== UNRESOLVED) {
      return PULL_THROUGH_CACHE_SECRET_ARN_PATTERN.test(String(credential)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    const secret = referencedSecret(node, node.credentialArn);
    if (secret === undefined) {
      return NagRuleCompliance.COMPLIANT;
    }
    const name = literal(secret, secret.name);
    if (name !== UNRESOLVED && (typeof name !== 'string' || !name.startsWith(PULL_THROUGH_CACHE_SECRET_PREFIX))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const key = literal(secret, secret.kmsKeyId);
    if (key !== undefined && !(typeof key === 'string' && /(^|:)alias\/aws\/secretsmanager$/.test(key))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

/** The CfnSecret in the rule's stack that `Ref`/`Fn::GetAtt` points at, if any. */
function referencedSecret(node: CfnResource, value: unknown): CfnSecret | undefined {
  const logicalId = NagRules.resolveResourceFromIntrinsic(node, value);
  if (typeof logicalId !== 'string') {
    return undefined;
  }
  const stack = Stack.of(node);
  return stack.node.findAll()
    .find((c): c is CfnSecret => c instanceof CfnSecret && Stack.of(c) === stack && stack.resolve(c.logicalId) === logicalId);
}
