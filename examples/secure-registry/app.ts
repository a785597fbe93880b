/**
 * Flagship: one secure ECR registry across four stacks (see the README).
 *
 * Run: `npm run synth` (writes cdk.out/ with every cdk-nag pack), or
 *      `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/secure-registry/app.ts"`.
 */
import { App, Stack } from 'aws-cdk-lib';

/** Account and Region layout of the example. */
export const REGISTRY_ENV = { account: '111111111111', region: 'us-east-1' };
export const DR_ENV = { account: '222222222222', region: 'eu-west-1' };
export const REPLICA_ENV = { account: '111111111111', region: 'us-west-2' };
export const WORKLOAD_ENV = { account: '333333333333', region: 'us-east-1' };

/** Builds the four stacks of the flagship example into `app`. */
export function buildFlagship(app: App): void {
  new Stack(app, 'RegistryStack', { env: REGISTRY_ENV });
  new Stack(app, 'DrRegistryStack', { env: DR_ENV });
  new Stack(app, 'ReplicaRegistryStack', { env: REPLICA_ENV });
  new Stack(app, 'WorkloadStack', { env: WORKLOAD_ENV });
}

if (require.main === module) {
  const app = new App();
  buildFlagship(app);
  app.synth();
}
