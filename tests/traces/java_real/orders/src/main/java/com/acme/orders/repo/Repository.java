package com.acme.orders.repo;

import java.util.Optional;

/** Generic storage of entities by id. */
public interface Repository<T, ID> {
    Optional<T> find(ID id);

    T save(T entity);
}
