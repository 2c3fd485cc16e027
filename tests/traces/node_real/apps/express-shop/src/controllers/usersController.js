'use strict';
const { UserService } = require('../services/userService');

const service = new UserService();

exports.list = async (req, res) => {
  res.json(await service.all());
};

exports.show = async function show(req, res) {
  const user = await service.find(req.params.id);
  res.json(user);
};

exports.profile = function profile(req, res) {
  const user = service.findSync(req.params.id);
  res.json({ bio: user.profile.bio });
};

exports.updateProfile = async function updateProfile(req, res, next) {
  try {
    const updated = await service.rename(req.params.id, req.body.name);
    res.json(updated);
  } catch (err) {
    next(err);
  }
};
