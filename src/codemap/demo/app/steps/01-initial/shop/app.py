"""The shop's HTTP API: routes and their handlers."""

from flask import Flask, jsonify

from shop import store

app = Flask(__name__)


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    try:
        order = store.find_order(order_id)
    except store.OrderNotFound:
        return jsonify(error=f"no order {order_id}"), 404
    return jsonify(order=order.to_dict())
