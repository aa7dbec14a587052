// The inspector's widget name: saved on blur or Enter. A name that cannot be (taken by
// another widget, malformed) is said under the field, naming the widget and the fix, and
// nothing is sent; Escape puts the saved name back.
import { useState } from 'react';
import { useDraft } from '../drafts.js';
import { nameProblem } from '../catalogue.js';

export default function NameField({ name, states, onRename, onInput }) {
  const [draft, setDraft] = useDraft(name, String, onRename);
  const [problem, setProblem] = useState(null);

  function commit() {
    const wanted = draft.trim();
    if (!wanted) {
      setDraft(name);
      return setProblem(null);
    }
    const why = nameProblem(wanted, name, states);
    setProblem(why);
    if (!why && wanted !== name) onRename(name, wanted);
  }

  function keyDown(e) {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') {
      e.preventDefault();
      setDraft(name);
      setProblem(null);
    }
  }

  return (
    <>
      <input
        id="widget-name"
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setProblem(null);
          if (onInput) onInput();
        }}
        onBlur={commit}
        onKeyDown={keyDown}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'widget-name-problem' : undefined}
        data-testid="widget-name"
      />
      {problem ? (
        <p className="cv-field-error" id="widget-name-problem" role="alert" data-testid="widget-name-problem">
          {problem}
        </p>
      ) : null}
    </>
  );
}
