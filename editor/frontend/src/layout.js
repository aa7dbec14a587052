// Tidy-up: a top-to-bottom layered layout (tidy.js), returned as one move_widgets op.
import { tidyOffsets } from './tidy.js';
import { nodeWidth } from './components/WidgetNode.jsx';

export function tidyOps(states) {
  return [{ op: 'move_widgets', offsets: tidyOffsets(states, nodeWidth) }];
}
