// What the canvas header says of the flow's status and of saving (src/components/Header.jsx).
import { plural } from './text.js';

const SAVE_LABELS = { saved: 'Saved', saving: 'Saving…', error: 'Error', closed: 'Disconnected', readonly: '' };

/**
 * The words beside the save dot for the save status of src/doc/store.js's saveStatusOf.
 * Read only after a change of access says nothing here: the "Read only" chip and the banner
 * (src/components/Banners.jsx) say it.
 */
export function saveLabel(save) {
  if (save.state !== 'offline') return SAVE_LABELS[save.state];
  return save.pending ? `Offline — ${plural(save.pending, 'change')} queued` : 'Offline';
}

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
