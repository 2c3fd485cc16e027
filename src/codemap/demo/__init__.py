"""The bundled example application behind ``codemap demo`` (see :mod:`.builder`)."""
