// The others on the flow, in the header: initials in their colour, name and role on hover.
import { initials, membersOf } from '../doc/presence.js';

export default function Avatars({ others, me }) {
  const members = membersOf(others);
  if (!members.length) return null;
  return (
    <div className="cv-avatars" data-testid="presence-avatars" aria-label="Also on this flow">
      {members.map((m) => {
        const self = me && m.user.id === me.user.id;
        const title = `${m.user.name}${self ? ' (you, in another tab)' : ''} · ${m.role}`;
        return (
          <span
            key={m.user.id}
            className="cv-avatar"
            style={{ background: m.user.colour }}
            title={title}
            aria-label={title}
            data-testid={`avatar-${m.user.name}`}
          >
            {initials(m.user.name)}
          </span>
        );
      })}
    </div>
  );
}
