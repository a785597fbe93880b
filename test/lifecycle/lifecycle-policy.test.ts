import { Duration, Lazy, Token } from 'aws-cdk-lib';
import {
  CountSelection, LifecycleActionType, LifecycleCountType, LifecyclePolicy, LifecycleRule, LifecycleStorageClass, LifecycleTagStatus,
} from '../../src/lifecycle';

function rule(selection: Record<string, unknown>, action: Record<string, unknown> = { type: 'expire' }, priority = 1) {
  return { rulePriority: priority, selection, action };
}
function doc(...rules: object[]): string {
  return JSON.stringify({ rules });
}
const untagged7 = { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 };
const any1 = { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 };

describe('render', () => {
  test('typed rules render the exact ECR JSON, priorities assigned in listing order', () => {
    // GIVEN
    const policy = new LifecyclePolicy({
      rules: [
        LifecycleRule.expire({ tagPatternList: ['v*'], count: CountSelection.imageCountMoreThan(30) }),
        LifecycleRule.expire({ tagStatus: LifecycleTagStatus.UNTAGGED, count: CountSelection.sinceImagePushed(Duration.days(7)) }),
        LifecycleRule.transition({ count: CountSelection.sinceImagePulled(Duration.days(90)) }),
        LifecycleRule.expire({ count: CountSelection.sinceImageTransitioned(Duration.days(365)) }),
      ],
    });
    // THEN
    expect(JSON.parse(policy.render())).toEqual({
      rules: [
        { rulePriority: 1, selection: { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } },
        { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
        { rulePriority: 3, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, action: { type: 'transition', targetStorageClass: 'archive' } },
        { rulePriority: 4, selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, action: { type: 'expire' } },
      ],
    });
    expect(policy.render()).not.toContain('null');
  });

  test('omitted priorities follow the highest priority listed before them', () => {
    const policy = new LifecyclePolicy({
      rules: [
        LifecycleRule.keepNewest({ count: 5, tagPatternList: ['v*'], rulePriority: 10 }),
        LifecycleRule.expireUntagged(Duration.days(1)),
        LifecycleRule.keepNewest({ count: 5, tagPatternList: ['rc*'] }),
      ],
    });
    expect(policy.rules.map((r) => r.rulePriority)).toEqual([10, 11, 12]);
  });

  test('render() of fromJson() keeps every key ECR documents, in ECR order, and nothing else', () => {
    const json = doc(
      { rulePriority: 3, description: 'd', selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], storageClass: 'standard', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'transition', targetStorageClass: 'archive' } },
      rule(untagged7, { type: 'expire' }, 1),
    );
    expect(LifecyclePolicy.fromJson(json).render()).toEqual(json);
  });

  test('secureDefault renders the documented policy: one tagged count rule, no untagged rule', () => {
    expect(JSON.parse(LifecyclePolicy.secureDefault().render())).toEqual({
      rules: [
        { rulePriority: 1, description: 'Keep the newest 100 images tagged *', selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
      ],
    });
  });

  test('releaseRetention renders keep-30-releases (older archived), archive other tagged images not pulled 90d', () => {
    const rules = JSON.parse(LifecyclePolicy.releaseRetention().render()).rules;
    const archive = { type: 'transition', targetStorageClass: 'archive' };
    expect(rules.map((r: any) => [r.rulePriority, r.selection, r.action])).toEqual([
      [1, { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 30 }, archive],
      [2, { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, archive],
    ]);
  });

  test('releaseRetention is parameterised, can expire untagged images (opt-in) and archived images', () => {
    const rules = JSON.parse(LifecyclePolicy.releaseRetention({
      releaseTagPatterns: ['release-*'], keepReleases: 5, expireUntaggedAfter: Duration.days(7), expireArchivedAfter: Duration.days(180),
    }).render()).rules;
    expect(rules[0].selection).toMatchObject({ tagPatternList: ['release-*'], countNumber: 5 });
    expect(rules[2]).toMatchObject({ rulePriority: 3, selection: untagged7, action: { type: 'expire' } });
    expect(rules[3]).toMatchObject({ rulePriority: 4, selection: { storageClass: 'archive', countType: 'sinceImageTransitioned', countNumber: 180 } });
  });
});

describe('policies ECR accepts are accepted (ecr-facts 1.8)', () => {
  test.each([
    ['four wildcards per pattern', doc(rule({ tagStatus: 'tagged', tagPatternList: ['*test*1*2*3', 'test*1*2*3*'], countType: 'imageCountMoreThan', countNumber: 1 }))],
    ['two any rules in different storage classes', doc(
      rule({ tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, { type: 'transition', targetStorageClass: 'archive' }, 1),
      rule({ tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, { type: 'expire' }, 2))],
    ['non-sequential priorities listed out of order', doc(rule(any1, { type: 'expire' }, 40), rule(untagged7, { type: 'expire' }, 5))],
    ['pattern and prefix rules in one policy', doc(
      rule({ tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 3 }, { type: 'expire' }, 1),
      rule({ tagStatus: 'tagged', tagPrefixList: ['rc'], countType: 'imageCountMoreThan', countNumber: 3 }, { type: 'expire' }, 2))],
    ['an untagged rule plus an any rule', doc(rule(untagged7, { type: 'expire' }, 1), rule(any1, { type: 'expire' }, 2))],
    ['archive expiry at exactly 90 days', doc(rule({ tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }))],
  ])('%s', (_name, json) => {
    expect(() => LifecyclePolicy.fromJson(json)).not.toThrow();
  });
});

describe('policies ECR rejects fail with a stable code', () => {
  const tagged = (extra: object) => ({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1, ...extra });
  test.each([
    ['PolicyNotJson', '{"rules": ['],
    ['InvalidPolicyDocument', '[]'],
    ['NoRules', '{"rules": []}'],
    ['NoRules', '{}'],
    ['UnknownProperty', doc({ ...rule(any1), extra: 1 })],
    ['CountUnitNotAllowed', doc(rule({ ...any1, countUnit: 'days' }))],
    ['InvalidCountNumber', doc(rule({ ...any1, countNumber: 0 }))],
    ['InvalidCountNumber', doc(rule({ ...any1, countNumber: 1.5 }))],
    ['TagListRequired', doc(rule({ tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 }))],
    ['TagListNotAllowed', doc(rule({ ...untagged7, tagPrefixList: ['a'] }))],
    ['TagListNotAllowed', doc(rule({ ...any1, tagPatternList: ['a*'] }))],
    ['TagListsExclusive', doc(rule(tagged({ tagPrefixList: ['a'], tagPatternList: ['a*'] })))],
    ['TooManyWildcards', doc(rule(tagged({ tagPatternList: ['test*1*2*3*4*5*6'] })))],
    ['DuplicateRulePriority', doc(rule(untagged7, { type: 'expire' }, 1), rule(any1, { type: 'expire' }, 1))],
    ['RulePriorityRequired', doc({ selection: any1, action: { type: 'expire' } })],
    ['InvalidRulePriority', doc(rule(any1, { type: 'expire' }, 0))],
    ['AnyRuleNotLast', doc(rule(any1, { type: 'expire' }, 1), rule(untagged7, { type: 'expire' }, 2))],
    ['DuplicateUntaggedRule', doc(rule(untagged7, { type: 'expire' }, 1), rule({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 3 }, { type: 'expire' }, 2))],
    ['DuplicateTagPrefixList', doc(rule(tagged({ tagPrefixList: ['a', 'b'] }), { type: 'expire' }, 1), rule(tagged({ tagPrefixList: ['b', 'a'], countNumber: 5 }), { type: 'expire' }, 2))],
    ['CountUnitRequired', doc(rule({ tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 3 }))],
    ['CountTypeActionMismatch', doc(rule({ tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 3 }))],
    ['CountTypeActionMismatch', doc(rule({ tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 100 }, { type: 'transition', targetStorageClass: 'archive' }))],
    ['ArchiveStorageClassRequired', doc(rule({ tagStatus: 'any', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 100 }))],
    ['StorageClassNotSupported', doc(rule({ ...any1, storageClass: 'archive' }))],
    ['ArchiveMinimumDuration', doc(rule({ tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 89 }))],
    ['TargetStorageClassRequired', doc(rule(any1, { type: 'transition' }))],
    ['InvalidTargetStorageClass', doc(rule(any1, { type: 'transition', targetStorageClass: 'glacier' }))],
    ['TargetStorageClassNotAllowed', doc(rule(any1, { type: 'expire', targetStorageClass: null }))],
    ['InvalidActionType', doc(rule(any1, { type: 'delete' }))],
    ['InvalidTagStatus', doc(rule({ ...any1, tagStatus: 'all' }))],
    ['InvalidStorageClass', doc(rule({ ...any1, storageClass: 'cold' }))],
    ['InvalidCountType', doc(rule({ ...any1, countType: 'imageCountLessThan' }))],
    ['SelectionRequired', doc({ rulePriority: 1, action: { type: 'expire' } })],
    ['ActionRequired', doc({ rulePriority: 1, selection: any1 })],
    ['TooManyRules', doc(...Array.from({ length: 51 }, (_, i) => rule({ tagStatus: 'tagged', tagPatternList: [`t${i}*`], countType: 'imageCountMoreThan', countNumber: 1 }, { type: 'expire' }, i + 1)))],
    // 30,720 characters is the limit; a long description crosses it.
    ['PolicyTooLong', doc({ rulePriority: 1, description: 'x'.repeat(30720), selection: any1, action: { type: 'expire' } })],
  ])('%s', (code, json) => {
    expect(() => LifecyclePolicy.fromJson(json)).toThrow(new RegExp(`${code}: `));
  });

  test('every problem is reported at once, naming the rule, the value and the fix', () => {
    const json = doc(rule({ ...any1, countNumber: 0, countUnit: 'days' }, { type: 'expire' }, 2));
    expect(() => LifecyclePolicy.fromJson(json)).toThrow(
      /2 problems:\n {2}- InvalidCountNumber: rules\[0\] \(rulePriority 2\): selection\.countNumber 0 is invalid; ECR accepts positive integers only.*\n {2}- CountUnitNotAllowed: .*remove countUnit/);
  });
});

describe('typed API validation', () => {
  test('sinceImagePulled cannot expire', () => {
    expect(() => LifecycleRule.expire({ count: CountSelection.sinceImagePulled(Duration.days(30)) }))
      .toThrow(/CountTypeActionMismatch: .*transition to archive/);
  });
  test('archive expiry below 90 days', () => {
    expect(() => LifecycleRule.expireArchived(Duration.days(30))).toThrow(/ArchiveMinimumDuration: .*countNumber 30 days.*use at least 90/);
  });
  test('archive storage class with a push-age count', () => {
    expect(() => LifecycleRule.expire({ storageClass: LifecycleStorageClass.ARCHIVE, count: CountSelection.sinceImagePushed(Duration.days(3)) }))
      .toThrow(/StorageClassNotSupported/);
  });
  test('partial days are rejected', () => {
    expect(() => LifecycleRule.expireUntagged(Duration.hours(36))).toThrow(/InvalidCountNumber: .*1\.5/);
  });
  test('an any rule listed before another rule of its storage class', () => {
    expect(() => new LifecyclePolicy({
      rules: [LifecycleRule.expire({ count: CountSelection.imageCountMoreThan(3) }), LifecycleRule.expireUntagged(Duration.days(1))],
    })).toThrow(/AnyRuleNotLast: rules\[0\] \(rulePriority 1\).*list it last/);
  });
  test('explicit priority colliding with an assigned one', () => {
    expect(() => new LifecyclePolicy({
      rules: [LifecycleRule.expireUntagged(Duration.days(1)), LifecycleRule.keepNewest({ count: 3, rulePriority: 1 })],
    })).toThrow(/DuplicateRulePriority: rules\[0\] and rules\[1\] both have rulePriority 1/);
  });
  test('an empty policy', () => {
    expect(() => new LifecyclePolicy({ rules: [] })).toThrow(/NoRules/);
  });
  test('rules are exposed in priority order with typed fields', () => {
    const policy = LifecyclePolicy.fromJson(doc(rule(any1, { type: 'expire' }, 9), rule(untagged7, { type: 'expire' }, 2)));
    expect(policy.rules.map((r) => [r.rulePriority, r.tagStatus, r.storageClass, r.countType, r.countNumber, r.actionType])).toEqual([
      [2, LifecycleTagStatus.UNTAGGED, LifecycleStorageClass.STANDARD, LifecycleCountType.SINCE_IMAGE_PUSHED, 7, LifecycleActionType.EXPIRE],
      [9, LifecycleTagStatus.ANY, LifecycleStorageClass.STANDARD, LifecycleCountType.IMAGE_COUNT_MORE_THAN, 1, LifecycleActionType.EXPIRE],
    ]);
    // render keeps the document's order
    expect(JSON.parse(policy.render()).rules.map((r: any) => r.rulePriority)).toEqual([9, 2]);
  });

  test('deploy-time tokens are refused with a clear error, not rendered as placeholders', () => {
    expect(() => LifecycleRule.keepNewest({ count: Token.asNumber(Lazy.number({ produce: () => 3 })) }))
      .toThrow(/UnresolvedToken: .*use literal values/);
    expect(() => LifecycleRule.keepNewest({ count: 3, tagPatternList: [Lazy.string({ produce: () => 'v*' })] }))
      .toThrow(/UnresolvedToken/);
  });

  test('withPriority returns a copy', () => {
    const r = LifecycleRule.expireUntagged(Duration.days(2));
    expect(r.withPriority(7).rulePriority).toBe(7);
    expect(r.rulePriority).toBeUndefined();
  });
});
