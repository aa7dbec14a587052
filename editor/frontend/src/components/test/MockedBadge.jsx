// The "Mocked" badge of a step that the flow's mock answered (live/transcript.js mockedBadge).
import { mockedBadge } from '../../live/transcript.js';

export default function MockedBadge({ entry }) {
  const badge = mockedBadge(entry);
  if (!badge) return null;
  return (
    <span className="cv-chip tp-mocked tp-step-mocked" title={badge.title} data-testid="step-mocked">
      {badge.label}
    </span>
  );
}
