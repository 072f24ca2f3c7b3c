import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { AppProvider, createServices } from './app-context';
import './styles.css';
import './comments/comments.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider value={createServices()}>
      <App />
    </AppProvider>
  </StrictMode>,
);

// Offline app shell (see public/sw.js); not in development, where Vite serves modules.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
