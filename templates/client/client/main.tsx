import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { loadRuntimeConfig } from './config.ts';
import { withErrorReporting } from './report.tsx';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no element with id "root"');
const root = createRoot(container);

// Config first: which API to call, and where errors go, are known only at run time, from the server
// that sent this page.
loadRuntimeConfig().then(
  async (config) => root.render(<StrictMode>{await withErrorReporting(config, <App config={config} />)}</StrictMode>),
  (error: unknown) => root.render(<p role="alert">This page could not load its configuration: {String(error)}</p>),
);
