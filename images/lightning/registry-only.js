'use strict';
// registry-only.js APP_DIR: makes Lightning 1.3.0's source installable from a package registry alone.
// Five default visualizations depend on GitHub repositories by branch (no version, no checksum), which neither a
// registry nor an air-gapped site can serve, and a listed visualization that is missing stops the server at its
// first start; so they leave both the dependencies and the default list. The build tools (devDependencies) go
// too: the release commit carries the built browser bundles. Fails, naming the entry, if the source differs.
// Node 8 runs this (the build image), so no syntax newer than ES2017.
var fs = require('fs');
var path = require('path');

var GITHUB_ONLY = [
  'lightning-circle', // underscore.nest from mathisonian/underscore.nest
  'lightning-image-poly', // graham_scan from mathisonian/graham_scan_js, through leaflet.freedraw-browserify
  'lightning-scatter-3', // three.js from lightning-viz/three.js
  'lightning-vega-lite', // vega-lite from mathisonian/vega-lite
  'lightning-volume', // three.js from lightning-viz/three.js
];

function fail(message) {
  process.stderr.write('stars lightning image: ' + message + '\n');
  process.exit(1);
}

var app = process.argv[2];
if (!app) fail('usage: registry-only.js APP_DIR');

var packageFile = path.join(app, 'package.json');
var pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
GITHUB_ONLY.forEach(function (name) {
  if (!pkg.dependencies[name]) fail('package.json has no dependency ' + name);
  delete pkg.dependencies[name];
});
delete pkg.devDependencies;
fs.writeFileSync(packageFile, JSON.stringify(pkg, null, 2) + '\n');

var configFile = path.join(app, 'config', 'config.js');
var lines = fs.readFileSync(configFile, 'utf8').split('\n');
GITHUB_ONLY.forEach(function (name) {
  var entry = lines.findIndex(function (line) {
    return /^\s*'([a-z0-9-]+)',?\s*$/.test(line) && line.trim().replace(/,$/, '') === "'" + name + "'";
  });
  if (entry < 0) fail('config/config.js does not list ' + name + ' among the default visualizations');
  lines.splice(entry, 1);
});
fs.writeFileSync(configFile, lines.join('\n'));
process.stdout.write(
  'stars lightning image: left out ' + GITHUB_ONLY.join(', ') + ' (GitHub-only dependencies)\n',
);
