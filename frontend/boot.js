// Starts the SPA. A file, not an inline script: the Content-Security-Policy runs only
// Dudao's own script files.
import init from '/dudao.js?v=__HASH__';
init({ module_or_path: '/dudao_bg.wasm?v=__HASH__' }).then(() => document.getElementById('boot')?.remove());
