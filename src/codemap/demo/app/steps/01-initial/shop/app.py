"""The shop's HTTP API: routes and their handlers."""

from shop import store
from shop.web import Router, json_response

app = Router()


@app.get("/orders/<int:order_id>")
def get_order(request, order_id):
    order = store.find_order(order_id)
    return json_response({"order": order})
