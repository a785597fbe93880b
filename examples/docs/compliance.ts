/**
 * Snippets of docs/compliance.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is run by the same test.
 */
import { App, AspectPriority, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EcrRepositoryGuardrail, EcrSupplyChainChecks, GuardrailMode, SecureRegistry } from '../../src';

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
