"""The shop's HTTP API: routes and their handlers."""

from shop import order_schema, store
from shop.web import Router, json_response

app = Router()


@app.get("/orders/<int:order_id>")
def get_order(request, order_id):
    order = store.find_order(order_id)
    return json_response({"order": order})


@app.post("/orders")
def create_order(request):
    payload = order_schema.validate_order(request.body)
    order = store.add_order(payload)
    return json_response({"order": order}, status=201)
