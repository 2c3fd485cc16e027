"""The shop's HTTP API: routes and their handlers."""

from flask import Flask, jsonify, request

from shop import order_schema, store

app = Flask(__name__)


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    try:
        order = store.find_order(order_id)
    except store.OrderNotFound:
        return jsonify(error=f"no order {order_id}"), 404
    return jsonify(order=order.to_dict())


@app.post("/orders")
def create_order():
    payload = order_schema.validate_order(request.get_json())
    order = store.add_order(payload)
    return jsonify(order=order.to_dict()), 201
