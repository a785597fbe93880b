import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * Who declared what in each account and Region of an app: the primary identifiers ECR keeps
 * once per registry (repository names, pull-through cache prefixes, creation-template prefixes,
 * pull-time update exclusions) and the registry-wide settings one construct owns (registry
 * policy, account settings, scanning, replication, signing). A second declaration deploys as a
 * failure ("already exists") or silently overwrites the first, so it is refused at synth.
 *
 * Environment-agnostic stacks: a stack without a literal account and Region can deploy anywhere,
 * so two of them may or may not share a registry. We only compare what we know: declarations in
 * the same agnostic stack (which deploys to one environment) clash; declarations in different
 * agnostic stacks, or in an agnostic stack and a stack with an environment, are never compared,
 * so that nothing valid is refused.
 */

/** Claims by app (construct root): key -> claimant. */
const CLAIMS = new WeakMap<IConstruct, Map<string, IConstruct>>();

/** The environment of a construct: a key, and how messages name it. */
export interface ClaimEnvironment {
  readonly key: string;
  readonly label: string;
}

/** `account/Region` of the construct's stack, or the stack itself when either is a token. */
export function claimEnvironment(scope: IConstruct): ClaimEnvironment {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return { key: `stack:${stack.node.path}`, label: `the environment of stack ${stack.node.path}` };
  }
  return { key: `${stack.account}/${stack.region}`, label: `${stack.account}/${stack.region}` };
}

function claimsOf(scope: IConstruct): Map<string, IConstruct> {
  const root = scope.node.root;
  let claims = CLAIMS.get(root);
  if (!claims) {
    claims = new Map();
    CLAIMS.set(root, claims);
  }
  return claims;
}

/**
 * The construct that already claimed `what` (e.g. `repository prod/orders`) in `scope`'s
 * environment, unless it is `scope` itself or one of its ancestors (a `SecureRegistry` owns the
 * settings its children declare).
 */
export function otherClaimant(scope: IConstruct, what: string): IConstruct | undefined {
  const existing = claimsOf(scope).get(`${claimEnvironment(scope).key}|${what}`);
  if (!existing || existing === scope || scope.node.scopes.includes(existing)) {
    return undefined;
  }
  return existing;
}

/** Records that `owner` declares `what` in `scope`'s environment (`scope` by default). */
export function recordClaim(owner: IConstruct, what: string): void {
  const claims = claimsOf(owner);
  const key = `${claimEnvironment(owner).key}|${what}`;
  if (!claims.has(key)) {
    claims.set(key, owner);
  }
}

/** The registry-wide settings a `SecureRegistry` owns, as claim names. */
export const REGISTRY_POLICY_SETTING = 'registry-wide setting: registry policy';
/** The claim name of one account setting (e.g. `BLOB_MOUNTING`). */
export function accountSettingClaim(name: string): string {
  return `registry-wide setting: account setting ${name}`;
}
/** The ECR account setting names `RegistryAccountSettings` manages. */
export const ACCOUNT_SETTING_NAMES = ['BLOB_MOUNTING', 'REGISTRY_POLICY_SCOPE', 'BASIC_SCAN_TYPE_VERSION'];
