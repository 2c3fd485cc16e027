// HTTP client for the shop's order API, used by the checkout page.

const BASE = "/api";
const RETRY_DELAYS_MS = [200, 800, 2000];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

export async function withRetry(request, delays = RETRY_DELAYS_MS) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await request();
    if (response.status < 500 || attempt >= delays.length) {
      return response;
    }
    await sleep(delays[attempt]);
  }
}

export async function submitOrder(order, { fetchImpl = fetch } = {}) {
  const response = await withRetry(() =>
    fetchImpl(`${BASE}/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(order),
    }),
  );
  if (response.status !== 201) {
    throw new ApiError(`submit failed: HTTP ${response.status}`, response.status);
  }
  return (await response.json()).order;
}
