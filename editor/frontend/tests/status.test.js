// The canvas header's status words (src/status.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowStatus } from '../src/status.js';

test('a flow never published reads only Draft, even after edits', () => {
  const meta = { status: 'draft', published_revision: null, unpublished_changes: true };
  assert.deepEqual(flowStatus(meta), { label: 'Draft', unpublishedChanges: false });
  assert.equal(flowStatus({ status: 'draft', unpublished_changes: true }).unpublishedChanges, false);
});

test('a published flow whose working copy moved on has unpublished changes', () => {
  const meta = { status: 'published', published_revision: 2, unpublished_changes: true };
  assert.deepEqual(flowStatus(meta), { label: 'Published', unpublishedChanges: true });
});

test('a published flow in step with its working copy has none', () => {
  const meta = { status: 'published', published_revision: 2, unpublished_changes: false };
  assert.deepEqual(flowStatus(meta), { label: 'Published', unpublishedChanges: false });
});

test('a draft saved after a publish still has the published revision to differ from', () => {
  const meta = { status: 'draft', published_revision: 1, unpublished_changes: true };
  assert.deepEqual(flowStatus(meta), { label: 'Draft', unpublishedChanges: true });
});
