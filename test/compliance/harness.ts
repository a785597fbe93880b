/**
 * The compliance harness: a thin wrapper around the public `ComplianceProfile`, which every test
 * of a synthesized stack or app uses, with AWS Control Tower's proactive controls on.
 *
 * It fails on
 * - any finding of aws-cdk-lib's CloudFormation Validate engine (schema: types, properties,
 *   patterns, enums), warnings included;
 * - any unacknowledged finding of the cdk-nag packs AwsSolutions, HIPAA Security,
 *   NIST 800-53 R4/R5, PCI DSS 3.2.1, our own EcrSupplyChainChecks and the Control Tower
 *   cfn-guard rules (`@cdklabs/cdk-validator-cfnguard`);
 * - any acknowledgment without a specific reason.
 *
 * Acknowledgments are written into the templates' `Metadata.cdk_nag.rules_to_suppress`.
 */
import { App, AppProps, Stage } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ComplianceAcknowledgment, CompliancePackResult, ComplianceProfile } from '../../src/compliance';


/** The profile every test runs: everything, Control Tower included. */
const PROFILE = { controlTower: true };

/** Registers every compliance pack on an app that already has children (its context must make schema findings errors). */
export function registerCompliancePacks(app: App | Stage): void {
  ComplianceProfile.apply(app, PROFILE);
}

/** A new App with strict CloudFormation validation and every compliance pack registered. */
export function compliantApp(props: AppProps = {}): App {
  const app = new App(props);
  ComplianceProfile.apply(app, PROFILE);
  return app;
}

/** The outcome of a compliant synth. */
export interface ComplianceResult {
  readonly assembly: CloudAssembly;
  /** Every pack that ran, with its findings. */
  readonly packs: CompliancePackResult[];
  /** Every acknowledgment recorded in the tree: rule id, construct path and reason. */
  readonly acknowledgments: ComplianceAcknowledgment[];
}

/**
 * Synthesizes `app` and throws a readable report when any pack or the CloudFormation Validate
 * engine reports a finding, or an acknowledgment has no specific reason.
 */
export function synthCompliant(app: App | Stage): ComplianceResult {
  const profile = ComplianceProfile.of(app);
  if (!profile) {
    throw new Error('synthCompliant: make the app with compliantApp() or call registerCompliancePacks(app) first');
  }
  const { assembly, packs, acknowledgments } = profile.synth();
  return { assembly, packs, acknowledgments };
}
