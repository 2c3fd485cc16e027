"""The repository index: scan files, extract tags with tree-sitter, store them in SQLite."""
