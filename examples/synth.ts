/**
 * `npm run synth`: synthesizes the flagship example into cdk.out/ with the library's public
 * compliance profile (every cdk-nag pack, EcrSupplyChainChecks, AWS Control Tower's proactive
 * controls, CloudFormation schema findings as errors), prints its summary, and exits non-zero on
 * any finding.
 */
import { App } from 'aws-cdk-lib';
import { ComplianceProfile } from '../src';
import { buildFlagship } from './secure-registry/app';

const app = new App({ outdir: 'cdk.out' });
const profile = ComplianceProfile.apply(app, { controlTower: true });
buildFlagship(app);
try {
  process.stdout.write(profile.synth().summary);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
