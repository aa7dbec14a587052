// Mounts the canvas on #flow-canvas: data-flow-sid, data-document-url, data-catalogue-url,
// data-can-edit, data-export-url and data-test-addresses come from the Django template.
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './canvas.css';
import './test-panel.css';
import './debugger.css';
import App from './components/App.jsx';
import { getJson } from './api.js';
import { indexCatalogue } from './catalogue.js';
import { setTestAddresses } from './components/test/TriggerForm.jsx';

function parsed(text) {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}

async function mount(element) {
  const config = {
    flowSid: element.dataset.flowSid,
    documentUrl: element.dataset.documentUrl,
    catalogueUrl: element.dataset.catalogueUrl,
    exportUrl: element.dataset.exportUrl,
    canEdit: element.dataset.canEdit === 'true',
  };
  setTestAddresses(parsed(element.dataset.testAddresses));
  // Both requests at once; the document is handed to the editor as its first load.
  config.firstDocument = getJson(config.documentUrl);
  config.firstDocument.catch(() => {});
  const catalogue = indexCatalogue(await getJson(config.catalogueUrl));
  element.classList.add('is-mounted');
  createRoot(element).render(<App config={config} catalogue={catalogue} />);
}

const element = document.getElementById('flow-canvas');
if (element) mount(element);
