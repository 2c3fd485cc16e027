'use strict';
const { Router } = require('express');
const users = require('../controllers/usersController');

const router = Router();

router.get('/', users.list);
router.get('/:id', users.show);
router
  .route('/:id/profile')
  .get(users.profile)
  .post(users.updateProfile);

module.exports = router;
