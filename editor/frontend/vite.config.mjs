// Builds the canvas into ../../static/editor/canvas.js and canvas.css with fixed names (no
// hashes, one file each), so the Django template can reference them and CI can check that the
// committed bundle matches its source.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  plugins: [react()],
  base: '/static/editor/',
  logLevel: 'warn',
  build: {
    outDir: here + '../../static/editor',
    emptyOutDir: false,
    sourcemap: false,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 1024, // one file on purpose: React + React Flow + dagre + the app
    rolldownOptions: {
      input: here + 'src/main.jsx',
      output: {
        entryFileNames: 'canvas.js',
        assetFileNames: 'canvas[extname]',
        codeSplitting: false,
      },
    },
  },
});
