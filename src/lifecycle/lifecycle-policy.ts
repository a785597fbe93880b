import { Duration } from 'aws-cdk-lib';
import { evaluate } from './evaluator';
import { LifecycleRule } from './lifecycle-rule';
import { LifecycleImage, LifecyclePreview, LifecycleImageStatus } from './preview';
import {
  MAX_POLICY_LENGTH, parsePolicyDocument, renderRule, RuleSpec, throwProblems, validatePolicy,
} from './rule-model';
import { ValidationProblem } from '../private/errors';
import {
  DURATION, LIFECYCLE_RULE, NUMBER, STRING, arrayOf, checkArgs, enumOf, objectWith, required, struct, withExample,
} from '../private/shape';

/** A `Date`. */
const DATE = objectWith('a Date', ['getTime'], "new Date('2026-01-01T00:00:00Z')");

/** The shape of one `LifecycleImage`, checked at run time for JavaScript callers. */
const LIFECYCLE_IMAGE = struct('LifecycleImage', () => ({
  imageDigest: required(withExample(STRING, "'sha256:...'")),
  imageTags: arrayOf(STRING),
  imagePushedAt: required(DATE),
  lastRecordedPullTime: DATE,
  imageStatus: enumOf('LifecycleImageStatus', () => LifecycleImageStatus),
  lastArchivedAt: DATE,
  lastActivatedAt: DATE,
  subjectManifestDigest: STRING,
}), "{ imageDigest: 'sha256:...', imagePushedAt: new Date() }");

/**
 * Options of `LifecyclePolicy.releaseRetention`.
 */
export interface ReleaseRetentionOptions {
  /**
   * Tag patterns of release images (anchored wildcards, up to four `*` each).
   *
   * @default ['v*']
   */
  readonly releaseTagPatterns?: string[];

  /**
   * How many of the newest release images to keep in standard storage, pullable for rollback
   * whether or not anyone pulls them; older releases are archived (restorable), never deleted.
   * The count covers every image with a release tag, pulled or not: an older release that
   * something still runs is archived too and cannot be pulled until restored, so choose more
   * than you may run or roll back to (`preview()` warns with `RecentlyPulledImageArchived`).
   *
   * @default 30
   */
  readonly keepReleases?: number;

  /**
   * Expire untagged images this long after push. Only for repositories without managed signing:
   * whether an untagged rule can select a signature on its own is not documented, and if it can,
   * it deletes the signature of a kept image (see `LifecycleRule.expireUntagged`).
   *
   * @default - untagged images are not expired
   */
  readonly expireUntaggedAfter?: Duration;

  /**
   * Archive the other tagged images (not releases) not pulled for this long.
   *
   * @default Duration.days(90)
   */
  readonly archiveNotPulledFor?: Duration;

  /**
   * Delete archived images this long after they were archived (at least 90 days).
   *
   * @default - archived images are kept (they can be restored)
   */
  readonly expireArchivedAfter?: Duration;
}

/**
 * Properties of a `LifecyclePolicy`.
 */
export interface LifecyclePolicyProps {
  /**
   * The rules, in the order they apply when their priorities are omitted.
   */
  readonly rules: LifecycleRule[];
}

/**
 * An Amazon ECR lifecycle policy: typed rules (expire, or transition to archive), checked against
 * every rule ECR enforces, rendered to the exact JSON ECR accepts, parsed back from any ECR
 * policy document, and previewed offline against an image inventory.
 *
 * Priorities: a rule without `rulePriority` gets the next integer after the highest priority of
 * the rules listed before it (1 for the first), so listing rules in order numbers them 1, 2, 3...
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 * @example
 * const policy = new LifecyclePolicy({
 *   rules: [
 *     LifecycleRule.keepNewest({ count: 30, tagPatternList: ['v*'] }),
 *     LifecycleRule.expireUntagged(Duration.days(7)),
 *     LifecycleRule.archiveNotPulled({ notPulledFor: Duration.days(90) }),
 *   ],
 * });
 * policy.render(); // {"rules":[{"rulePriority":1,...}]}
 */
export class LifecyclePolicy {
  /**
   * Parses and validates an ECR lifecycle policy document (`{"rules":[...]}`), as
   * `aws ecr get-lifecycle-policy` prints it in `lifecyclePolicyText`.
   *
   * @throws SecureRegistryError listing every problem (`PolicyNotJson`, `NoRules`, ...)
   */
  public static fromJson(json: string): LifecyclePolicy {
    checkArgs(undefined, [['json', json, required(withExample(STRING, '\'{"rules":[...]}\''))]]);
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      throwProblems([{ code: 'PolicyNotJson', message: `the lifecycle policy is not valid JSON (${(e as Error).message}); pass the lifecyclePolicyText document {"rules":[...]}` }]);
    }
    const problems: ValidationProblem[] = [];
    const specs = parsePolicyDocument(doc, problems);
    // Checked here, before the constructor assigns missing priorities: ECR requires them in JSON.
    if (problems.length === 0) problems.push(...validatePolicy(specs));
    throwProblems(problems);
    return new LifecyclePolicy({ rules: specs.map((s) => LifecycleRule._fromSpec(s)) });
  }

  /**
   * The library's default for every repository: keep the 100 newest tagged images
   * (`tagPatternList: ["*"]`), expire older tagged ones.
   *
   * ```json
   * {"rules":[
   *  {"rulePriority":1,"description":"Keep the newest 100 images tagged *","selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}}]}
   * ```
   *
   * Why it is safe with managed signing on, whichever way ECR treats referrers:
   * - Signatures, SBOMs and attestations are OCI referrers (untagged, with a
   *   `subjectManifestDigest`). ECR documents that lifecycle policies expire or archive reference
   *   artifacts within 24 hours of the deletion or archival of their subject (LifecyclePolicies.html,
   *   first evaluation rule), but not whether a rule that selects untagged images can also select
   *   a referrer on its own. So the default has no untagged rule: nothing in it can select a
   *   signature except through its subject. Add `LifecycleRule.expireUntagged` yourself to
   *   repositories that no signing rule covers.
   * - The count rule is `tagged` with `*`, not `tagStatus: any`: an `any` count rule ranks every
   *   untagged artifact too (reports such as aws/containers-roadmap#2613 show signatures counted
   *   in "keep N images"), so each signature or attestation pushed would push a real image out of
   *   the kept N. A tagged rule only ranks tagged images: the 100 newest tagged images are kept
   *   whatever the number of artifacts.
   * - Untagged children of a kept multi-arch index cannot be expired while the index references
   *   them (ECR evaluation rule).
   *
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  public static secureDefault(): LifecyclePolicy {
    return new LifecyclePolicy({ rules: [LifecycleRule.keepNewest({ count: 100 })] });
  }

  /**
   * Preset for release-based repositories (the flagship's policy). Nothing is deleted unless you
   * ask for it:
   *
   * 1. keep the newest `keepReleases` (30) release images (`v*`) in standard storage and archive
   *    older releases — the kept releases match this first rule, so no later rule can archive or
   *    expire them: they stay pullable for rollback even when nobody pulls them;
   * 2. archive every other tagged image not pulled for 90 days (`tagged`, `*`);
   * 3. optionally, expire untagged images `expireUntaggedAfter` after push (unsigned
   *    repositories only, see `expireUntaggedAfter`);
   * 4. optionally, expire images archived for more than `expireArchivedAfter` (>= 90 days).
   *
   * ```json
   * {"rules":[
   *  {"rulePriority":1,"description":"Keep the newest 30 images tagged v* in standard storage, archive older ones","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},
   *  {"rulePriority":2,"description":"Archive images not pulled for 90 days","selection":{"tagStatus":"tagged","tagPatternList":["*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":90},"action":{"type":"transition","targetStorageClass":"archive"}}]}
   * ```
   *
   * Without `expireUntaggedAfter`, no rule selects untagged images, so a signature follows its
   * subject whichever way ECR treats referrers (see `secureDefault()`).
   */
  public static releaseRetention(options: ReleaseRetentionOptions = {}): LifecyclePolicy {
    checkArgs(undefined, [['options', options, struct('ReleaseRetentionOptions', () => ({
      releaseTagPatterns: arrayOf(STRING, "['v*']"),
      keepReleases: NUMBER,
      expireUntaggedAfter: DURATION,
      archiveNotPulledFor: DURATION,
      expireArchivedAfter: DURATION,
    }))]]);
    const rules = [
      LifecycleRule.archiveBeyondNewest({ count: options.keepReleases ?? 30, tagPatternList: options.releaseTagPatterns ?? ['v*'] }),
      LifecycleRule.archiveNotPulled({ notPulledFor: options.archiveNotPulledFor ?? Duration.days(90), tagPatternList: ['*'] }),
    ];
    if (options.expireUntaggedAfter) {
      rules.push(LifecycleRule.expireUntagged(options.expireUntaggedAfter));
    }
    if (options.expireArchivedAfter) {
      rules.push(LifecycleRule.expireArchived(options.expireArchivedAfter));
    }
    return new LifecyclePolicy({ rules });
  }

  private static renderSpecs(specs: RuleSpec[]): string {
    return JSON.stringify({ rules: specs.map(renderRule) });
  }

  /** The rules with their priorities assigned, in priority order. */
  public readonly rules: LifecycleRule[];

  private readonly specs: RuleSpec[];

  /**
   * @throws SecureRegistryError listing every problem, each with a stable code
   */
  constructor(props: LifecyclePolicyProps) {
    checkArgs(undefined, [['props', props, required(struct('LifecyclePolicyProps', () => ({
      rules: required(arrayOf(LIFECYCLE_RULE)),
    }), '{ rules: [LifecycleRule.expireUntagged(Duration.days(7))] }'))]]);
    let next = 1;
    const specs: RuleSpec[] = props.rules.map((rule) => {
      const spec = rule._spec;
      if (spec.rulePriority === undefined) {
        return { ...spec, rulePriority: next++ };
      }
      if (typeof spec.rulePriority === 'number' && Number.isInteger(spec.rulePriority) && spec.rulePriority >= next) {
        next = spec.rulePriority + 1;
      }
      return spec;
    });
    const problems = validatePolicy(specs);
    if (problems.length === 0) {
      const length = LifecyclePolicy.renderSpecs(specs).length;
      if (length > MAX_POLICY_LENGTH) {
        problems.push({ code: 'PolicyTooLong', message: `the rendered policy is ${length} characters; ECR allows at most ${MAX_POLICY_LENGTH} (not adjustable): shorten descriptions or merge rules` });
      }
    }
    throwProblems(problems);
    this.specs = specs;
    this.rules = [...specs].sort((a, b) => a.rulePriority! - b.rulePriority!).map((s) => LifecycleRule._fromSpec(s));
  }

  /**
   * The JSON document ECR accepts as `LifecyclePolicyText` (minified, keys in ECR's order, rules
   * in the order given, absent keys omitted).
   */
  public render(): string {
    return LifecyclePolicy.renderSpecs(this.specs);
  }

  /**
   * Evaluates the policy against an image inventory as ECR documents it, offline.
   *
   * Results are shaped like `GetLifecyclePolicyPreview`; referrers take their subject's action.
   * Warnings flag rollback risks (no image left, a tag selection emptied, a recently pulled image
   * expired) and inventories without archived images when the policy has archive rules.
   *
   * @param images the images, e.g. from `aws ecr describe-images --filter imageStatus=ANY`
   * @param now the evaluation time
   * @default now - the current time
   */
  public preview(images: LifecycleImage[], now?: Date): LifecyclePreview {
    checkArgs(undefined, [['images', images, required(arrayOf(LIFECYCLE_IMAGE))], ['now', now, DATE]]);
    return evaluate(this.specs, images, now ?? new Date());
  }
}
