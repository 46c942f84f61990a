// Puppeteer (under the Mermaid renderer) must not download a browser: the plan renders with the system's
// Chromium (Debian's chromium package), and npm ci works offline from the registry alone.
module.exports = { skipDownload: true };
