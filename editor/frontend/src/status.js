// What the canvas header says of the flow's status (src/components/Header.jsx).

/**
 * The status badge and whether to add "Unpublished changes", from the document's meta
 * (editor/api/editor.py's document_json, kept current by src/doc/). A flow never published
 * is a draft and nothing else: "Unpublished changes" says a published flow's working copy
 * has moved on from what live traffic runs.
 */
export function flowStatus(meta) {
  const published = meta.published_revision !== null && meta.published_revision !== undefined;
  return {
    label: meta.status === 'published' ? 'Published' : 'Draft',
    unpublishedChanges: published && Boolean(meta.unpublished_changes),
  };
}
