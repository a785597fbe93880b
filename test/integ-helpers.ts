import { RemovalPolicy, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENV } from './helpers';
import { RegistryBaseline } from '../src/baseline/registry-baseline';

/**
 * The placeholders integ-runner exports while it synthesizes a snapshot (to create it, and
 * to verify it offline). Neither is a valid account id or Region, and `SecureRegistry`
 * rejects both, so they are mapped to the fixed `SNAPSHOT_ENV`: the committed snapshot does
 * not depend on who synthesizes it or with which credentials.
 */
const RUNNER_PLACEHOLDER_ACCOUNT = '12345678';
const RUNNER_PLACEHOLDER_REGION = 'test-region';

/** The environment of the committed snapshots. */
export const SNAPSHOT_ENV = ENV;

/**
 * The environment of an integration test stack (`SecureRegistry` refuses env-agnostic stacks).
 *
 * - snapshot synthesis (integ-runner sets its placeholders): `SNAPSHOT_ENV`;
 * - live run: `CDK_INTEG_ACCOUNT` / `CDK_INTEG_REGION` if you export them, else the account
 *   and Region of your credentials (`CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`, set by the
 *   toolkit), else `SNAPSHOT_ENV`.
 */
export function integEnv(): { account: string; region: string } {
  const account = process.env.CDK_INTEG_ACCOUNT;
  const region = process.env.CDK_INTEG_REGION;
  if (account === RUNNER_PLACEHOLDER_ACCOUNT || region === RUNNER_PLACEHOLDER_REGION) {
    return { ...SNAPSHOT_ENV };
  }
  return {
    account: account ?? process.env.CDK_DEFAULT_ACCOUNT ?? SNAPSHOT_ENV.account,
    region: region ?? process.env.CDK_DEFAULT_REGION ?? SNAPSHOT_ENV.region,
  };
}

/** A Region other than `region` in the same partition, for replication. */
export function otherRegion(region: string): string {
  return region === 'us-west-2' ? 'us-east-1' : 'us-west-2';
}

/** A stack in `integEnv()`. */
export function integStack(scope: Construct, id: string): Stack {
  return new Stack(scope, id, { env: integEnv() });
}

/**
 * A baseline for integration tests only: everything it creates is destroyed with the stack
 * (repositories emptied, the key scheduled for deletion), unlike the library's defaults,
 * which retain both.
 */
export function disposableBaseline(scope: Construct, props: { readonly keyId?: string } = {}): RegistryBaseline {
  const encryptionKey = new kms.Key(scope, props.keyId ?? 'IntegKey', {
    description: 'cdk-secure-registry integration test key (deleted with the stack)',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return new RegistryBaseline({
    encryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
    emptyOnDelete: true,
  });
}
