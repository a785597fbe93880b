import { App, Environment, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EcrSupplyChainChecks } from '../../src/nag';
import { ENV, registryApp, stackIn } from '../helpers';

export { ENV };

/** A new app and a stack in ENV. */
export function newStack(id = 'Stack', env: Environment = ENV): { app: App; stack: Stack } {
  const app = registryApp();
  const stack = stackIn(app, id, env);
  return { app, stack };
}

/** One finding of the pack: rule id (with `[finding]` when the rule returns findings) and path. */
export interface PackFinding {
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/** Every finding of EcrSupplyChainChecks under `scope`. */
export function packFindings(scope: IConstruct): PackFinding[] {
  const report = new EcrSupplyChainChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({
    rule: v.ruleName,
    severity: String(v.severity),
    path: r.constructPath ?? '?',
  })));
}

/** Paths of the findings for one rule id (`EcrSupplyChain-ESC7` also matches `ESC7[Encryption]`). */
export function findingsOf(scope: IConstruct, ruleId: string): string[] {
  return packFindings(scope)
    .filter((f) => f.rule === ruleId || f.rule.startsWith(`${ruleId}[`))
    .map((f) => f.rule === ruleId ? f.path : `${f.path} ${f.rule.substring(ruleId.length)}`);
}
