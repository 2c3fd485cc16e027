"""shopfront: the order service of the web shop."""
