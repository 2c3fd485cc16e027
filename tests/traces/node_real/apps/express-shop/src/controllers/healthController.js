'use strict';

function health(req, res) {
  res.json({ ok: true });
}

module.exports = { health };
