"""What a stop is, read from its source: docstrings and leading comments per language."""

from __future__ import annotations

import pytest

from codemap.index.extract import extract_symbols
from codemap.tour.describe import describe, summary

PY = b'''#!/usr/bin/env python
"""Orders: the heart of the shop.

Everything about an order lives here.
"""

import os


# -- helpers -------------------------------------------------------------


@decorate(
    option=1,
)
def price(order,
          tax):
    """The price of one order.

    Taxes included.
    """
    return 1


class Cart:
    "A cart." " Holds orders."

    def add(self, item):
        # not a docstring: a comment in the body
        return item


# Computes the shipping fee
# for one cart.
def shipping(cart):
    return 2
'''

JS = b'''/*
 * Copyright 2024 Example Corp. Licensed under the MIT License.
 */
"use strict";
// The checkout flow: carts become orders.

/**
 * Turn a cart into an order.
 * @param {Cart} cart the cart
 * @returns {Order}
 */
export function checkout(cart) {
  return cart;
}

// Cancel an order.
const cancel = (order) => order;
'''

GO = b'''// Package shop sells things.
package shop

// Order is one purchase.
type Order struct {
	ID int
}

// Total adds up the order.
// It never fails.
func (o *Order) Total() int { return 0 }
'''

JAVA = b'''package com.acme;

/** A store of orders. */
public class Store {
    /**
     * Find one order.
     * @param id its id
     */
    public Order find(int id) { return null; }
}
'''


def docs(path: str, data: bytes) -> dict[str, str | None]:
    return {s.qualname: describe(s, data) for s in extract_symbols(path, data)}


def test_python_docstrings_and_comments() -> None:
    found = docs("shop/orders.py", PY)
    assert found["shop.orders"] == "Orders: the heart of the shop.\n\nEverything about an order lives here."
    assert found["shop.orders.price"] == "The price of one order.\n\nTaxes included."
    assert found["shop.orders.Cart"] == "A cart. Holds orders."
    assert found["shop.orders.Cart.add"] is None
    assert found["shop.orders.shipping"] == "Computes the shipping fee\nfor one cart."


@pytest.mark.parametrize("path,data,expected", [
    ("web/checkout.js", JS, {
        "web/checkout.js": "The checkout flow: carts become orders.",
        "web/checkout.js:checkout": "Turn a cart into an order.",
        "web/checkout.js:cancel": "Cancel an order."}),
])
def test_javascript_comments(path: str, data: bytes, expected: dict[str, str]) -> None:
    found = docs(path, data)
    for qualname, text in expected.items():
        assert found[qualname] == text, qualname


def test_go_and_java_comments() -> None:
    go = docs("shop/order.go", GO)
    assert go["shop/order.go"] == "Package shop sells things."
    assert next(v for k, v in go.items() if k.endswith("Order")) == "Order is one purchase."
    assert next(v for k, v in go.items() if k.endswith("Total")) == \
        "Total adds up the order.\nIt never fails."
    java = docs("src/com/acme/Store.java", JAVA)
    assert java["com.acme.Store"] == "A store of orders."
    assert java["com.acme.Store.find"] == "Find one order."


def test_summary_skips_banners_and_clips() -> None:
    assert summary("*********** Exceptions ***********\n\nBase errors.\n\nMore.") == "Base errors."
    assert summary("one\ntwo\n\nthree") == "one two"
    assert summary(None) is None and summary("   ") is None
    long = summary("word " * 200)
    assert long is not None and len(long) <= 320 and long.endswith("…")
