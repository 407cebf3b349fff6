import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { loadConfig, publicConfig, type Config } from './src/config.ts';

/**
 * In development, Vite serves the pages and this plugin serves /config.json as the production server
 * does: from the environment, through the same validation, public variables only.
 */
function runtimeConfig(config: Config): Plugin {
  const body = JSON.stringify(publicConfig(config));
  return {
    name: 'runtime-config',
    configureServer(server) {
      server.middlewares.use('/config.json', (_request, response) => {
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.setHeader('cache-control', 'no-store');
        response.end(body);
      });
    },
  };
}

export default defineConfig(({ command }) => {
  // The build reads no config at all: nothing about a deploy may end up in the bundle.
  const config = command === 'serve' ? loadConfig() : undefined;
  return {
    root: 'client',
    plugins: [react(), ...(config ? [runtimeConfig(config)] : [])],
    server: config ? { host: config.HOST, port: config.PORT, strictPort: true } : {},
    build: { outDir: '../dist/public', emptyOutDir: true },
  };
});
