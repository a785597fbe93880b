import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { scanFilterCoversPrefix, scanFilterMatches } from '../../src/private/ecr-model';
import { ScanType, SecureRegistry } from '../../src/registry';

describe('scanning filter semantics (ECR user guide table)', () => {
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
  const repos = ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo'];
  test.each([
    ['prod', [true, true, true, true, true]],
    ['*prod', [true, true, false, false, false]],
    ['prod*', [true, false, true, false, true]],
    ['*prod*', [true, true, true, true, true]],
    ['prod*repo', [false, false, true, false, true]],
  ])('filter %p', (filter, expected) => {
    expect(repos.map((r) => scanFilterMatches(filter, r))).toEqual(expected);
  });

  test.each([
    ['*', 'prod/', true],
    ['prod/*', 'prod/', true],
    ['prod/*', 'prod/team/', true],
    ['prod*', 'prod/', true],
    ['prod/*', 'dev/', false],
    ['prod', 'preprod/', true],
    ['*/orders', 'prod/', false],
    ['p*d/*', 'prod/', true],
  ])('filter %p covers prefix %p: %p', (filter, prefix, expected) => {
    expect(scanFilterCoversPrefix(filter, prefix)).toBe(expected);
  });
});

describe('scanning messages', () => {
  test('no synth-time notice for ENHANCED, default or explicit: its cost is documented on scanType', () => {
    for (const props of [{}, { scanType: ScanType.ENHANCED }]) {
      const s = new Stack(new App(), 'RegistryStack', { env: { account: '111111111111', region: 'us-east-1' } });
      new SecureRegistry(s, 'Registry', props);
      expect(Annotations.fromStack(s).findInfo('*', Match.anyValue())).toEqual([]);
    }
  });
});
