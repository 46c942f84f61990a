module.exports = require('./skip-report').setup;
