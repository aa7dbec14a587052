/**
 * An edit refused (here, or by the server): said until dismissed or until a later edit is
 * confirmed (doc/sync.js); nothing else is held up. A socket closed for good, or the user
 * made a viewer (doc/access.js), is said for as long as the page is open.
 */
export function ErrorBanner({ save, onDismiss }) {
  if (save.state !== 'error' && save.state !== 'closed' && save.state !== 'readonly') return null;
  const tone = save.state === 'readonly' ? 'info' : 'warn';
  return (
    <div className={`cv-banner cv-banner-${tone}`} role="alert" data-testid="error-banner" data-state={save.state}>
      <span>{save.message}</span>
      {save.state === 'error' ? (
        <button type="button" className="cv-button" onClick={onDismiss} data-testid="error-retry">
          OK
        </button>
      ) : null}
    </div>
  );
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

// The live region is always on the page and only its content changes: a screen reader
// announces a change inside a region it already knows, not a region inserted with its text.
export function Notice({ notice, onClose }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" data-testid="notice-region">
      {notice ? (
        <div className={`cv-toast cv-toast-${notice.kind || 'info'}`} data-testid="notice" data-kind={notice.kind || 'info'}>
          <span data-testid="notice-text">{notice.text}</span>
          <button type="button" className="cv-icon-button" onClick={onClose} title="Close" aria-label="Close the notice">
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
