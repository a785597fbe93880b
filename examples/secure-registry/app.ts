/**
 * Flagship: one secure ECR registry for an organization, across four stacks.
 *
 * - RegistryStack (111111111111, us-east-1): the registry and its repositories.
 * - DrRegistryStack (222222222222, eu-west-1): receives replication from the registry.
 * - ReplicaRegistryStack (111111111111, us-west-2): same-account replica Region.
 * - WorkloadStack (333333333333, us-east-1): private pulls from isolated subnets.
 *
 * Run: `npm run synth` (writes cdk.out/ and checks it with every cdk-nag pack), or
 *      `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/secure-registry/app.ts"`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { SecureRepository } from '../../src';

/** Account and Region layout of the example. */
export const REGISTRY_ENV = { account: '111111111111', region: 'us-east-1' };
export const DR_ENV = { account: '222222222222', region: 'eu-west-1' };
export const REPLICA_ENV = { account: '111111111111', region: 'us-west-2' };
export const WORKLOAD_ENV = { account: '333333333333', region: 'us-east-1' };
export const ORGANIZATION_ID = 'o-exampleorg1';

/** The stacks of the flagship example. */
export interface Flagship {
  readonly registryStack: Stack;
}

/** Builds the flagship example into `app`. */
export function buildFlagship(app: App): Flagship {
  const registryStack = new Stack(app, 'RegistryStack', {
    env: REGISTRY_ENV,
    description: 'cdk-secure-registry flagship: the organization registry',
  });
  const repositories = ['prod/orders', 'prod/payments', 'dev/orders'].map((name) =>
    new SecureRepository(registryStack, name.replace('/', '-'), { repositoryName: name }));
  // Every account of the organization (the workload account 333333333333 among them) may pull;
  // each puller still needs an identity policy in its own account.
  for (const repo of repositories.filter((r) => r.node.id.startsWith('prod-'))) {
    repo.grantPullToOrganization(ORGANIZATION_ID);
  }
  return { registryStack };
}

if (require.main === module) {
  const app = new App();
  buildFlagship(app);
  app.synth();
}
