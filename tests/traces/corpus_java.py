"""A small Java project (Maven layout) that throws in many ways; one JVM run prints
every scenario's trace with ``printStackTrace`` and ends with an uncaught one.

Lines that can appear in a frame end with ``// @sym: X`` (see corpus_python).
"""

from __future__ import annotations

ROOT = "src/main/java/com/acme/shop"
FILES: dict[str, str] = {}

FILES[f"{ROOT}/Cart.java"] = """\
package com.acme.shop;

import java.util.List;
import java.util.function.Supplier;

public class Cart {
    private final List<Integer> prices;

    public Cart(List<Integer> prices) {
        if (prices == null) {
            throw new IllegalArgumentException("no prices"); // @sym: Cart.Cart
        }
        this.prices = prices;
    }

    public int average() {
        return total() / prices.size(); // @sym: Cart.average
    }

    public int total() {
        return prices.stream().mapToInt(p -> check(p)).sum(); // @sym: Cart.total
    }

    static int check(Integer p) {
        if (p < 0) throw new IllegalStateException("negative price " + p); // @sym: Cart.check
        return p;
    }

    static class Line {
        final int qty;

        Line(String qty) {
            this.qty = Integer.parseInt(qty); // @sym: Cart.Line.Line
        }
    }

    class Totals {
        int ratio(int by) {
            return average() / by; // @sym: Cart.Totals.ratio
        }
    }

    Supplier<Integer> lazy() {
        return new Supplier<Integer>() { // @sym: Cart.lazy
            @Override
            public Integer get() {
                return average(); // @sym: get
            }
        };
    }
}
"""

FILES[f"{ROOT}/Store.java"] = """\
package com.acme.shop;

public interface Store {
    int load(String key);

    default int loadOrFail(String key) {
        int v = load(key);
        if (v < 0) throw new IllegalStateException("missing " + key); // @sym: Store.loadOrFail
        return v;
    }
}
"""

FILES[f"{ROOT}/Boot.java"] = """\
package com.acme.shop;

public class Boot {
    static final int LIMIT = compute(); // @sym: Boot

    static int compute() {
        return Integer.parseInt("x"); // @sym: Boot.compute
    }

    static void touch() {
    }
}
"""

FILES[f"{ROOT}/Res.java"] = """\
package com.acme.shop;

public class Res implements AutoCloseable {
    @Override
    public void close() {
        throw new UnsupportedOperationException("close failed"); // @sym: Res.close
    }
}
"""

FILES[f"{ROOT}/App.java"] = """\
package com.acme.shop;

import java.util.List;

public class App {
    public static void main(String[] args) throws Exception {
        for (String name : args) {
            try {
                run(name); // @sym: App.main
            } catch (Throwable e) {
                e.printStackTrace();
            }
        }
        run("deep"); // @sym: App.main
    }

    static void run(String name) throws Exception {
        switch (name) {
            case "ctor":
                new Cart(null); // @sym: App.run
                break;
            case "lambda":
                new Cart(List.of(1, -2)).total(); // @sym: App.run
                break;
            case "inner":
                new Cart(List.of()).new Totals().ratio(2); // @sym: App.run
                break;
            case "nested":
                new Cart.Line("x"); // @sym: App.run
                break;
            case "cause":
                wrap(); // @sym: App.run
                break;
            case "suppressed":
                try (Res r = new Res()) { // @sym: App.run
                    new Cart(null); // @sym: App.run
                }
                break;
            case "clinit":
                Boot.touch(); // @sym: App.run
                break;
            case "default":
                Store s = key -> -1;
                s.loadOrFail("k"); // @sym: App.run
                break;
            case "anon":
                new Cart(List.of()).lazy().get(); // @sym: App.run
                break;
            case "deep":
                deep(3); // @sym: App.run
                break;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static void wrap() {
        try {
            new Cart(List.of(1)).new Totals().ratio(0); // @sym: App.wrap
        } catch (ArithmeticException e) {
            throw new IllegalStateException("ratio failed", e); // @sym: App.wrap
        }
    }

    static void deep(int n) throws Exception {
        if (n == 0) {
            wrap(); // @sym: App.deep
        }
        try {
            deep(n - 1); // @sym: App.deep
        } catch (Exception e) {
            throw new Exception("level " + n, e); // @sym: App.deep
        }
    }
}
"""

SCENARIOS = ("ctor", "lambda", "inner", "nested", "cause", "suppressed", "clinit", "default",
             "anon")
