// A message from the server or the linter, whose names are written `like this` (so that
// `manage.py lint` and the API read well as text): on the canvas they show as code, without
// the backticks.
export default function Words({ text }) {
  const parts = String(text ?? '').split(/`([^`\n]+)`/);
  if (parts.length === 1) return text ?? null;
  return parts.map((part, i) => (i % 2 ? <code className="cv-code" key={i}>{part}</code> : part));
}
