"""Serve one request from the command line: ``python -m shop GET /orders/42``."""

import logging
import sys

from shop.app import app
from shop.web import Request


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m shop METHOD PATH", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    method, path = argv
    request = Request(method.upper(), path, request_id="r-7f3a9c")
    response = app.dispatch(request)
    print(response.body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
