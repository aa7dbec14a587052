// Where a moved widget was, in compare mode: a dashed outline, behind the widgets.
import { memo } from 'react';

function OldPosition({ data }) {
  return (
    <div className="cmp-oldpos" style={{ width: data.width }} data-testid={`old-position-${data.name}`} title={`${data.name} was here`}>
      <span>{data.name} was here</span>
    </div>
  );
}

export default memo(OldPosition);
