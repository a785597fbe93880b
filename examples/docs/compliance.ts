/**
 * Snippets of docs/compliance.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is run by the same test.
 */
import { App, AspectPriority, Aspects, Stack, Validations, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  ComplianceProfile, ComplianceReport, EcrRepositoryGuardrail, EcrSupplyChainChecks, GuardrailMode, RegistryEndpoints, SecureRegistry,
} from '../../src';

/** The whole compliance set-up of an app, in one line. */
export function profile(): App {
  // #region profile
  const app = new App();
  // The five cdk-nag packs, EcrSupplyChainChecks and AWS Control Tower's proactive controls run at
  // every synth; schema findings are errors; acknowledgments need reasons and reach the templates.
  ComplianceProfile.apply(app, { controlTower: true });
  // #endregion
  return app;
}

/** What a script or test does instead of `cdk synth`. */
export function profileSynth(app: App): ComplianceReport {
  // #region profile-synth
  const report = ComplianceProfile.of(app)!.synth(); // throws one error that lists every finding
  console.log(report.summary); // stacks, each pack's result, the acknowledgments
  // #endregion
  return report;
}

/** The registry's Lambda function in the VPC, answering CloudFormation through the endpoints. */
export function functionsInVpc(stack: Stack, vpc: ec2.IVpc): SecureRegistry {
  // #region functions-in-vpc
  // The account settings function (blobMounting) runs in the isolated subnets (CT.LAMBDA.PR.3);
  // customResources lets it call ecr:PutAccountSetting and answer CloudFormation's pre-signed
  // S3 URL through the endpoints, whose S3 policy otherwise admits ECR's layer bucket only.
  new RegistryEndpoints(stack, 'Endpoints', { vpc, customResources: true });
  const registry = new SecureRegistry(stack, 'Registry', { blobMounting: true, vpc });
  // #endregion
  return registry;
}

/** A Control Tower finding that does not apply, acknowledged with its reason. */
export function acknowledgeControlTower(stack: Stack): void {
  // #region acknowledge-control-tower
  Validations.of(stack).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason: 'this stack has no VPC: its one function calls the public ECR API once per deployment',
  });
  // #endregion
}

/** The packs, registered on the app. */
export function packs(app: App): void {
  // #region packs
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new EcrSupplyChainChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
  // #endregion
}

/** The pack called directly, as tests do. */
export function validateScope(app: App): void {
  // #region validate-scope
  const report = new EcrSupplyChainChecks().validateScope(app);
  // report.violations: [{ ruleName: 'EcrSupplyChain-ESC2', severity: 'error', violatingResources: [...] }, ...]
  // #endregion
  void report;
}

/** An acknowledgment, with its reason. */
export function acknowledge(registry: SecureRegistry): void {
  const scanning = registry.node.findChild('ScanningConfiguration');
  // #region acknowledge
  Validations.of(scanning).acknowledge({
    id: 'EcrSupplyChain::EcrSupplyChain-ESC8',
    reason: 'Amazon Inspector is not licensed in this sandbox account; basic scanning on push covers every repository',
  });
  // #endregion
}

/** The guardrail aspect for repositories from code you don't own. */
export function guardrail(app: App): void {
  // #region guardrail
  Aspects.of(app).add(new EcrRepositoryGuardrail({ mode: GuardrailMode.ENFORCE }), {
    priority: AspectPriority.MUTATING,
  });
  // #endregion
}

/** Snippets that take the app, by function name. */
export const APP_SNIPPETS: Record<string, (app: App) => void> = { packs, validateScope, guardrail };
