// A text change by word: deleted words struck through in red, inserted ones in green.
export default function WordDiff({ words, testid }) {
  return (
    <div className="cmp-words" data-testid={testid}>
      {words.map((w, i) =>
        w.op === 'equal' ? (
          <span key={i}>{w.text}</span>
        ) : w.op === 'insert' ? (
          <ins key={i} className="cmp-ins">
            {w.text}
          </ins>
        ) : (
          <del key={i} className="cmp-del">
            {w.text}
          </del>
        ),
      )}
    </div>
  );
}
