import { Duration } from 'aws-cdk-lib';
import { RuleSpec, throwProblems, validateRule } from './rule-model';
import {
  COUNT_SELECTION, DURATION, NUMBER, STRING, arrayOf, checkArgs, enumOf, required, struct, withExample,
} from '../private/shape';

/**
 * Which images a lifecycle rule selects by their tags.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export enum LifecycleTagStatus {
  /** Images with at least one tag matching every entry of the rule's tag pattern or prefix list. */
  TAGGED = 'tagged',
  /** Images without any tag. */
  UNTAGGED = 'untagged',
  /** Every image. A rule with `ANY` must have the highest priority of its storage class. */
  ANY = 'any',
}

/**
 * The storage class of the images a rule looks at.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-image.html
 */
export enum LifecycleStorageClass {
  /** Active images (ECR's default for a rule). */
  STANDARD = 'standard',
  /** Archived images (only with `CountSelection.sinceImageTransitioned`). */
  ARCHIVE = 'archive',
}

/**
 * What a rule does to the images it marks.
 */
export enum LifecycleActionType {
  /** Delete the image. */
  EXPIRE = 'expire',
  /** Move the image to the archive storage class. */
  TRANSITION = 'transition',
}

/**
 * The count types of ECR lifecycle rules.
 */
export enum LifecycleCountType {
  /** Keep the newest N images of the selection; mark the rest. */
  IMAGE_COUNT_MORE_THAN = 'imageCountMoreThan',
  /** Mark images pushed more than N days ago. */
  SINCE_IMAGE_PUSHED = 'sinceImagePushed',
  /** Mark images not pulled for N days (transition only). */
  SINCE_IMAGE_PULLED = 'sinceImagePulled',
  /** Mark images archived more than N days ago (archive storage class, expire only, N >= 90). */
  SINCE_IMAGE_TRANSITIONED = 'sinceImageTransitioned',
}

/**
 * The count criterion of a lifecycle rule (`countType`, `countUnit`, `countNumber`).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 * @example
 * CountSelection.imageCountMoreThan(30);
 * CountSelection.sinceImagePulled(Duration.days(90));
 */
export class CountSelection {
  /** Keep the newest `count` images of the selection (ordered by push time); mark the older ones. */
  public static imageCountMoreThan(count: number): CountSelection {
    checkArgs(undefined, [['count', count, required(withExample(NUMBER, '30'))]]);
    return new CountSelection(LifecycleCountType.IMAGE_COUNT_MORE_THAN, count, undefined);
  }

  /** Mark images pushed (or restored from archive) more than `age` ago. Whole days only. */
  public static sinceImagePushed(age: Duration): CountSelection {
    checkArgs(undefined, [['age', age, required(DURATION)]]);
    return new CountSelection(LifecycleCountType.SINCE_IMAGE_PUSHED, CountSelection.days(age), 'days');
  }

  /** Mark images whose last pull (else push or restore) is more than `age` ago. Use with `LifecycleRule.transition`. */
  public static sinceImagePulled(age: Duration): CountSelection {
    checkArgs(undefined, [['age', age, required(DURATION)]]);
    return new CountSelection(LifecycleCountType.SINCE_IMAGE_PULLED, CountSelection.days(age), 'days');
  }

  /** Mark archived images archived more than `age` ago (at least 90 days). Use with `LifecycleRule.expire`. */
  public static sinceImageTransitioned(age: Duration): CountSelection {
    checkArgs(undefined, [['age', age, required(DURATION)]]);
    return new CountSelection(LifecycleCountType.SINCE_IMAGE_TRANSITIONED, CountSelection.days(age), 'days');
  }

  private static days(age: Duration): number {
    // Not rounded: a partial day is reported as InvalidCountNumber by the rule checks.
    return age.toDays({ integral: false });
  }

  /** The count type. */
  public readonly countType: LifecycleCountType;
  /** The count number (images, or days). */
  public readonly countNumber: number;
  /**
   * `days` for the `since*` count types.
   *
   * @default - none for `imageCountMoreThan`
   */
  public readonly countUnit?: string;

  private constructor(countType: LifecycleCountType, countNumber: number, countUnit?: string) {
    this.countType = countType;
    this.countNumber = countNumber;
    this.countUnit = countUnit;
  }
}

/**
 * Options shared by every lifecycle rule.
 */
export interface LifecycleRuleOptions {
  /**
   * The count criterion.
   */
  readonly count: CountSelection;

  /**
   * The order in which the rule applies (lowest first). Must be unique.
   *
   * @default - the next integer after the highest priority of the rules listed before it in the
   * policy (1 for the first rule)
   */
  readonly rulePriority?: number;

  /**
   * What the rule is for.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Which images the rule selects by tags.
   *
   * @default - `TAGGED` when a tag pattern or prefix list is given, otherwise `ANY`
   */
  readonly tagStatus?: LifecycleTagStatus;

  /**
   * Tag patterns with up to four `*` wildcards each, anchored at both ends (`v*` matches `v1` but
   * not `dev`). An image is selected when every pattern matches at least one of its tags.
   *
   * @default - no pattern list
   */
  readonly tagPatternList?: string[];

  /**
   * Tag prefixes. An image is selected when every prefix starts at least one of its tags.
   * Prefer `tagPatternList`.
   *
   * @default - no prefix list
   */
  readonly tagPrefixList?: string[];

  /**
   * The storage class of the images the rule looks at.
   *
   * @default - `ARCHIVE` for `CountSelection.sinceImageTransitioned`, otherwise standard
   * (omitted from the JSON, which ECR reads as standard)
   */
  readonly storageClass?: LifecycleStorageClass;
}

/**
 * Options of `LifecycleRule.keepNewest`.
 */
export interface KeepNewestOptions {
  /** How many of the newest matching images to keep. */
  readonly count: number;

  /**
   * Tag patterns of the images to keep (every pattern must match a tag of the image).
   *
   * @default ['*'] - every tagged image
   */
  readonly tagPatternList?: string[];

  /**
   * The rule's priority.
   *
   * @default - assigned by the policy
   */
  readonly rulePriority?: number;

  /**
   * What the rule is for.
   *
   * @default - `Keep the newest <count> images tagged <patterns>`
   */
  readonly description?: string;
}

/**
 * Options of `LifecycleRule.archiveNotPulled`.
 */
export interface ArchiveNotPulledOptions {
  /** Archive images whose last pull (else push) is more than this long ago. */
  readonly notPulledFor: Duration;

  /**
   * Restrict the rule to images with tags matching these patterns.
   *
   * @default - every image not claimed by a higher-priority rule (`tagStatus: any`)
   */
  readonly tagPatternList?: string[];

  /**
   * The rule's priority.
   *
   * @default - assigned by the policy
   */
  readonly rulePriority?: number;
}

/**
 * One rule of an ECR lifecycle policy: a selection (tags, storage class, count criterion) and an
 * action (`expire`, or `transition` to archive).
 *
 * Build rules with `LifecycleRule.expire(...)` / `LifecycleRule.transition(...)`, or use a preset.
 * Each factory checks the rule on its own and throws a `SecureRegistryError` listing every problem
 * with a stable code; `LifecyclePolicy` checks the rules together.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 * @example
 * LifecycleRule.expire({
 *   tagStatus: LifecycleTagStatus.UNTAGGED,
 *   count: CountSelection.sinceImagePushed(Duration.days(7)),
 * });
 */
export class LifecycleRule {
  /** A rule that deletes the images it marks. */
  public static expire(options: LifecycleRuleOptions): LifecycleRule {
    checkArgs(undefined, [['options', options, required(RULE_OPTIONS)]]);
    return LifecycleRule.build(options, LifecycleActionType.EXPIRE);
  }

  /** A rule that moves the images it marks to the archive storage class. */
  public static transition(options: LifecycleRuleOptions): LifecycleRule {
    checkArgs(undefined, [['options', options, required(RULE_OPTIONS)]]);
    return LifecycleRule.build(options, LifecycleActionType.TRANSITION);
  }

  /**
   * Preset: expire untagged images pushed more than `age` ago.
   *
   * JSON: `{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7}` + `{"type":"expire"}`.
   *
   * Not for repositories with managed signing: signatures, SBOMs and attestations are untagged
   * referrers. ECR documents that they are expired within 24 hours of their subject, but not
   * whether an untagged rule can also select one on its own; if it can, this rule deletes the
   * signature of an image you keep. The offline preview models referrers as following their
   * subject. No preset of the library contains this rule.
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  public static expireUntagged(age: Duration): LifecycleRule {
    checkArgs(undefined, [['age', age, required(DURATION)]]);
    return LifecycleRule.expire({
      description: `Expire untagged images ${CountSelection.sinceImagePushed(age).countNumber} days after push`,
      tagStatus: LifecycleTagStatus.UNTAGGED,
      count: CountSelection.sinceImagePushed(age),
    });
  }

  /**
   * Preset: keep the newest `count` images whose tags match the patterns; expire older ones.
   * The kept images also match this rule's tagging requirements, so no lower-priority rule can
   * expire or archive them: list it first to protect rollback images.
   *
   * JSON: `{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":30}` + `{"type":"expire"}`.
   */
  public static keepNewest(options: KeepNewestOptions): LifecycleRule {
    checkArgs(undefined, [['options', options, required(KEEP_NEWEST_OPTIONS)]]);
    const patterns = options.tagPatternList ?? ['*'];
    return LifecycleRule.expire({
      rulePriority: options.rulePriority,
      description: options.description ?? `Keep the newest ${options.count} images tagged ${patterns.join(' and ')}`,
      tagStatus: LifecycleTagStatus.TAGGED,
      tagPatternList: patterns,
      count: CountSelection.imageCountMoreThan(options.count),
    });
  }

  /**
   * Preset: keep the newest `count` images whose tags match the patterns in standard storage and
   * archive older ones (they can be restored; nothing is deleted). The kept images match this
   * rule's tagging requirements, so no lower-priority rule can expire or archive them.
   *
   * JSON: `{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":30}` +
   * `{"type":"transition","targetStorageClass":"archive"}`.
   */
  public static archiveBeyondNewest(options: KeepNewestOptions): LifecycleRule {
    checkArgs(undefined, [['options', options, required(KEEP_NEWEST_OPTIONS)]]);
    const patterns = options.tagPatternList ?? ['*'];
    return LifecycleRule.transition({
      rulePriority: options.rulePriority,
      description: options.description ??
        `Keep the newest ${options.count} images tagged ${patterns.join(' and ')} in standard storage, archive older ones`,
      tagStatus: LifecycleTagStatus.TAGGED,
      tagPatternList: patterns,
      count: CountSelection.imageCountMoreThan(options.count),
    });
  }

  /**
   * Preset: archive images not pulled for `notPulledFor` (never-pulled images count from their push).
   *
   * JSON: `{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90}` +
   * `{"type":"transition","targetStorageClass":"archive"}`.
   */
  public static archiveNotPulled(options: ArchiveNotPulledOptions): LifecycleRule {
    checkArgs(undefined, [['options', options, required(struct('ArchiveNotPulledOptions', () => ({
      notPulledFor: required(DURATION),
      tagPatternList: arrayOf(STRING, "['*']"),
      rulePriority: NUMBER,
    }), '{ notPulledFor: Duration.days(90) }'))]]);
    const count = CountSelection.sinceImagePulled(options.notPulledFor);
    return LifecycleRule.transition({
      rulePriority: options.rulePriority,
      description: `Archive images not pulled for ${count.countNumber} days`,
      tagStatus: options.tagPatternList ? LifecycleTagStatus.TAGGED : LifecycleTagStatus.ANY,
      tagPatternList: options.tagPatternList,
      count,
    });
  }

  /**
   * Preset: delete archived images archived more than `age` ago (at least 90 days).
   *
   * JSON: `{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365}` + `{"type":"expire"}`.
   */
  public static expireArchived(age: Duration): LifecycleRule {
    checkArgs(undefined, [['age', age, required(DURATION)]]);
    const count = CountSelection.sinceImageTransitioned(age);
    return LifecycleRule.expire({
      description: `Expire images archived for more than ${count.countNumber} days`,
      tagStatus: LifecycleTagStatus.ANY,
      count,
    });
  }

  /** @internal */
  public static _fromSpec(spec: RuleSpec): LifecycleRule {
    return new LifecycleRule(spec);
  }

  private static build(options: LifecycleRuleOptions, action: LifecycleActionType): LifecycleRule {
    const hasList = options.tagPatternList !== undefined || options.tagPrefixList !== undefined;
    const count = options.count;
    const storageClass = options.storageClass ??
      (count.countType === LifecycleCountType.SINCE_IMAGE_TRANSITIONED ? LifecycleStorageClass.ARCHIVE : undefined);
    const spec: RuleSpec = {
      rulePriority: options.rulePriority,
      description: options.description,
      tagStatus: options.tagStatus ?? (hasList ? LifecycleTagStatus.TAGGED : LifecycleTagStatus.ANY),
      tagPatternList: options.tagPatternList ? [...options.tagPatternList] : undefined,
      tagPrefixList: options.tagPrefixList ? [...options.tagPrefixList] : undefined,
      storageClass,
      countType: count.countType,
      countUnit: count.countUnit,
      countNumber: count.countNumber,
      actionType: action,
      targetStorageClass: action === LifecycleActionType.TRANSITION ? 'archive' : undefined,
    };
    throwProblems(validateRule(spec, 0));
    return new LifecycleRule(spec);
  }

  /**
   * The rule's priority, if it was given.
   *
   * @default - assigned by the `LifecyclePolicy` that holds the rule
   */
  public readonly rulePriority?: number;
  /**
   * The rule's description.
   *
   * @default - none
   */
  public readonly description?: string;
  /** Which images the rule selects by tags. */
  public readonly tagStatus: LifecycleTagStatus;
  /**
   * Tag patterns, if any.
   *
   * @default - none (untagged, any, or a prefix list)
   */
  public readonly tagPatternList?: string[];
  /**
   * Tag prefixes, if any.
   *
   * @default - none (untagged, any, or a pattern list)
   */
  public readonly tagPrefixList?: string[];
  /** The storage class the rule looks at. */
  public readonly storageClass: LifecycleStorageClass;
  /** The count type. */
  public readonly countType: LifecycleCountType;
  /** The count number. */
  public readonly countNumber: number;
  /** The action type. */
  public readonly actionType: LifecycleActionType;

  /** @internal */
  public readonly _spec: RuleSpec;

  private constructor(spec: RuleSpec) {
    this._spec = spec;
    this.rulePriority = spec.rulePriority;
    this.description = spec.description;
    // Specs are validated before a rule is built, so the strings are enum values.
    this.tagStatus = spec.tagStatus as LifecycleTagStatus;
    this.tagPatternList = spec.tagPatternList;
    this.tagPrefixList = spec.tagPrefixList;
    this.storageClass = (spec.storageClass ?? LifecycleStorageClass.STANDARD) as LifecycleStorageClass;
    this.countType = spec.countType as LifecycleCountType;
    this.countNumber = spec.countNumber;
    this.actionType = spec.actionType as LifecycleActionType;
  }

  /** A copy of this rule with the given priority. */
  public withPriority(rulePriority: number): LifecycleRule {
    checkArgs(undefined, [['rulePriority', rulePriority, required(withExample(NUMBER, '1'))]]);
    const spec = { ...this._spec, rulePriority };
    throwProblems(validateRule(spec, 0));
    return new LifecycleRule(spec);
  }
}


/** The shape of `LifecycleRuleOptions`, checked at run time for JavaScript callers. */
const RULE_OPTIONS = struct('LifecycleRuleOptions', () => ({
  count: required(COUNT_SELECTION),
  rulePriority: NUMBER,
  description: STRING,
  tagStatus: enumOf('LifecycleTagStatus', () => LifecycleTagStatus),
  tagPatternList: arrayOf(STRING, "['v*']"),
  tagPrefixList: arrayOf(STRING, "['v']"),
  storageClass: enumOf('LifecycleStorageClass', () => LifecycleStorageClass),
}), '{ count: CountSelection.imageCountMoreThan(30) }');

/** The shape of `KeepNewestOptions`. */
const KEEP_NEWEST_OPTIONS = struct('KeepNewestOptions', () => ({
  count: required(withExample(NUMBER, '30')),
  tagPatternList: arrayOf(STRING, "['v*']"),
  rulePriority: NUMBER,
  description: STRING,
}), '{ count: 30 }');
