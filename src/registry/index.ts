export * from './secure-registry';
// scanning.ts, replication.ts and signing.ts also hold the registry's private capability
// classes: export their public types by name.
export { ScanFrequency, ScanType } from './scanning';
export { ReplicationDestination } from './replication';
export type { ReplicationDestinationProps, ReplicationRuleOptions } from './replication';
export type { SigningRuleOptions } from './signing';
export * from './creation-template';
export * from './registry-policy';
export * from './upstream-registry';
export * from './pull-through-cache';
export * from './account-settings';
export * from './finding-alerts';
export * from './replication-failure-alerts';
