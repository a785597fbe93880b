import { CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * What the library shares with cdk-nag: the acknowledgments the constructs write for findings
 * they cannot avoid, and the helpers of the EcrSupplyChainChecks rules (src/nag/rules), which
 * read resolved CloudFormation values. ECR's own rules (names, filters, upstreams) live in
 * ecr-model.ts.
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

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names IAM5 findings
 * (`Fn::Join` joined, `Ref` as `<Name>`, `Fn::GetAtt` as `<Res.Attr>`), so that an
 * acknowledgment names the exact wildcard resource it covers.
 */
export function flattenForNag(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\${/g, '<').replace(/}/g, '>');
  }
  const obj = node as Record<string, any>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'];
    return (items as unknown[]).map(flattenForNag).join(delimiter);
  }
  if (obj['Fn::Sub']) {
    return flattenForNag(obj['Fn::Sub']);
  }
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (obj['Fn::ImportValue']) {
    return flattenForNag(obj['Fn::ImportValue']);
  }
  if (obj.Ref) {
    return `<${flattenForNag(obj.Ref)}>`;
  }
  return JSON.stringify(node);
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly the given wildcard resources on `target` (a policy
 * or role), one finding id per resource, with a reason.
 */
export function acknowledgeWildcardResources(target: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(target);
  const ids = new Set<string>();
  for (const resource of resources) {
    const flat = flattenForNag(stack.resolve(resource));
    if (flat.includes('*')) {
      ids.add(`AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  for (const id of ids) {
    Validations.of(target).acknowledge({ id, reason });
  }
}
