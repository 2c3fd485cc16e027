"""``python -m codemap`` behaves exactly like the ``codemap`` console script."""

from codemap.cli.main import main

if __name__ == "__main__":
    main()
