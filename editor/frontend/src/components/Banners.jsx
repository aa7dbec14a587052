import { agree, plural } from '../text.js';

export function ConflictBanner({ save, onReapply, onDiscard, onRetry }) {
  if (save.state === 'conflict') {
    return (
      <div className="cv-banner cv-banner-danger" role="alert" data-testid="conflict-banner">
        <strong>Someone else changed this flow.</strong> <span data-testid="conflict-message">{save.message}</span>{' '}
        <span data-testid="conflict-kept">
          Your {plural(save.pending, 'unsaved change')} {agree(save.pending, 'is', 'are')} kept here.
        </span>
        <button type="button" className="cv-button" onClick={onReapply} data-testid="conflict-reapply">
          Reload and reapply my changes
        </button>
        <button type="button" className="cv-button" onClick={onDiscard} data-testid="conflict-discard">
          Discard my changes
        </button>
      </div>
    );
  }
  if (save.state === 'error') {
    return (
      <div className="cv-banner cv-banner-warn" role="alert" data-testid="error-banner">
        <span>{save.message}</span>
        <button type="button" className="cv-button" onClick={onRetry} data-testid="error-retry">
          {save.pending ? 'Retry' : 'OK'}
        </button>
      </div>
    );
  }
  return null;
}

export function RevisionBanner({ viewing, onBack, onRestore, canEdit }) {
  if (!viewing) return null;
  return (
    <div className="cv-banner cv-banner-info" data-testid="revision-banner">
      <strong>Viewing revision {viewing.revision} — read only.</strong>
      {canEdit ? (
        <button type="button" className="cv-button" onClick={() => onRestore(viewing.revision)} data-testid="revision-restore">
          Restore as new draft
        </button>
      ) : null}
      <button type="button" className="cv-button" onClick={onBack} data-testid="revision-back">
        Back to the draft
      </button>
    </div>
  );
}

export function Notice({ notice, onClose }) {
  if (!notice) return null;
  return (
    <div className={`cv-toast cv-toast-${notice.kind || 'info'}`} role="status" data-testid="notice">
      {notice.text}
      <button type="button" className="cv-icon-button" onClick={onClose} title="Close">×</button>
    </div>
  );
}
