/**
 * Compliance cost benchmark: synthesizes the flagship example (four stacks) with no checks,
 * then with each part of `ComplianceProfile` alone, then with the whole profile, and prints the
 * seconds each takes and the ratio to the plain synth. Figures are measured in this one run
 * (median of RUNS rounds, after a warm-up round), not asserted; cfn-guard runs as a separate
 * process per synth, so its figure also depends on how busy the machine is.
 *
 * Run: npx ts-node --project scripts/tsconfig.json scripts/bench-compliance.ts
 */
import * as os from 'os';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R4Checks, NIST80053R5Checks, PCIDSS321Checks,
} from 'cdk-nag';
import { buildFlagship } from '../examples/secure-registry/app';
import { ComplianceProfile, EcrSupplyChainChecks } from '../src';

const RUNS = Number(process.env.RUNS ?? 3);
const props = { writeSuppressionsToCloudFormation: true };

/** What each variant adds to a fresh app before the flagship is built. */
const VARIANTS: Array<[string, (app: App) => void]> = [
  ['plain synth (CloudFormation schema check only)', () => undefined],
  ['+ AwsSolutions', (app) => plugins(app, new AwsSolutionsChecks(app, props))],
  ['+ HIPAA Security', (app) => plugins(app, new HIPAASecurityChecks(app, props))],
  ['+ NIST 800-53 R4', (app) => plugins(app, new NIST80053R4Checks(app, props))],
  ['+ NIST 800-53 R5', (app) => plugins(app, new NIST80053R5Checks(app, props))],
  ['+ PCI DSS 3.2.1', (app) => plugins(app, new PCIDSS321Checks(app, props))],
  ['+ EcrSupplyChainChecks', (app) => plugins(app, new EcrSupplyChainChecks(app, props))],
  ['+ Control Tower (cfn-guard)', (app) => plugins(app, new CfnGuardValidator())],
  ['ComplianceProfile.apply(app)', (app) => { ComplianceProfile.apply(app); }],
  ['ComplianceProfile.apply(app, { controlTower: true })', (app) => { ComplianceProfile.apply(app, { controlTower: true }); }],
];

function plugins(app: App, ...list: IPolicyValidationPlugin[]): void {
  Validations.of(app).addPlugins(...list);
}

function seconds(setup: (app: App) => void): number {
  const app = new App();
  setup(app);
  const start = process.hrtime.bigint();
  buildFlagship(app);
  app.synth({ force: true });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Rounds run every variant in turn, so one-time costs (module loading, JIT tier-up, the
// CloudFormation validation engine's first templates) fall in the warm-up round, not on
// whichever variant runs first.
VARIANTS.forEach(([, setup]) => seconds(setup));
const samples = VARIANTS.map(() => [] as number[]);
for (let round = 0; round < RUNS; round++) {
  VARIANTS.forEach(([, setup], i) => samples[i].push(seconds(setup)));
}
const results = VARIANTS.map(([name], i) => [name, median(samples[i])] as const);
const base = results[0][1];
process.stdout.write(`Flagship synth (4 stacks), median of ${RUNS} rounds, node ${process.version}, ${process.platform}/${process.arch}, ` +
  `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}\n`);
for (const [name, s] of results) {
  process.stdout.write(`  ${name.padEnd(56)} ${s.toFixed(2).padStart(6)} s  x${(s / base).toFixed(1)}\n`);
}
