import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installDebugHook } from './app/debugHook';
import { messageOf, wireNotices } from './app/wiring';
import { startGpu } from './jobs/gpuHost';
import { deferDecisionsUntil } from './jobs/modelBackends';
import { restoreBackendOverrides } from './state/modelBackendStore';
import { reportNotice } from './state/appStore';
import { flushWorkOnHide } from './state/persist';
import './app/app.css';

wireNotices();
installDebugHook();
flushWorkOnHide();
void startGpu();
deferDecisionsUntil(restoreBackendOverrides());

const root = document.getElementById('root');
if (!root) throw new Error('main: #root element missing from index.html');
createRoot(root, {
  onUncaughtError: (error) => reportNotice('error', 'The page crashed', messageOf(error)),
}).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
