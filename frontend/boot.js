// Starts the SPA. A file, not an inline script: the Content-Security-Policy runs only
// Dudao's own script files. `cargo xtask web` fills in the content-hashed names.
import init from '/__JS__';
init({ module_or_path: '/__WASM__' }).then(() => document.getElementById('boot')?.remove());
