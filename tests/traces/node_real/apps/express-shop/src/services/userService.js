'use strict';

class NotFoundError extends Error {
  constructor(what, id) {
    super(`${what} ${id} not found`);
    this.name = 'NotFoundError';
    this.status = 404;
  }
}

class UserService {
  constructor() {
    this.users = new Map([['1', { id: '1', name: 'Ada', profile: { bio: 'math' } }]]);
  }

  async all() {
    return [...this.users.values()];
  }

  async find(id) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const user = this.users.get(id);
    if (!user) {
      throw new NotFoundError('user', id);
    }
    return user;
  }

  findSync(id) {
    return this.users.get(id) || { id };
  }

  async rename(id, name) {
    const user = await this.find(id);
    user.name = name.trim();
    return user;
  }
}

module.exports = { UserService, NotFoundError };
