"""Typed trace samples for runtimes we cannot run here (Go, Ruby, Rust, .NET, PHP,
Firefox/Safari). Each follows the documented format cited next to it (see
/work/shared/reference/trace-formats.md); file names and functions are ours,
so tests can build a repository that contains them.
"""

from __future__ import annotations

# Go: runtime/traceback.go layout; example in fixdevs.com "go panic runtime error index out of
# range"; multi-goroutine dump with "created by ... in goroutine N" (Go >= 1.21) as handled by
# panicparse.
GO_PANIC = """\
panic: runtime error: index out of range [3] with length 3

goroutine 1 [running]:
main.lookup(...)
\t/app/cmd/server/main.go:15
main.main()
\t/app/cmd/server/main.go:22 +0x1d
exit status 2
"""

GO_DUMP = """\
panic: boom [recovered]
\tpanic: boom

goroutine 7 [running]:
example.com/shop/internal/cart.(*Cart).Total(0xc000010000, {0x4b8a40, 0x5})
\t/home/runner/work/shop/shop/internal/cart/cart.go:12 +0x1d
example.com/shop/internal/cart.Checkout.func1()
\t/home/runner/work/shop/shop/internal/cart/cart.go:20 +0x25
created by example.com/shop/internal/cart.Checkout in goroutine 1
\t/home/runner/work/shop/shop/internal/cart/cart.go:19 +0x1e

goroutine 1 [chan receive]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
\t/usr/local/go/src/runtime/proc.go:398 +0xce
example.com/shop/internal/cart.Checkout(0xc000010000)
\t/home/runner/work/shop/shop/internal/cart/cart.go:23 +0x8a
main.main()
\t/home/runner/work/shop/shop/main.go:9 +0x1f
exit status 2
"""

# Ruby <= 3.3 quoting (backtick + quote), per ruby/ruby NEWS for 3.4 which shows the old form.
RUBY_OLD = """\
app/models/user.rb:4:in `full_name': undefined method `upcase' for nil:NilClass (NoMethodError)
\tfrom app/models/user.rb:8:in `greeting'
\tfrom app/main.rb:3:in `<main>'
"""

# Ruby >= 3.4 quoting and Class#method labels (ruby/ruby commit a605234, NEWS.md 3.4).
RUBY_NEW = """\
app/models/user.rb:4:in 'User#full_name': undefined method 'upcase' for nil (NoMethodError)
\tfrom app/models/user.rb:8:in 'User#greeting'
\tfrom app/models/user.rb:12:in 'block in User.each_greeting'
\tfrom app/main.rb:3:in '<main>'
"""

# Rust >= 1.73 panic layout (Rust 1.73 release notes; rust-lang/rust#108341).
RUST_NEW = """\
thread 'main' panicked at src/parser.rs:3:5:
oh no! "ferris.txt" not found!
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"""

# Rust < 1.73 panic layout (same sources, the "before" form).
RUST_OLD = """\
thread 'main' panicked at 'oh no!', src/parser.rs:3:5
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"""

# RUST_BACKTRACE=1 frames (users.rust-lang.org/t/85112 layout: index, optional address,
# symbol; then "at file:line:col").
RUST_BACKTRACE = """\
thread 'main' panicked at src/parser.rs:3:5:
index out of bounds: the len is 3 but the index is 7
stack backtrace:
   0: rust_begin_unwind
             at /rustc/e092d0b6b43f2de967af0887873151bb1c0b18d3/library/std/src/panicking.rs:645:5
   1: core::panicking::panic_fmt
             at /rustc/e092d0b6b43f2de967af0887873151bb1c0b18d3/library/core/src/panicking.rs:72:14
   2: shop::parser::Parser::parse
             at ./src/parser.rs:3:5
   3: shop::main::{{closure}}
             at ./src/main.rs:6:9
   4: shop::main
             at ./src/main.rs:5:5
   5:     0x7f9509962fcc - core::ops::function::FnOnce::call_once::h5f97ce7fceb49c8e
             at /rustc/e092d0b6b43f2de967af0887873151bb1c0b18d3/library/core/src/ops/function.rs:250:5
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
"""

# .NET: "Unhandled exception." + local-function frame (dotnet/runtime#128723), async state
# machine frames and "--- End of stack trace from previous location ---"
# (aelij/AsyncFriendlyStackTrace docs), inner exceptions per Exception.ToString docs.
DOTNET = """\
Unhandled exception. System.InvalidOperationException: Order failed ---> System.Collections.Generic.KeyNotFoundException: The given key 'sku-1' was not present in the dictionary.
   at System.Collections.Generic.Dictionary`2.get_Item(TKey key)
   at Shop.Inventory.Lookup(String sku) in C:\\build\\agent\\_work\\1\\s\\src\\Shop\\Inventory.cs:line 14
   --- End of inner exception stack trace ---
   at Shop.Inventory.Lookup(String sku) in C:\\build\\agent\\_work\\1\\s\\src\\Shop\\Inventory.cs:line 18
   at Shop.OrderService.<PlaceAsync>d__3.MoveNext() in C:\\build\\agent\\_work\\1\\s\\src\\Shop\\OrderService.cs:line 26
--- End of stack trace from previous location ---
   at Program.<<Main>$>g__RunAsync|0_1() in C:\\build\\agent\\_work\\1\\s\\src\\Shop\\Program.cs:line 7
   at Program.<Main>$(String[] args) in C:\\build\\agent\\_work\\1\\s\\src\\Shop\\Program.cs:line 3
"""

# PHP: fatal-error wrapper with "Stack trace:" and "thrown in" (Apache error log example in
# the reference), frames per php.net Exception::__toString.
PHP = """\
PHP Fatal error:  Uncaught InvalidArgumentException: Bad quantity in /var/www/html/src/Cart.php:12
Stack trace:
#0 /var/www/html/src/Checkout.php(20): Shop\\Cart->add('sku-1', -1)
#1 /var/www/html/public/index.php(5): Shop\\Checkout->run()
#2 {main}
  thrown in /var/www/html/src/Cart.php on line 12
"""

# PHP chained exceptions: php.net Exception::__toString example ("Next ..."), earliest first.
PHP_NEXT = """\
LogicException: low level in /var/www/html/src/Cart.php:12
Stack trace:
#0 /var/www/html/public/index.php(5): Shop\\Cart->add('sku-1', -1)
#1 {main}

Next RuntimeException: checkout failed in /var/www/html/src/Checkout.php:22
Stack trace:
#0 /var/www/html/public/index.php(5): Shop\\Checkout->run()
#1 {main}
"""

# Apache error log with the PHP trace inlined on one line with literal \\n (reference table).
PHP_APACHE = (
    "[Tue Mar 05 10:00:00.123456 2026] [php:error] [pid 1234] [client 10.0.0.1:5555] "
    "PHP Fatal error:  Uncaught InvalidArgumentException: Bad quantity in "
    "/var/www/html/src/Cart.php:12\\nStack trace:\\n#0 /var/www/html/src/Checkout.php(20): "
    "Shop\\\\Cart->add('sku-1', -1)\\n#1 {main}\\n  thrown in /var/www/html/src/Cart.php on line 12, "
    "referer: http://shop.example/\n"
)

# Firefox "@" format with async frames (mozilla-firefox js/src/tests/non262/async-functions/
# ErrorStack.js; lydell/parse-stack support notes).
FIREFOX = """\
TypeError: cart.items is undefined
total@http://localhost:8080/src/cart.js:11:5
async*checkout@http://localhost:8080/src/checkout.js:58:20
@http://localhost:8080/src/main.js:3:1
"""

# Safari "@" format (lydell/parse-stack: "Safari 6+ - @ format"), with [native code] frames.
SAFARI = """\
total@http://localhost:8080/src/cart.js:11:16
forEach@[native code]
checkout@http://localhost:8080/src/checkout.js:58:20
global code@http://localhost:8080/src/main.js:3:1
"""
