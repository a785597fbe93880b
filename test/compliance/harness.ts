/**
 * The compliance harness: one helper every test of a synthesized stack or app uses.
 *
 * It fails on
 * - any finding of aws-cdk-lib's CloudFormation Validate engine (schema: types, properties,
 *   patterns, enums; it runs at synth and writes `validation-report.json`), warnings included;
 * - any unacknowledged finding of the cdk-nag packs AwsSolutions, HIPAA Security,
 *   NIST 800-53 R4/R5, PCI DSS 3.2.1 and our own EcrSupplyChainChecks;
 * - any acknowledgment without a specific reason.
 *
 * Acknowledgments are written into the templates' `Metadata.cdk_nag.rules_to_suppress`
 * (`writeSuppressionsToCloudFormation`) so auditors can read them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EcrSupplyChainChecks } from '../../src/nag';

/** Context that makes the CloudFormation Validate engine's findings errors instead of warnings. */
export const STRICT_VALIDATION_CONTEXT = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** Metadata key under which `Validations.acknowledge` records each acknowledgment. */
const ACK_KEY = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;

/** Extra packs registered with the five cdk-nag packs: our own EcrSupplyChainChecks first. */
const extraPackFactories: Array<(app: IConstruct) => IPolicyValidationPlugin> = [
  (app) => new EcrSupplyChainChecks(app, { writeSuppressionsToCloudFormation: true }),
];

/** Registers an additional pack that every compliant app runs (used for EcrSupplyChainChecks). */
export function registerExtraPack(factory: (app: IConstruct) => IPolicyValidationPlugin): void {
  extraPackFactories.push(factory);
}

/** The names of the packs the harness runs, for summaries. */
export function compliancePackNames(app: IConstruct): string[] {
  return compliancePacks(app).map((p) => p.name);
}

function compliancePacks(app: IConstruct): IPolicyValidationPlugin[] {
  const props = { writeSuppressionsToCloudFormation: true };
  return [
    new AwsSolutionsChecks(app, props),
    new HIPAASecurityChecks(app, props),
    new NIST80053R4Checks(app, props),
    new NIST80053R5Checks(app, props),
    new PCIDSS321Checks(app, props),
    ...extraPackFactories.map((f) => f(app)),
  ];
}

/** The packs registered on each app or stage, so results can list the packs that found nothing. */
const registered = new WeakMap<IConstruct, string[]>();

/** Registers every compliance pack on an app (or stage). */
export function registerCompliancePacks(app: App | Stage): void {
  const packs = compliancePacks(app);
  Validations.of(app).addPlugins(...packs);
  registered.set(app, [...(registered.get(app) ?? []), ...packs.map((p) => p.name)]);
}

/** A new App with strict CloudFormation validation and every compliance pack registered. */
export function compliantApp(props: AppProps = {}): App {
  const app = new App({
    ...props,
    context: { ...STRICT_VALIDATION_CONTEXT, ...(props.context ?? {}) },
  });
  registerCompliancePacks(app);
  return app;
}

/** One finding, flattened for messages and assertions. */
export interface ComplianceFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
  readonly description: string;
}

/** The outcome of a compliant synth. */
export interface ComplianceResult {
  readonly assembly: CloudAssembly;
  /** Every pack that ran, with its conclusion. */
  readonly packs: Array<{ name: string; conclusion: string; findings: number }>;
  /** Every acknowledgment recorded in the tree: rule id, construct path and reason. */
  readonly acknowledgments: Array<{ id: string; path: string; reason: string }>;
}

/** Reasons that say nothing; an acknowledgment must explain why the finding does not apply. */
const VAGUE_REASONS = /^(n\/?a|none|todo|tbd|ok|suppress(ed)?|ignore(d)?|not needed|false positive|-+|\.+)$/i;

/** The shortest reason we accept: a phrase, not a word. */
const MIN_REASON_LENGTH = 20;

/**
 * Synthesizes `app` and throws a readable report when any pack or the CloudFormation Validate
 * engine reports a finding, or an acknowledgment has no specific reason.
 */
export function synthCompliant(app: App | Stage): ComplianceResult {
  const acknowledgments = collectAcknowledgments(app);
  const vague = acknowledgments.filter((a) => a.reason.trim().length < MIN_REASON_LENGTH || VAGUE_REASONS.test(a.reason.trim()));
  if (vague.length > 0) {
    throw new Error('Acknowledgments without a specific reason:\n' +
      vague.map((a) => `  ${a.id} at ${a.path}: '${a.reason}'`).join('\n'));
  }

  let assembly: CloudAssembly | undefined;
  let synthError: Error | undefined;
  try {
    assembly = app.synth({ force: true });
  } catch (e) {
    synthError = e as Error;
  }
  const outdir = assembly?.directory ?? app.outdir;
  const report = readReport(outdir);
  const findings = reportFindings(report);
  if (synthError && findings.length === 0) {
    throw synthError;
  }
  if (findings.length > 0) {
    throw new Error(`${findings.length} compliance finding(s):\n` + findings
      .map((f) => `  [${f.plugin}] ${f.rule} (${f.severity}) at ${f.path}: ${f.description}`)
      .join('\n'));
  }
  // cdk writes validation-report.json only when a plugin reports something: a pack that is
  // registered but absent from the report found nothing.
  const reported = new Map<string, any>((report?.pluginReports ?? []).map((r: any) => [r.pluginName, r]));
  const names = [...new Set([...(registered.get(app) ?? []), ...reported.keys()])];
  const packs = names.map((name) => ({
    name,
    conclusion: reported.get(name)?.conclusion ?? 'success',
    findings: (reported.get(name)?.violations ?? []).length as number,
  }));
  return { assembly: assembly!, packs, acknowledgments };
}

/** Findings in the validation report of a synthesized assembly directory. */
export function reportFindings(report: any): ComplianceFinding[] {
  const findings: ComplianceFinding[] = [];
  for (const plugin of report?.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      for (const c of v.violatingConstructs ?? [{ constructPath: '?' }]) {
        findings.push({
          plugin: plugin.pluginName,
          rule: v.ruleName,
          severity: v.severity ?? 'error',
          path: c.constructPath ?? c.cloudFormationResource?.logicalId ?? '?',
          description: String(v.description ?? '').split('\n')[0],
        });
      }
    }
  }
  return findings;
}

function readReport(outdir: string): any {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/** Every acknowledgment recorded with `Validations.of(x).acknowledge(...)` under `scope`. */
export function collectAcknowledgments(scope: IConstruct): Array<{ id: string; path: string; reason: string }> {
  const out: Array<{ id: string; path: string; reason: string }> = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== ACK_KEY) {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ id, path: c.node.path, reason: String(reason) });
      }
    }
  }
  return out;
}
