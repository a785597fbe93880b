/**
 * The status of an image in `aws ecr describe-images` output.
 */
export enum LifecycleImageStatus {
  /** Stored in the standard storage class; pullable. */
  ACTIVE = 'ACTIVE',
  /** Stored in the archive storage class; not pullable. */
  ARCHIVED = 'ARCHIVED',
  /** Being restored from archive; lifecycle rules of neither storage class act on it in the preview. */
  ACTIVATING = 'ACTIVATING',
}

/**
 * One image of a repository, as `aws ecr describe-images` reports it (`imageDetails[]`).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html
 */
export interface LifecycleImage {
  /** The image digest (`sha256:...`). */
  readonly imageDigest: string;

  /**
   * The image's tags.
   *
   * @default - untagged
   */
  readonly imageTags?: string[];

  /** When the image was pushed. */
  readonly imagePushedAt: Date;

  /**
   * When the image was last pulled (ECR refreshes it at least once every 24 hours).
   *
   * @default - never pulled: its push (or restore) time is used
   */
  readonly lastRecordedPullTime?: Date;

  /**
   * The image's status.
   *
   * @default LifecycleImageStatus.ACTIVE
   */
  readonly imageStatus?: LifecycleImageStatus;

  /**
   * When the image was last archived.
   *
   * @default - never archived
   */
  readonly lastArchivedAt?: Date;

  /**
   * When the image was last restored from archive.
   *
   * @default - never restored
   */
  readonly lastActivatedAt?: Date;

  /**
   * For a referrer (signature, SBOM, attestation): the digest of its subject image.
   *
   * @default - not a referrer
   */
  readonly subjectManifestDigest?: string;
}

/**
 * The action a preview result reports (`GetLifecyclePolicyPreview` spelling).
 */
export enum LifecyclePreviewActionType {
  /** The image would be deleted. */
  EXPIRE = 'EXPIRE',
  /** The image would be moved to another storage class. */
  TRANSITION = 'TRANSITION',
}

/**
 * Storage classes in `GetLifecyclePolicyPreview` spelling.
 */
export enum LifecyclePreviewStorageClass {
  /** Standard storage. */
  STANDARD = 'STANDARD',
  /** Archive storage. */
  ARCHIVE = 'ARCHIVE',
}

/**
 * The action applied to one image.
 */
export interface LifecyclePreviewAction {
  /** `EXPIRE` or `TRANSITION`. */
  readonly type: LifecyclePreviewActionType;

  /**
   * The storage class the image moves to (`TRANSITION` only).
   *
   * @default - none (`EXPIRE`)
   */
  readonly targetStorageClass?: LifecyclePreviewStorageClass;
}

/**
 * One image the policy acts on, shaped like ECR's `LifecyclePolicyPreviewResult`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_LifecyclePolicyPreviewResult.html
 */
export interface LifecyclePreviewResult {
  /** The image digest. */
  readonly imageDigest: string;
  /** The image's tags (empty when untagged). */
  readonly imageTags: string[];
  /** When the image was pushed. */
  readonly imagePushedAt: Date;
  /** What happens to the image. */
  readonly action: LifecyclePreviewAction;
  /** The priority of the rule that acts on the image (for a referrer: the rule that acts on its subject). */
  readonly appliedRulePriority: number;
  /** The image's storage class now. */
  readonly storageClass: LifecyclePreviewStorageClass;
}

/**
 * What one rule does in a preview.
 */
export interface LifecyclePreviewRuleSummary {
  /** The rule's priority. */
  readonly rulePriority: number;
  /** The rule's description, if any. @default - none */
  readonly description?: string;
  /** Images the rule expires (referrers included). */
  readonly expiringImageCount: number;
  /** Images the rule archives (referrers included). */
  readonly transitioningImageCount: number;
}

/**
 * Totals of a preview, like ECR's `LifecyclePolicyPreviewSummary`, plus a per-rule breakdown.
 */
export interface LifecyclePreviewSummary {
  /** Images that would be expired. */
  readonly expiringImageTotalCount: number;
  /** Images that would be archived. */
  readonly transitioningImageTotalCount: number;
  /** Images in the inventory. */
  readonly imageTotalCount: number;
  /** One entry per rule, in priority order. */
  readonly rules: LifecyclePreviewRuleSummary[];
}

/**
 * A rollback-safety or input warning raised by a preview.
 */
export interface LifecyclePreviewWarning {
  /** A stable PascalCase code (`NoImageLeft`, `NoPullableImageLeft`, `TagSelectionLeftEmpty`, `RecentlyPulledImageExpired`, `RecentlyPulledImageArchived`, `NoArchivedImagesInInventory`, `UnknownCountUnit`). */
  readonly code: string;
  /** What the policy would do and what to change. */
  readonly message: string;
}

/**
 * The result of `LifecyclePolicy.preview(images)`.
 */
export interface LifecyclePreview {
  /** The images the policy acts on, in inventory order (images no rule touches are not listed). */
  readonly previewResults: LifecyclePreviewResult[];
  /** Totals. */
  readonly summary: LifecyclePreviewSummary;
  /** Rollback-safety and input warnings. */
  readonly warnings: LifecyclePreviewWarning[];
}
