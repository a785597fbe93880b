import { BASELINE, Kind, ROLE, STRING, arrayOf, enumOf, extend, required, struct, withExample } from './shape';
import { CreationTemplateAppliedFor } from '../registry/creation-template';

/*
 * Shapes of registry options used by more than one file (checked at run time for JavaScript
 * callers; see shape.ts). Enums are read lazily: the registry files import this one.
 */

function creationTemplateOptionsFields(): Record<string, Kind> {
  return {
    prefix: required(withExample(STRING, "'prod/'")),
    appliedFor: required(arrayOf(enumOf('CreationTemplateAppliedFor', () => CreationTemplateAppliedFor),
      '[CreationTemplateAppliedFor.CREATE_ON_PUSH]')),
    baseline: BASELINE,
    description: STRING,
  };
}

const TEMPLATE_EXAMPLE = "{ prefix: 'sandbox', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] }";

/** The shape of `CreationTemplateOptions`. */
export const CREATION_TEMPLATE_OPTIONS = struct('CreationTemplateOptions', creationTemplateOptionsFields, TEMPLATE_EXAMPLE);

/** The shape of `RepositoryCreationTemplateProps`. */
export const CREATION_TEMPLATE_PROPS = struct('RepositoryCreationTemplateProps',
  extend(creationTemplateOptionsFields, () => ({ role: ROLE })), TEMPLATE_EXAMPLE);
