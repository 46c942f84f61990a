module.exports = require('./skip-report').teardown;
