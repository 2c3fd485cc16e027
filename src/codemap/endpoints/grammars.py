"""The node types of each grammar that matter to route declarations, as data.

:mod:`codemap.endpoints.syntax` turns expression nodes into JSON values by
looking node types up in one :class:`Syntax` entry per language, so it never
branches on a language's name. Where a grammar keeps a part of a node in a
child without a field name, a *child spec* names it: a field name
(``"arguments"``), ``"@0"`` / ``"@-1"`` (the first / last named child) or
``"@type"`` (the first named child of that type).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Syntax:
    """The node types of one grammar that matter to route declarations."""

    strings: frozenset[str]
    string_text: frozenset[str]  # children of a string that hold literal text
    string_dynamic: frozenset[str]  # children of a string that are interpolations
    concat: frozenset[str]  # binary expressions (``+`` joins strings)
    implicit_concat: frozenset[str]  # adjacent literals: "a" "b"
    names: frozenset[str]  # identifiers and dotted member accesses
    calls: dict[str, tuple[str, str]]  # call node type -> (function spec, arguments spec)
    news: frozenset[str]  # constructor calls (``new X()``)
    members: dict[str, tuple[str, str]]  # member access -> (object spec, property spec)
    lists: frozenset[str]
    objects: frozenset[str]
    pairs: dict[str, tuple[str, str]]  # keyword argument / object pair -> (key spec, value spec)
    functions: frozenset[str]
    unwrap: frozenset[str]  # parenthesised / await / & expressions: look through them
    decorators: frozenset[str]  # decorator / annotation node types
    definitions: frozenset[str]  # function / method / class definitions a decorator can sit on
    classes: frozenset[str]
    raw_prefix: bool = False  # string prefixes like r"..." (Python)
    call_objects: tuple[tuple[str, str], ...] = ()  # call node type -> field holding its object
    # -- second-wave grammars ---------------------------------------------------------
    symbols: frozenset[str] = frozenset()  # symbol literals read as strings (Ruby :users)
    class_refs: frozenset[str] = frozenset()  # X::class, typeof(X), ::f: the name X / f
    call_blocks: dict[str, str] = field(default_factory=dict)  # call type -> its trailing block
    curried: frozenset[str] = frozenset()  # f(a) { } parsed as call(call(f, a), block)
    bare_calls: frozenset[str] = frozenset()  # calls without arguments read as names (a.b.c)
    path_sep: str = ""  # a qualified-name separator read as "." (Rust a::b, PHP A\\B)
    arg_lists: frozenset[str] = frozenset()  # argument-list node types beyond the defaults
    token_args: frozenset[str] = frozenset()  # macro token trees read as arguments (#[get("/")])
    kwargs: frozenset[str] | None = None  # argument children that are keyword arguments
    pair_items: frozenset[str] = frozenset()  # list items holding ``key => value``
    # wrapper -> argument node: annotations the grammar reads as an expression statement
    # (Kotlin's `@A("/x")` + newline + `class C`, parsed as annotated_expression(annotation,
    # parenthesized_expression)); the definition is the outermost wrapper's next sibling
    detached: dict[str, str] = field(default_factory=dict)
    extensions: bool = False  # methods are added to types elsewhere (C#, Kotlin extensions)
    list_wrappers: frozenset[str] = frozenset()  # list nodes holding their items in an inner
    #                                              list (Go []string{...}, C# new[] {...})


def _fs(*names: str) -> frozenset[str]:
    return frozenset(names)


SYNTAX: dict[str, Syntax] = {
    "python": Syntax(
        strings=_fs("string"), string_text=_fs("string_content", "escape_sequence"),
        string_dynamic=_fs("interpolation"), concat=_fs("binary_operator"),
        implicit_concat=_fs("concatenated_string"), names=_fs("identifier", "attribute"),
        calls={"call": ("function", "arguments")}, news=_fs(),
        members={"attribute": ("object", "attribute")},
        lists=_fs("list", "tuple", "set", "list_comprehension"), objects=_fs("dictionary"),
        pairs={"keyword_argument": ("name", "value"), "pair": ("key", "value")},
        functions=_fs("lambda"), unwrap=_fs("parenthesized_expression", "await"),
        decorators=_fs("decorator"),
        definitions=_fs("function_definition", "class_definition"),
        classes=_fs("class_definition"), raw_prefix=True),
    "javascript": Syntax(
        strings=_fs("string", "template_string"), string_text=_fs("string_fragment", "escape_sequence"),
        string_dynamic=_fs("template_substitution"), concat=_fs("binary_expression"),
        implicit_concat=_fs(), names=_fs("identifier", "member_expression", "this",
                                          "property_identifier"),
        calls={"call_expression": ("function", "arguments"),
               "new_expression": ("constructor", "arguments")},
        news=_fs("new_expression"), members={"member_expression": ("object", "property")},
        lists=_fs("array"), objects=_fs("object"), pairs={"pair": ("key", "value")},
        functions=_fs("arrow_function", "function_expression", "function"),
        unwrap=_fs("parenthesized_expression", "await_expression", "as_expression",
                   "satisfies_expression", "non_null_expression"),
        decorators=_fs("decorator"),
        definitions=_fs("method_definition", "class_declaration", "class", "function_declaration",
                        "abstract_class_declaration"),
        classes=_fs("class_declaration", "class", "abstract_class_declaration")),
    "go": Syntax(
        strings=_fs("interpreted_string_literal", "raw_string_literal"),
        string_text=_fs("interpreted_string_literal_content", "raw_string_literal_content",
                        "escape_sequence"),
        string_dynamic=_fs(), concat=_fs("binary_expression"), implicit_concat=_fs(),
        names=_fs("identifier", "selector_expression", "field_identifier", "package_identifier"),
        calls={"call_expression": ("function", "arguments")}, news=_fs(),
        members={"selector_expression": ("operand", "field")},
        lists=_fs("composite_literal", "literal_value"), objects=_fs(),
        pairs={"keyed_element": ("key", "value")}, functions=_fs("func_literal"),
        unwrap=_fs("parenthesized_expression", "unary_expression", "literal_element"),
        decorators=_fs(), definitions=_fs(), classes=_fs(),
        list_wrappers=_fs("composite_literal")),
    "java": Syntax(
        strings=_fs("string_literal"), string_text=_fs("string_fragment", "escape_sequence"),
        string_dynamic=_fs(), concat=_fs("binary_expression"), implicit_concat=_fs(),
        names=_fs("identifier", "field_access", "scoped_identifier"),
        calls={"method_invocation": ("name", "arguments"), "annotation": ("name", "arguments"),
               "marker_annotation": ("name", "arguments")}, news=_fs(),
        members={"field_access": ("object", "field")},
        lists=_fs("element_value_array_initializer", "array_initializer"), objects=_fs(),
        pairs={"element_value_pair": ("key", "value")}, functions=_fs("lambda_expression"),
        unwrap=_fs("parenthesized_expression"),
        decorators=_fs("annotation", "marker_annotation"),
        definitions=_fs("method_declaration", "class_declaration", "interface_declaration",
                        "constructor_declaration"),
        classes=_fs("class_declaration", "interface_declaration"),
        call_objects=(("method_invocation", "object"),)),
    # -- second wave (issue #11) ----------------------------------------------------------
    # Ruby: `resources :users, only: [:index] do ... end`; `a.b.c` without arguments is a
    # chain of calls, read as the name a.b.c; `"path" => "c#a"` pairs sit in argument lists
    "ruby": Syntax(
        strings=_fs("string", "delimited_symbol", "bare_string"),
        string_text=_fs("string_content", "escape_sequence"),
        string_dynamic=_fs("interpolation"), concat=_fs("binary"), implicit_concat=_fs(),
        names=_fs("identifier", "constant", "scope_resolution"),
        calls={"call": ("method", "arguments")}, news=_fs(), members={},
        lists=_fs("array", "string_array", "symbol_array"), objects=_fs("hash"),
        pairs={"pair": ("key", "value")}, functions=_fs("do_block", "block", "lambda"),
        unwrap=_fs("parenthesized_statements"), decorators=_fs(),
        definitions=_fs("method", "singleton_method", "class", "module"),
        classes=_fs("class", "module"), call_objects=(("call", "receiver"),),
        symbols=_fs("simple_symbol", "hash_key_symbol", "bare_symbol"),
        call_blocks={"call": "block"}, bare_calls=_fs("call"), path_sep="::",
        kwargs=_fs("pair")),
    # PHP: Route::get('/x', [C::class, 'm']); Route::prefix('a')->group(function () {...})
    "php": Syntax(
        strings=_fs("string", "encapsed_string"), string_text=_fs("string_content",
                                                                  "escape_sequence"),
        string_dynamic=_fs("variable_name"), concat=_fs("binary_expression"),
        implicit_concat=_fs(), names=_fs("name", "qualified_name", "variable_name"),
        calls={"scoped_call_expression": ("name", "arguments"),
               "member_call_expression": ("name", "arguments"),
               "nullsafe_member_call_expression": ("name", "arguments"),
               "function_call_expression": ("function", "arguments")},
        news=_fs(), members={}, lists=_fs("array_creation_expression"), objects=_fs(),
        pairs={"argument": ("name", "@-1")},
        functions=_fs("anonymous_function", "arrow_function",
                      "anonymous_function_creation_expression"),
        unwrap=_fs("argument", "array_element_initializer", "parenthesized_expression"),
        decorators=_fs(), definitions=_fs("method_declaration", "class_declaration",
                                          "function_definition"),
        classes=_fs("class_declaration"),
        call_objects=(("scoped_call_expression", "scope"), ("member_call_expression", "object"),
                      ("nullsafe_member_call_expression", "object")),
        class_refs=_fs("class_constant_access_expression"), path_sep="\\",
        kwargs=_fs("argument"), pair_items=_fs("array_element_initializer")),
    # C#: [Route("api/[controller]")] / [HttpGet("{id}")]; app.MapGet("/x", () => ...)
    "csharp": Syntax(
        strings=_fs("string_literal", "verbatim_string_literal", "raw_string_literal",
                    "interpolated_string_expression"),
        string_text=_fs("string_literal_content", "string_content", "escape_sequence"),
        string_dynamic=_fs("interpolation"), concat=_fs("binary_expression"),
        implicit_concat=_fs(), names=_fs("identifier", "member_access_expression",
                                          "qualified_name", "this_expression", "this"),
        calls={"invocation_expression": ("function", "arguments"),
               "attribute": ("name", "@attribute_argument_list"),
               "object_creation_expression": ("type", "arguments")},
        news=_fs("object_creation_expression"),
        members={"member_access_expression": ("expression", "name")},
        lists=_fs("implicit_array_creation_expression", "array_creation_expression",
                  "initializer_expression", "collection_expression"),
        objects=_fs(), pairs={"argument": ("name", "@-1"), "attribute_argument": ("name", "@-1")},
        functions=_fs("lambda_expression", "anonymous_method_expression"),
        unwrap=_fs("argument", "attribute_argument", "parenthesized_expression",
                   "await_expression"),
        decorators=_fs("attribute"),
        definitions=_fs("method_declaration", "class_declaration", "record_declaration",
                        "interface_declaration", "local_function_statement"),
        classes=_fs("class_declaration", "record_declaration", "interface_declaration"),
        class_refs=_fs("typeof_expression"), arg_lists=_fs("attribute_argument_list"),
        kwargs=_fs("argument", "attribute_argument"), extensions=True,
        list_wrappers=_fs("implicit_array_creation_expression", "array_creation_expression")),
    # Kotlin: routing { route("/api") { get("/x") { ... } } }; @GetMapping("/{id}")
    "kotlin": Syntax(
        strings=_fs("string_literal", "multiline_string_literal"),
        string_text=_fs("string_content", "escape_sequence"),
        string_dynamic=_fs("interpolation"), concat=_fs("additive_expression"),
        implicit_concat=_fs(), names=_fs("identifier", "navigation_expression", "user_type",
                                          "this_expression"),
        calls={"call_expression": ("@0", "@value_arguments"),
               "constructor_invocation": ("@user_type", "@value_arguments")},
        news=_fs(), members={"navigation_expression": ("@0", "@-1")},
        lists=_fs("collection_literal"), objects=_fs(), pairs={"value_argument": ("@0", "@-1")},
        functions=_fs("lambda_literal", "anonymous_function"),
        unwrap=_fs("value_argument", "annotated_lambda", "parenthesized_expression"),
        decorators=_fs("annotation"),
        definitions=_fs("function_declaration", "class_declaration", "object_declaration"),
        classes=_fs("class_declaration", "object_declaration"),
        class_refs=_fs("callable_reference"), call_blocks={"call_expression": "@annotated_lambda"},
        detached={"annotated_expression": "parenthesized_expression"},
        curried=_fs("call_expression"), arg_lists=_fs("value_arguments"),
        kwargs=_fs("value_argument"), extensions=True),
    # Rust: Router::new().route("/x", get(h)); #[get("/x")] async fn h() {}; web::scope("/a")
    "rust": Syntax(
        strings=_fs("string_literal", "raw_string_literal"),
        string_text=_fs("string_content", "escape_sequence"), string_dynamic=_fs(),
        concat=_fs(), implicit_concat=_fs(),
        names=_fs("identifier", "scoped_identifier", "field_expression", "self",
                  "type_identifier", "scoped_type_identifier", "field_identifier"),
        calls={"call_expression": ("function", "arguments"), "attribute": ("@0", "arguments"),
               "generic_function": ("function", "")},
        news=_fs(), members={"field_expression": ("value", "field"),
                             "scoped_identifier": ("path", "name")},
        lists=_fs("array_expression", "vec_macro"), objects=_fs(), pairs={},
        functions=_fs("closure_expression"),
        unwrap=_fs("parenthesized_expression", "reference_expression", "try_expression",
                   "await_expression"),
        decorators=_fs("attribute_item"), definitions=_fs("function_item"),
        classes=_fs(), path_sep="::", token_args=_fs("token_tree")),
}
SYNTAX["typescript"] = SYNTAX["javascript"]
SYNTAX["tsx"] = SYNTAX["javascript"]
