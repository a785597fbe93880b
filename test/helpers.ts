import { App, AppProps, Environment, Stack } from 'aws-cdk-lib';

/** The registry's home: account 111111111111 in us-east-1. */
export const ENV = { account: '111111111111', region: 'us-east-1' };

/** The registry account's second Region (same-account replication). */
export const REPLICA_ENV = { account: '111111111111', region: 'us-west-2' };

/** The disaster-recovery account and Region (cross-account replication). */
export const DR_ENV = { account: '222222222222', region: 'eu-west-1' };

/** The workload account that pulls from the registry. */
export const WORKLOAD_ENV = { account: '333333333333', region: 'us-east-1' };

/** A new app for one test. */
export function registryApp(props?: AppProps): App {
  return new App(props);
}

/** A stack in `env` (the registry's home by default), in `app` (a new one by default). */
export function stackIn(app: App = registryApp(), id = 'RegistryStack', env: Environment = ENV): Stack {
  return new Stack(app, id, { env });
}

/** An environment-agnostic stack (no account, no Region). */
export function agnosticStack(app: App = registryApp(), id = 'RegistryStack'): Stack {
  return new Stack(app, id);
}
