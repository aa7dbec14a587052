// One small icon per palette group (the only per-group rendering choice in the canvas).
const PATHS = {
  trigger: 'M8 5v14l11-7z',
  flow_control: 'M6 3v6a4 4 0 0 0 4 4h4a4 4 0 0 1 4 4v4M6 21v-8M18 3v4',
  messaging: 'M4 5h16v11H9l-5 4z',
  voice: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
  tools: 'M9 7l-5 5 5 5M15 7l5 5-5 5',
  other_products: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  legacy: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2',
};

export default function Icon({ group, type }) {
  const d = type === 'trigger' ? PATHS.trigger : PATHS[group] || PATHS.legacy;
  return (
    <svg className={`icon icon-${type === 'trigger' ? 'trigger' : group}`} viewBox="0 0 24 24" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}
