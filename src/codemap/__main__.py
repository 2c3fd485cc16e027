"""``python -m codemap`` behaves exactly like the ``codemap`` console script."""

import os
import sys

if __name__ == "__main__":
    # ``python -m`` puts the working directory first on sys.path; run inside a repository
    # with a top-level ``scipy/`` or ``networkx/``, the lazy imports of codemap's own
    # dependencies would load (run) the repository's code instead. The console script
    # has no such entry; codemap itself is already imported through its package.
    if sys.path and sys.path[0] in ("", os.curdir, os.getcwd()):
        del sys.path[0]

    from codemap.cli.main import main

    main()
