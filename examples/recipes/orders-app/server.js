// Answers every request with 200: enough for a health check.
require('http').createServer((_req, res) => res.end('ok\n')).listen(8080);
