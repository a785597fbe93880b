/**
 * Snippets of docs/registry.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is synthesized by the same test.
 */
import { App, Stack, aws_sns as sns } from 'aws-cdk-lib';
import {
  CreationTemplateAppliedFor, EcrApi, FindingSeverity, RegistryAccountSettings, RegistryPolicyScope,
  ReplicationDestination, ScanFindingAlerts, ScanType, SecureRegistry, UpstreamRegistry,
} from '../../src';

/** A registry with every registry-level capability. */
export function fullRegistry(stack: Stack): void {
  // #region registry
  const registry = new SecureRegistry(stack, 'Registry', {
    scanType: ScanType.ENHANCED, // Amazon Inspector (the default)
    scanContinuousFilters: ['prod/*'], // the rest is scanned on push ('*')
    blobMounting: true,
    signingRules: [{ repositoryFilters: ['prod/*'] }],
  });
  registry.addRepository('Orders', { repositoryName: 'prod/orders' });
  registry.replicateTo({ region: 'us-west-2', repositoryPrefixes: ['prod/'] });
  registry.replicateTo({ region: 'eu-west-1', account: '222222222222', repositoryPrefixes: ['prod/'] });
  registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
  registry.addCreationTemplate({ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
  registry.addFindingAlerts({ severities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH] });
  // #endregion
}

/** The destination side of cross-account replication, without a registry of its own. */
export function replicationDestination(app: App): void {
  const stack = new Stack(app, 'DrRegistryStack', { env: { account: '222222222222', region: 'eu-west-1' } });
  // #region replication-destination
  // In the destination account (222222222222, eu-west-1)
  new ReplicationDestination(stack, 'FromRegistry', {
    sourceAccount: '111111111111',
    sourceRegion: 'us-east-1',
    repositoryPrefixes: ['prod/'],
  });
  // #endregion
}

/** Alerts on scan findings and failed replications. */
export function findingAlerts(stack: Stack): void {
  // #region finding-alerts
  const alerts = new ScanFindingAlerts(stack, 'Alerts', {
    severities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH], // the default
    repositoryPrefixes: ['prod/'],
  });
  new sns.Subscription(stack, 'SecurityTeam', {
    topic: alerts.topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'security@example.com',
  });

  // Optional: alarm on unusual pull volume (AWS/ECR RepositoryPullCount, RepositoryName dimension)
  alerts.addPullCountAlarm('OrdersPulls', { repositoryName: 'prod/orders', threshold: 1000 });

  // Optional: alarm when GetAuthorizationToken calls pass 80% of its rate quota (AWS/Usage CallCount)
  alerts.addApiQuotaAlarm('AuthTokenQuota', { api: EcrApi.GET_AUTHORIZATION_TOKEN });
  // #endregion
}

/** Account settings on their own (SecureRegistry creates them from its props). */
export function accountSettings(stack: Stack): void {
  // #region account-settings
  new RegistryAccountSettings(stack, 'AccountSettings', {
    blobMounting: true,
    registryPolicyScope: RegistryPolicyScope.V2,
  });
  // #endregion
}

/** Every snippet of the page, by function name. */
export const SNIPPETS: Record<string, (stack: Stack) => void> = { fullRegistry, findingAlerts, accountSettings };
/** Snippets that make their own stacks. */
export const APP_SNIPPETS: Record<string, (app: App) => void> = { replicationDestination };
