// HTTP client for the shop's order API, used by the checkout page.

const BASE = "/api";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export async function fetchOrder(orderId, { fetchImpl = fetch } = {}) {
  const response = await fetchImpl(`${BASE}/orders/${orderId}`);
  if (!response.ok) {
    throw new ApiError(`order ${orderId}: HTTP ${response.status}`, response.status);
  }
  const payload = await response.json();
  return payload.order;
}

export async function submitOrder(order, { fetchImpl = fetch } = {}) {
  const response = await fetchImpl(`${BASE}/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(order),
  });
  if (response.status !== 201) {
    throw new ApiError(`submit failed: HTTP ${response.status}`, response.status);
  }
  return (await response.json()).order;
}
