import type { ContentInput, TemplateInput, WebsiteInput } from './inputs.js';

// The gateway's inputs as viewneo's JSON (snake_case, 0/1 flags, 0 for the top-level folder): the mirror of parse.ts.

/** The JSON body that creates a Website media file (the documented JSON form of `POST /mediafile`). */
export function websiteBody({ name, url, parentDirectoryId, headers }: WebsiteInput) {
  return {
    name,
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    url,
    // Website.header is a JSON object stored as a string.
    ...(headers ? { header: JSON.stringify(headers) } : {}),
  };
}

/** The `template` object of `POST /template`, with its elements. */
export function templateBody(t: TemplateInput) {
  return {
    name: t.name,
    text_direction: t.textDirection === 'RTL' ? 1 : 0,
    external_data_url: t.externalDataUrl,
    background_color: t.backgroundColor,
    width: t.width,
    height: t.height,
    width_unit: t.widthUnit,
    height_unit: t.heightUnit,
    default_duration: t.defaultDuration,
    template_elements: t.elements.map((e) => ({
      name: e.name,
      drawable_type: e.drawableType,
      x: e.x,
      y: e.y,
      width: e.width,
      height: e.height,
      angle: e.angle,
      z_index: e.zIndex,
      is_inactive: e.inactive ? 1 : 0,
      drawable: e.drawableType === 'TextElement' ? { text: e.text ?? '' } : { id: e.mediaFileId },
    })),
  };
}

// Assumed shape: the docs show `{"media_file_id_as_parent_directory":0,"template":{…}}`, with the
// template's text elements carrying the texts that replace their placeholders.
/** The JSON body that makes content from a template. */
export function contentBody({ templateId, parentDirectoryId, name, texts }: ContentInput) {
  return {
    media_file_id_as_parent_directory: parentDirectoryId ?? 0,
    ...(name ? { name } : {}),
    template: {
      id: templateId,
      template_elements: texts.map(({ element, text }) => ({ name: element, drawable: { text } })),
    },
  };
}
