// The reply box of a Send & Wait For Reply wait (run.reply): text and an optional media URL,
// Enter to send. Shown whatever started the run: a call's flow may text the caller and wait.
import { useEffect, useRef, useState } from 'react';
import { focusIfLost, lengthProblem } from '../../live/inputs.js';

export default function ReplyBox({ onReply, disabled }) {
  const [body, setBody] = useState('');
  const [mediaUrl, setMediaUrl] = useState('');
  const [withMedia, setWithMedia] = useState(false);
  const [blankSent, setBlankSent] = useState(false); // Enter on an empty box: say what it needs
  const problem = lengthProblem(body);
  const input = useRef(null);
  // Start (or the run's last answer) removed the button that had the focus, which then
  // fell to the page itself: a keyboard user goes on typing here, not from the page's top.
  useEffect(() => {
    focusIfLost(input.current, disabled);
  }, [disabled]);
  function submit(e) {
    e.preventDefault();
    if ((!body.trim() && !mediaUrl.trim()) || problem) return;
    if (onReply(body, mediaUrl.trim())) {
      setBody('');
      setMediaUrl('');
    }
  }
  return (
    <form className="tp-reply" onSubmit={submit} aria-label="Reply">
      <div className="tp-reply-row">
        <input
          ref={input}
          aria-label="Reply message"
          placeholder="Type a reply…"
          value={body}
          onChange={(e) => {
            setBody(e.target.value);
            setBlankSent(false);
          }}
          // The form does not submit while Send is off (an HTML rule), so Enter is caught here.
          onKeyDown={(e) => e.key === 'Enter' && !body.trim() && !mediaUrl.trim() && setBlankSent(true)}
          disabled={disabled}
          aria-invalid={Boolean(problem)}
          aria-describedby={problem ? 'tp-reply-error' : undefined}
          data-testid="reply-body"
        />
        <button type="submit" className="cv-button cv-button-primary" disabled={disabled || Boolean(problem) || (!body.trim() && !mediaUrl.trim())} data-testid="reply-send">
          Send
        </button>
      </div>
      {problem ? (
        <p className="cv-field-error" id="tp-reply-error" data-testid="reply-error">
          {problem}
        </p>
      ) : null}
      {blankSent && !body.trim() && !mediaUrl.trim() ? (
        <p className="cv-help" role="status" data-testid="reply-blank">
          Type a reply, or attach a media URL, to send it.
        </p>
      ) : null}
      {withMedia ? (
        <input type="url" aria-label="Reply media URL" placeholder="Media URL https://…" value={mediaUrl} onChange={(e) => setMediaUrl(e.target.value)} disabled={disabled} data-testid="reply-media" />
      ) : (
        <button type="button" className="cv-link cv-small" onClick={() => setWithMedia(true)} data-testid="reply-add-media">
          Attach media URL
        </button>
      )}
    </form>
  );
}
