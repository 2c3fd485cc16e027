package com.acme.ingest;

/** A tiny expression tree; a cyclic tree never ends evaluating. */
public class Expr {
    Expr left;
    Expr right;
    final int value;

    public Expr(int value) {
        this.value = value;
    }

    public int eval() {
        if (left == null) { // @sym: Expr.eval
            return value; // @sym: Expr.eval
        }
        return combine(left.eval(), right.eval()); // @sym: Expr.eval
    }

    private int combine(int a, int b) {
        return a + b; // @sym: Expr.combine
    }
}
