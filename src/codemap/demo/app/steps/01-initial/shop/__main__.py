"""Serve one request from the command line: ``python -m shop GET /orders/42``."""

import logging
import sys

from shop.app import app

log = logging.getLogger("shop")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m shop METHOD PATH", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    method, path = argv[0].upper(), argv[1]
    log.info("%s %s (request r-7f3a9c)", method, path)
    app.testing = True  # let errors propagate, with their traceback
    with app.test_client() as client:
        response = client.open(path, method=method)
    print(response.status_code, response.get_data(as_text=True))
    return 0 if response.status_code < 400 else 1


if __name__ == "__main__":
    sys.exit(main())
