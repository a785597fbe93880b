import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { EcrSupplyChainChecks } from '../nag/ecr-supply-chain-checks';
import { Problems, SecureRegistryError } from '../private/errors';
import { BOOLEAN, NUMBER, STRING, arrayOf, checkArgs, struct } from '../private/shape';

/**
 * Context key that makes the findings of aws-cdk-lib's CloudFormation Validate engine (the
 * resource schema: types, properties, patterns, enums) errors instead of warnings.
 */
const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

/** The npm package of the AWS Control Tower proactive controls (cfn-guard rules and binary). */
const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard';

/** The plugin name `CfnGuardValidator` reports under, and the namespace of its acknowledgment ids. */
const CFN_GUARD_PLUGIN_NAME = 'cdk-validator-cfnguard';

/** The name aws-cdk-lib's schema validation reports under. */
const CLOUDFORMATION_VALIDATE = 'CloudFormation Validate';

/** Reasons that say nothing; an acknowledgment must explain why the finding does not apply. */
const VAGUE_REASONS = /^(n\/?a|none|todo|tbd|ok|suppress(ed)?|ignore(d)?|not needed|false positive|-+|\.+)$/i;

/**
 * Properties of `ComplianceProfile.apply`.
 */
export interface ComplianceProfileProps {
  /**
   * Also run AWS Control Tower's proactive controls: the cfn-guard rules that Control Tower
   * evaluates as CloudFormation hooks before a deployment, shipped with the cfn-guard binary in
   * the npm package `@cdklabs/cdk-validator-cfnguard` (an optional peer dependency: install it
   * yourself; binaries for Linux and macOS only). Acknowledge one of its findings with the id
   * `cdk-validator-cfnguard::<rule>`, e.g. `cdk-validator-cfnguard::lambda_inside_vpc_check`.
   *
   * @see https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
   * @default false
   */
  readonly controlTower?: boolean;

  /**
   * Control Tower rule files to leave out, by file name without extension, e.g. `'ct-s3-pr-1'`.
   * Only with `controlTower`.
   *
   * @default - every Control Tower rule runs
   */
  readonly disabledControlTowerRules?: string[];

  /**
   * Make the findings of aws-cdk-lib's CloudFormation schema check (unknown properties, wrong
   * types, values outside a pattern or an enum) errors, by setting the context
   * `@aws-cdk/core:validateAgainstDefaultRules` on the app. The profile must then be applied
   * before the app has children, or that context set in `cdk.json`.
   *
   * @default true
   */
  readonly schemaFindingsAsErrors?: boolean;

  /**
   * The shortest acknowledgment reason accepted: every acknowledgment in the app must say why
   * the rule does not apply, in at least this many characters, or synthesis fails.
   *
   * @default 20
   */
  readonly minimumReasonLength?: number;
}

/** One validation plugin and what it found. */
export interface CompliancePackResult {
  /** The plugin's name, e.g. `AwsSolutions` or `cdk-validator-cfnguard`. */
  readonly name: string;
  /** Its unacknowledged findings (always 0 in a report that `synth()` returned). */
  readonly findings: number;
}

/** One acknowledged rule. */
export interface ComplianceAcknowledgment {
  /** The rule id as acknowledged, e.g. `AwsSolutions::AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** The construct path it was recorded on (it covers that construct and everything below it). */
  readonly path: string;
  /** Why the rule does not apply there. */
  readonly reason: string;
}

/** What `ComplianceProfile.synth()` returns. */
export interface ComplianceReport {
  /** The synthesized cloud assembly. */
  readonly assembly: cxapi.CloudAssembly;
  /** Every pack that ran, in registration order, with its findings. */
  readonly packs: CompliancePackResult[];
  /** Every acknowledgment in the app, with its reason. */
  readonly acknowledgments: ComplianceAcknowledgment[];
  /** A readable summary: the stacks and resource counts, each pack's result and the acknowledgments. */
  readonly summary: string;
}

/**
 * The compliance checks of this library, registered on an app in one call.
 *
 * `ComplianceProfile.apply(app)` registers, as CDK validation plugins that run at synthesis:
 * the cdk-nag packs AwsSolutions, HIPAA Security, NIST 800-53 R4 and R5 and PCI DSS 3.2.1,
 * `EcrSupplyChainChecks`, and with `controlTower: true` AWS Control Tower's proactive controls
 * (cfn-guard). Acknowledgments (`Validations.of(construct).acknowledge({ id, reason })`) are
 * written into the templates (`Metadata.cdk_nag.rules_to_suppress`), CloudFormation schema
 * findings become errors, and an acknowledgment without a reason fails synthesis.
 *
 * `cdk synth` then fails on any finding and prints aws-cdk-lib's report; a script or test can
 * call `profile.synth()` instead, which throws one error listing every finding, or returns a
 * summary.
 *
 * @see https://github.com/cdklabs/cdk-nag
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
 * @example
 * const app = new App();
 * ComplianceProfile.apply(app); // add { controlTower: true } with @cdklabs/cdk-validator-cfnguard installed
 * const stack = new Stack(app, 'RegistryStack', { env: { account: '111111111111', region: 'us-east-1' } });
 * new SecureRegistry(stack, 'Registry');
 */
export class ComplianceProfile {
  /**
   * Registers the compliance checks on `app` (an `App`, or a `Stage` whose root is one).
   *
   * @param app the app or stage to check; apply it right after `new App()`
   * @param props what to check
   */
  public static apply(app: Stage, props: ComplianceProfileProps = {}): ComplianceProfile {
    return new ComplianceProfile(app, props);
  }

  /**
   * The profile applied to `app`, if any.
   *
   * @param app the app or stage
   */
  public static of(app: Stage): ComplianceProfile | undefined {
    return (app as any)[PROFILE_SYMBOL];
  }

  /** The names of the validation plugins the profile registered, in order. */
  public readonly packNames: string[];

  private readonly stage: Stage;
  private readonly schemaStrict: boolean;

  private constructor(stage: Stage, props: ComplianceProfileProps) {
    checkArgs(Stage.isStage(stage) ? stage : undefined, [['props', props, struct('ComplianceProfileProps', () => ({
      controlTower: BOOLEAN,
      disabledControlTowerRules: arrayOf(STRING, "['ecs_task_definition_user_check']"),
      schemaFindingsAsErrors: BOOLEAN,
      minimumReasonLength: NUMBER,
    }))]]);
    this.stage = stage;
    const problems = new Problems();
    if (!Stage.isStage(stage)) {
      problems.add('NotAnApp', `${String(stage)} is not an App or Stage: apply the profile to the app, e.g. ComplianceProfile.apply(app)`);
      problems.throwIfAnyUnscoped();
    }
    if (ComplianceProfile.of(stage)) {
      problems.add('ComplianceProfileAlreadyApplied',
        'a ComplianceProfile is already applied here (each pack would run twice): apply it once, and read it with ComplianceProfile.of(app)');
    }
    const minimumReasonLength = props.minimumReasonLength ?? 20;
    if (!Number.isInteger(minimumReasonLength) || minimumReasonLength < 1) {
      problems.add('InvalidMinimumReasonLength',
        `minimumReasonLength ${minimumReasonLength} is not a positive whole number: give e.g. 20`);
    }
    if (props.disabledControlTowerRules && !props.controlTower) {
      problems.add('ControlTowerRulesNotEnabled',
        'disabledControlTowerRules is given but controlTower is not true: set controlTower: true, or leave the rules out');
    }
    problems.throwIfAny(stage);

    this.schemaStrict = props.schemaFindingsAsErrors ?? true;
    if (this.schemaStrict) {
      strictSchema(stage);
    }

    const nagProps = { writeSuppressionsToCloudFormation: true };
    const plugins: IPolicyValidationPlugin[] = [
      new AwsSolutionsChecks(stage, nagProps),
      new HIPAASecurityChecks(stage, nagProps),
      new NIST80053R4Checks(stage, nagProps),
      new NIST80053R5Checks(stage, nagProps),
      new PCIDSS321Checks(stage, nagProps),
      new EcrSupplyChainChecks(stage, nagProps),
    ];
    if (props.controlTower) {
      plugins.push(controlTowerValidator(stage, props.disabledControlTowerRules ?? []));
    }
    Validations.of(stage).addPlugins(...plugins);
    this.packNames = plugins.map((p) => p.name);

    stage.node.addValidation({ validate: () => vagueAcknowledgments(stage, minimumReasonLength) });
    Object.defineProperty(stage, PROFILE_SYMBOL, { value: this, enumerable: false });
  }

  /**
   * Synthesizes the app with every check, and throws one error that lists every finding of
   * every pack (and of the CloudFormation schema check), or returns the report.
   */
  public synth(): ComplianceReport {
    const acknowledgments = collectAcknowledgments(this.stage);
    let assembly: cxapi.CloudAssembly | undefined;
    let synthError: unknown;
    try {
      assembly = this.stage.synth({ force: true });
    } catch (e) {
      synthError = e;
    }
    const report = readValidationReport(assembly?.directory ?? this.stage.outdir);
    const findings = reportFindings(report);
    if (findings.length > 0) {
      throw new SecureRegistryError(this.stage, 'ComplianceFindings', `${findings.length} compliance finding(s):\n` +
        findings.map((f) => `  ${f}`).join('\n') +
        '\nFix the resources, or acknowledge a finding that does not apply with ' +
        "Validations.of(construct).acknowledge({ id: '<plugin>::<rule>', reason: '<why it does not apply>' })");
    }
    if (synthError !== undefined || assembly === undefined) {
      throw synthError;
    }
    // aws-cdk-lib writes validation-report.json only when a plugin reports something: a plugin
    // absent from it found nothing.
    const reported = new Map<string, any>((report?.pluginReports ?? []).map((r: any) => [r.pluginName, r]));
    const packs = this.packNames.map((name) => ({ name, findings: (reported.get(name)?.violations ?? []).length as number }));
    return { assembly, packs, acknowledgments, summary: summarize(assembly, this.schemaStrict, packs, acknowledgments) };
  }
}

/**
 * Where an app keeps its profile. A `Symbol.for` key is shared by every copy of the library
 * loaded in one process (an app may load another copy than the code that reads it).
 */
const PROFILE_SYMBOL = Symbol.for('cdk-secure-registry.ComplianceProfile');

/** Sets the schema-findings-are-errors context on the app, or fails with the fix. */
function strictSchema(stage: Stage): void {
  const root = stage.node.root;
  const current = root.node.tryGetContext(VALIDATE_AGAINST_DEFAULT_RULES);
  if (current === true || current === 'true') {
    return;
  }
  if (root.node.children.length > 0) {
    throw new SecureRegistryError(stage, 'ComplianceProfileAppliedLate',
      `the app already has children (${root.node.children.map((c) => c.node.id).join(', ')}), so the context ` +
      `'${VALIDATE_AGAINST_DEFAULT_RULES}' that makes CloudFormation schema findings errors can no longer be set: ` +
      'apply the profile right after new App(), set that context to true in cdk.json, or pass schemaFindingsAsErrors: false');
  }
  root.node.setContext(VALIDATE_AGAINST_DEFAULT_RULES, true);
}

/**
 * AWS Control Tower's proactive controls, loaded only when asked for: the package is an optional
 * peer dependency, so apps that do not ask for it need not install it.
 */
function controlTowerValidator(stage: Stage, disabledRules: string[]): IPolicyValidationPlugin {
  // cfn-guard ships as native binaries for Linux and macOS (x64 and arm64) only.
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new SecureRegistryError(stage, 'ControlTowerRulesUnsupportedPlatform',
      `controlTower runs the cfn-guard binary of ${CFN_GUARD_PACKAGE}, which exists for Linux and macOS only, ` +
      `not for '${process.platform}': run the checks on Linux or macOS (e.g. in CI or WSL), or leave controlTower out here`);
  }
  let mod: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(CFN_GUARD_PACKAGE);
  } catch (e) {
    if ((e as any)?.code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(CFN_GUARD_PACKAGE)) {
      throw new SecureRegistryError(stage, 'ControlTowerValidatorNotInstalled',
        `controlTower needs the npm package ${CFN_GUARD_PACKAGE} (an optional peer dependency), which is not ` +
        `installed: run 'npm install --save-dev ${CFN_GUARD_PACKAGE}', or leave controlTower out`);
    }
    throw e;
  }
  return new mod.CfnGuardValidator({ controlTowerRulesEnabled: true, disabledRules });
}

/** The app's acknowledgments whose reason says nothing, as validation messages. */
function vagueAcknowledgments(stage: Stage, minimumReasonLength: number): string[] {
  const problems = new Problems();
  for (const a of collectAcknowledgments(stage)) {
    if (a.reason.trim().length < minimumReasonLength || VAGUE_REASONS.test(a.reason.trim())) {
      problems.add('VagueAcknowledgmentReason', `the acknowledgment of ${a.id} at ${a.path} has no specific reason ` +
        `('${a.reason}'): say why the rule does not apply there, in at least ${minimumReasonLength} characters`);
    }
  }
  return problems.toValidationMessages();
}

/** Every acknowledgment recorded with `Validations.of(x).acknowledge(...)` under `scope`. */
function collectAcknowledgments(scope: IConstruct): ComplianceAcknowledgment[] {
  const out: ComplianceAcknowledgment[] = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        continue;
      }
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ id, path: c.node.path, reason: String(reason) });
      }
    }
  }
  return out;
}

function readValidationReport(outdir: string): any {
  const file = path.join(outdir, 'validation-report.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}

/** Every unacknowledged finding of a validation report, one line each. */
function reportFindings(report: any): string[] {
  const out: string[] = [];
  for (const plugin of report?.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      const where = (v.violatingConstructs ?? v.violatingResources ?? [{}])
        .map((c: any) => c.constructPath ?? c.cloudFormationResource?.logicalId ?? c.resourceLogicalId ?? '?');
      for (const p of where.length > 0 ? where : ['?']) {
        out.push(`[${plugin.pluginName}] ${v.ruleName} (${v.severity ?? 'error'}) at ${p}: ${String(v.description ?? '').split('\n')[0]}`);
      }
    }
  }
  return out;
}

function summarize(assembly: cxapi.CloudAssembly, schemaStrict: boolean, packs: CompliancePackResult[],
  acknowledgments: ComplianceAcknowledgment[]): string {
  const lines = [`Synthesized ${assembly.stacks.length} stack(s) into ${assembly.directory}/`];
  for (const s of assembly.stacks) {
    const resources = Object.keys(s.template?.Resources ?? {}).length;
    lines.push(`  ${s.stackName.padEnd(26)} ${s.environment.account}/${s.environment.region}  ${resources} resources`);
  }
  lines.push('Compliance:');
  lines.push(`  ${CLOUDFORMATION_VALIDATE.padEnd(26)} ${schemaStrict ? 'pass' : 'warnings only'} (schema: types, properties, patterns, enums)`);
  for (const p of packs) {
    const label = p.name === CFN_GUARD_PLUGIN_NAME ? 'Control Tower (cfn-guard)' : p.name;
    lines.push(`  ${label.padEnd(26)} ${p.findings === 0 ? 'pass' : 'FAIL'} (${p.findings} findings)`);
  }
  lines.push(`  acknowledged findings:   ${acknowledgments.length} (each with a reason, written to template metadata)`);
  return lines.join('\n') + '\n';
}
