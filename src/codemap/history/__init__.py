"""Git intelligence: blame, history, provenance, suspects. ``git.py`` is the one module that runs git."""
