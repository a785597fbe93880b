import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * Helpers shared by the EcrSupplyChainChecks rules (src/nag/rules). Not part of the public API.
 *
 * Rules never throw for values they cannot read (cdk-nag turns a throw into a "Rule threw an
 * error" finding); they ask `literal()` and treat UNRESOLVED as "decided at deploy time".
 */

/** Marker for a value that only CloudFormation knows (a parameter, a reference, a function). */
export const UNRESOLVED = Symbol('unresolved');

/**
 * Resolves `value` in the resource's stack. Returns UNRESOLVED when the result is (or, for a
 * primitive, contains) a CloudFormation intrinsic such as `Ref`, `Fn::GetAtt` or `Fn::Join`.
 */
export function literal(node: CfnResource, value: unknown): any {
  if (value === undefined) {
    return undefined;
  }
  const resolved = Stack.of(node).resolve(value);
  if (isIntrinsic(resolved)) {
    return UNRESOLVED;
  }
  if (typeof resolved === 'string' && Token.isUnresolved(resolved)) {
    return UNRESOLVED;
  }
  return resolved;
}

/** Whether a resolved value is a CloudFormation intrinsic (`{ Ref }`, `{ 'Fn::X': ... }`). */
export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value as object);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/**
 * Whether two resources land in the same private registry (account + Region). Registry-level
 * resources are one per account and Region, so a registry resource in any stack of the app with
 * the same literal account and Region applies. Two environment-agnostic stacks are assumed to
 * share a registry; a literal environment and an agnostic one are not (we cannot show they are).
 */
export function sameRegistry(a: IConstruct, b: IConstruct): boolean {
  const sa = Stack.of(a);
  const sb = Stack.of(b);
  return sameEnvPart(sa.account, sb.account) && sameEnvPart(sa.region, sb.region);
}

function sameEnvPart(x: string, y: string): boolean {
  const ux = Token.isUnresolved(x);
  const uy = Token.isUnresolved(y);
  if (ux || uy) {
    return ux && uy;
  }
  return x === y;
}

/** Every CfnResource of `type` in the whole app that lands in the same registry as `node`. */
export function registryResources(node: CfnResource, type: string): CfnResource[] {
  return node.node.root.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type)
    .filter((c) => sameRegistry(c, node));
}

/**
 * Whether a registry scanning filter (`FilterType: WILDCARD`) matches a repository name:
 * "a filter with no wildcard will match all repository names that contain the filter. A filter
 * with a wildcard (*) matches on any repository name where the wildcard replaces zero or more
 * characters in the repository name."
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
 */
export function scanningFilterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes('*')) {
    return repositoryName.includes(filter);
  }
  return wildcardRegExp(filter).test(repositoryName);
}

/** An anchored RegExp where `*` stands for zero or more characters. */
export function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

/** Whether a filter matches every possible repository name (only `*`s). */
export function matchesEverything(filter: string): boolean {
  return /^\*+$/.test(filter);
}

/** How a repository (or template) is encrypted, as far as synth time can tell. */
export enum KeyPosture {
  /** A customer managed KMS key: a key reference, a key ARN or a customer alias. */
  CUSTOMER_MANAGED = 'CUSTOMER_MANAGED',
  /** AES256, or KMS with the AWS managed key `aws/ecr` (no key given, or the alias). */
  NOT_CUSTOMER_MANAGED = 'NOT_CUSTOMER_MANAGED',
  /** The encryption type is a deploy-time value. */
  UNKNOWN = 'UNKNOWN',
}

/**
 * Reads an `EncryptionConfiguration` ({ EncryptionType, KmsKey }): KMS or KMS_DSSE with a key
 * that is not the AWS managed `aws/ecr` key counts as customer managed. A KMS key that is a
 * reference (e.g. `Fn::GetAtt Key.Arn`) is a key the customer manages.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 */
export function keyPosture(node: CfnResource, encryptionConfiguration: unknown): KeyPosture {
  const config = literalObject(node, encryptionConfiguration);
  if (config === UNRESOLVED) {
    return KeyPosture.UNKNOWN;
  }
  if (config === undefined) {
    return KeyPosture.NOT_CUSTOMER_MANAGED; // ECR's default is AES256
  }
  const type = literal(node, config.encryptionType ?? config.EncryptionType);
  if (type === UNRESOLVED) {
    return KeyPosture.UNKNOWN;
  }
  if (type !== 'KMS' && type !== 'KMS_DSSE') {
    return KeyPosture.NOT_CUSTOMER_MANAGED;
  }
  const key = literal(node, config.kmsKey ?? config.KmsKey);
  if (key === undefined || key === '') {
    return KeyPosture.NOT_CUSTOMER_MANAGED; // KMS without a key uses the AWS managed key aws/ecr
  }
  if (key === UNRESOLVED) {
    return KeyPosture.CUSTOMER_MANAGED;
  }
  return /(^|:)alias\/aws\//.test(String(key)) ? KeyPosture.NOT_CUSTOMER_MANAGED : KeyPosture.CUSTOMER_MANAGED;
}

/** Resolves an object-valued property; UNRESOLVED when the whole value is an intrinsic. */
export function literalObject(node: CfnResource, value: unknown): any {
  if (value === undefined) {
    return undefined;
  }
  if (Token.isUnresolved(value) && !(typeof value === 'object')) {
    return literal(node, value);
  }
  const resolved = Stack.of(node).resolve(value);
  return isIntrinsic(resolved) ? UNRESOLVED : resolved;
}

/**
 * Parses an IAM policy that CloudFormation accepts as an object or a JSON string. Returns
 * UNRESOLVED when the document is built at deploy time (e.g. `Fn::Join`) or is not JSON.
 */
export function policyDocument(node: CfnResource, value: unknown): any {
  if (value === undefined) {
    return undefined;
  }
  const resolved = Stack.of(node).resolve(value);
  if (isIntrinsic(resolved)) {
    return UNRESOLVED;
  }
  if (typeof resolved === 'string') {
    if (Token.isUnresolved(resolved)) {
      return UNRESOLVED;
    }
    try {
      return JSON.parse(resolved);
    } catch {
      return UNRESOLVED;
    }
  }
  return resolved;
}

/** The statements of a policy document (a single statement object is allowed by IAM). */
export function statementsOf(doc: any): any[] {
  if (doc === undefined || doc === null || typeof doc !== 'object') {
    return [];
  }
  const s = doc.Statement;
  if (s === undefined) {
    return [];
  }
  return Array.isArray(s) ? s : [s];
}

/** Tag mutability settings that keep release tags from being moved. */
export const IMMUTABLE_SETTINGS = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/**
 * Why an `Allow` statement is open to everyone: `Principal: "*"`, `{ AWS: "*" }` (alone or in a
 * list), or a `NotPrincipal`, with no `Condition`. Returns undefined for a closed statement.
 */
export function openStatementReason(statement: any): string | undefined {
  if (statement === null || typeof statement !== 'object' || statement.Effect !== 'Allow') {
    return undefined;
  }
  const condition = statement.Condition;
  const hasCondition = condition !== undefined && condition !== null &&
    (typeof condition !== 'object' || Object.keys(condition).length > 0);
  if (hasCondition) {
    return undefined;
  }
  if (statement.NotPrincipal !== undefined) {
    return 'NotPrincipal';
  }
  const principal = statement.Principal;
  if (principal === '*') {
    return 'Principal::*';
  }
  if (principal !== null && typeof principal === 'object') {
    const aws = principal.AWS;
    const values = Array.isArray(aws) ? aws : [aws];
    if (values.includes('*')) {
      return 'Principal::*';
    }
  }
  return undefined;
}

/** The AWS Signer platform for container images (Notation). @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html */
export const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';

/**
 * Upstream registries that pull through cache can only reach with credentials held in a Secrets
 * Manager secret, by `UpstreamRegistry` value and by the host of `UpstreamRegistryUrl`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
export const UPSTREAMS_NEEDING_CREDENTIALS = [
  'docker-hub', 'github-container-registry', 'azure-container-registry', 'gitlab-container-registry', 'chainguard',
];

/** The `UpstreamRegistry` a URL points at, for the upstreams that need credentials. */
export function upstreamFromUrl(url: string): string | undefined {
  const host = url.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  if (host === 'registry-1.docker.io' || host === 'docker.io' || host === 'index.docker.io') {
    return 'docker-hub';
  }
  if (host === 'ghcr.io') {
    return 'github-container-registry';
  }
  if (host.endsWith('.azurecr.io')) {
    return 'azure-container-registry';
  }
  if (host === 'registry.gitlab.com') {
    return 'gitlab-container-registry';
  }
  if (host === 'cgr.dev') {
    return 'chainguard';
  }
  return undefined;
}

/**
 * A pull-through-cache secret: the name must start with `ecr-pullthroughcache/`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 */
export const PTC_SECRET_ARN_PATTERN = /^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;

/** The secret name prefix pull through cache requires. */
export const PTC_SECRET_NAME_PREFIX = 'ecr-pullthroughcache/';
